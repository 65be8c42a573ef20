package courses

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// CalendarEvent is one all-day entry of a person's calendar feed.
type CalendarEvent struct {
	UID         string    // stable across feeds, so calendars update the event instead of adding one
	Day         time.Time // the date (its calendar date in its own location)
	Summary     string
	Description string
	URL         string
}

// Calendar writes an iCalendar (RFC 5545) document: CRLF line ends, lines
// folded at 75 octets without splitting a UTF-8 sequence, text escaped,
// every event with UID and DTSTAMP. Google Calendar, Outlook and Apple
// Calendar read it as a subscription.
func Calendar(name string, events []CalendarEvent, stamp time.Time) []byte {
	var b bytes.Buffer
	line := func(s string) { writeFolded(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Frontline//Refreshers//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(name))
	line("REFRESH-INTERVAL;VALUE=DURATION:PT12H")
	line("X-PUBLISHED-TTL:PT12H")
	ts := stamp.UTC().Format("20060102T150405Z")
	for _, e := range events {
		y, m, d := e.Day.Date()
		start := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		line("BEGIN:VEVENT")
		line("UID:" + e.UID)
		line("DTSTAMP:" + ts)
		line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		line("DTEND;VALUE=DATE:" + start.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY:" + escapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.URL != "" {
			line("URL:" + e.URL)
		}
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeFolded writes one content line, folded so no physical line passes 75
// octets (RFC 5545 §3.1); continuation lines start with a space.
func writeFolded(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
