package mail

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

// Reminder kinds, as the outbox stores them.
const (
	KindAssigned     = "assigned"
	KindWindowOpened = "window_opened"
	KindDueTomorrow  = "due_tomorrow"
	KindOverdue      = "overdue"
	KindDigest       = "digest"
	KindRecovery     = "recovery"
	KindInvitation   = "invitation"
)

// AccountLink is a mail carrying a one-time link: a password reset or an
// invitation. It has no unsubscribe link: the person asked for it, or needs
// it to get in at all.
type AccountLink struct {
	Kind    string // KindRecovery or KindInvitation
	To      string
	Name    string
	Link    string
	Expires time.Time
	Loc     *time.Location
}

// Reminder is one reminder about one course to one person.
type Reminder struct {
	Kind           string
	To, Name       string
	Course         string
	Due            time.Time // the due date (start of the day in Loc); may be zero for an assignment
	Link           string    // the page to act on
	Questions      int       // length of the refresher quiz; 0 when the full course is required
	Reminder       int       // overdue: which reminder this is (1..4)
	SettingsURL    string
	UnsubscribeURL string
	Loc            *time.Location
}

// DigestLine is one person and course in a digest.
type DigestLine struct {
	PersonID int64 // who, and which course: the subject counts each once
	CourseID int64
	Name     string
	Team     string
	Course   string
	Due      time.Time
	Overdue  bool // past Due; otherwise due soon (the NoEmail list has both)
}

// Digest is the weekly mail: people overdue in the teams a manager looks
// after, those of them without email who are overdue or due soon (no
// reminder reaches them: the manager tells them in person), and the
// recipient's own open courses when they chose digest-only.
type Digest struct {
	To, Name       string
	Overdue        []DigestLine
	NoEmail        []DigestLine
	Own            []DigestLine
	Link           string
	SettingsURL    string
	UnsubscribeURL string
	Loc            *time.Location
}

func dateTimeIn(loc *time.Location) func(time.Time) string {
	return func(t time.Time) string {
		if loc == nil {
			loc = time.UTC
		}
		return t.In(loc).Format("15:04 on Monday 2 January 2006 (MST)")
	}
}

func dateIn(loc *time.Location) func(time.Time) string {
	return func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		if loc == nil {
			loc = time.UTC
		}
		return t.In(loc).Format("Monday 2 January 2006")
	}
}

const textTemplates = `
{{define "assigned"}}Hello {{.Name}},

You have a new course: {{.Course}}.{{if not .Due.IsZero}} Please complete it by {{date .Due}}.{{end}}

Start here: {{.Link}}
{{template "foot" .}}{{end}}
{{define "window_opened"}}Hello {{.Name}},

Your refresher for {{.Course}} is open. It is due {{date .Due}}.
{{if .Questions}}It is a short quiz of {{.Questions}} questions, drawn from the whole course.{{else}}This course asks you to work through every module again.{{end}}

Take it here: {{.Link}}
{{template "foot" .}}{{end}}
{{define "due_tomorrow"}}Hello {{.Name}},

{{.Course}} is due {{date .Due}}. If you have not done it yet, there is still time.

Go to it: {{.Link}}
{{template "foot" .}}{{end}}
{{define "overdue"}}Hello {{.Name}},

{{.Course}} was due {{date .Due}} and is now overdue. Please complete it as soon as you can.

Go to it: {{.Link}}
{{template "foot" .}}{{end}}
{{define "digest"}}Hello {{.Name}},
{{if .Overdue}}
Overdue in your teams:
{{range .Overdue}}
- {{.Name}}{{if .Team}} ({{.Team}}){{end}}: {{.Course}}, due {{date .Due}}{{end}}
{{end}}{{if .NoEmail}}
No email, so no reminders reach them: tell them in person:
{{range .NoEmail}}
- {{.Name}}{{if .Team}} ({{.Team}}){{end}}: {{.Course}}, {{if .Overdue}}overdue since{{else}}due{{end}} {{date .Due}}{{end}}
{{end}}{{if .Own}}
Your open courses:
{{range .Own}}
- {{.Course}}, due {{date .Due}}{{end}}
{{end}}
Open Frontline: {{.Link}}
{{template "foot" .}}{{end}}
{{define "recovery"}}Hello {{.Name}},

Someone (we hope you) asked to reset your Frontline password. Choose a new one here:

{{.Link}}

The link works once, until {{datetime .Expires}}. If you did not ask, ignore this mail: your password stays as it is.
{{end}}
{{define "invitation"}}Hello {{.Name}},

You have a Frontline account for your training. Choose your password here:

{{.Link}}

The link works once, until {{datetime .Expires}}. If it has expired, ask your manager for a new one.
{{end}}
{{define "foot"}}
-- 
Frontline. Choose which mail you get: {{.SettingsURL}}
{{if .UnsubscribeURL}}Weekly digest only: {{.UnsubscribeURL}}{{end}}
{{end}}`

const htmlTemplates = `
{{define "assigned"}}{{template "head" .}}<p>You have a new course: <strong>{{.Course}}</strong>.{{if not .Due.IsZero}} Please complete it by <strong>{{date .Due}}</strong>.{{end}}</p>
<p><a href="{{.Link}}">Start {{.Course}}</a></p>{{template "foot" .}}{{end}}
{{define "window_opened"}}{{template "head" .}}<p>Your refresher for <strong>{{.Course}}</strong> is open. It is due <strong>{{date .Due}}</strong>.</p>
<p>{{if .Questions}}It is a short quiz of {{.Questions}} questions, drawn from the whole course.{{else}}This course asks you to work through every module again.{{end}}</p>
<p><a href="{{.Link}}">Take the refresher</a></p>{{template "foot" .}}{{end}}
{{define "due_tomorrow"}}{{template "head" .}}<p><strong>{{.Course}}</strong> is due <strong>{{date .Due}}</strong>. If you have not done it yet, there is still time.</p>
<p><a href="{{.Link}}">Go to {{.Course}}</a></p>{{template "foot" .}}{{end}}
{{define "overdue"}}{{template "head" .}}<p><strong>{{.Course}}</strong> was due <strong>{{date .Due}}</strong> and is now overdue. Please complete it as soon as you can.</p>
<p><a href="{{.Link}}">Go to {{.Course}}</a></p>{{template "foot" .}}{{end}}
{{define "digest"}}{{template "head" .}}{{if .Overdue}}<h2>Overdue in your teams</h2>
<ul>{{range .Overdue}}<li>{{.Name}}{{if .Team}} ({{.Team}}){{end}}: {{.Course}}, due {{date .Due}}</li>{{end}}</ul>{{end}}
{{if .NoEmail}}<h2>Tell them in person</h2><p>They have no email, so no reminder reaches them.</p>
<ul>{{range .NoEmail}}<li>{{.Name}}{{if .Team}} ({{.Team}}){{end}}: {{.Course}}, {{if .Overdue}}overdue since{{else}}due{{end}} {{date .Due}}</li>{{end}}</ul>{{end}}
{{if .Own}}<h2>Your open courses</h2>
<ul>{{range .Own}}<li>{{.Course}}, due {{date .Due}}</li>{{end}}</ul>{{end}}
<p><a href="{{.Link}}">Open Frontline</a></p>{{template "foot" .}}{{end}}
{{define "recovery"}}{{template "head" .}}<p>Someone (we hope you) asked to reset your Frontline password.</p>
<p><a href="{{.Link}}">Choose a new password</a></p>
<p>The link works once, until {{datetime .Expires}}. If you did not ask, ignore this mail: your password stays as it is.</p></body></html>{{end}}
{{define "invitation"}}{{template "head" .}}<p>You have a Frontline account for your training.</p>
<p><a href="{{.Link}}">Choose your password</a></p>
<p>The link works once, until {{datetime .Expires}}. If it has expired, ask your manager for a new one.</p></body></html>{{end}}
{{define "head"}}<!doctype html><html><body style="font-family:sans-serif;line-height:1.5"><p>Hello {{.Name}},</p>{{end}}
{{define "foot"}}<hr><p style="color:#555;font-size:90%">Frontline. <a href="{{.SettingsURL}}">Choose which mail you get</a>{{if .UnsubscribeURL}} · <a href="{{.UnsubscribeURL}}">weekly digest only</a>{{end}}</p></body></html>{{end}}`

var subjects = map[string]string{
	KindAssigned:     "New course: %s",
	KindWindowOpened: "Your refresher is open: %s",
	KindDueTomorrow:  "Due tomorrow: %s",
	KindOverdue:      "Overdue: %s",
}

// ComposeReminder writes a reminder mail.
func ComposeReminder(r Reminder) Message {
	subject := strings.Replace(subjects[r.Kind], "%s", r.Course, 1)
	return compose(r.Kind, r.To, subject, r.UnsubscribeURL, r.Loc, r)
}

// ComposeAccountLink writes a password reset or an invitation mail.
func ComposeAccountLink(a AccountLink) Message {
	subject := "Reset your Frontline password"
	if a.Kind == KindInvitation {
		subject = "Your Frontline account: choose a password"
	}
	return compose(a.Kind, a.To, subject, "", a.Loc, a)
}

// ComposeDigest writes the weekly digest.
func ComposeDigest(d Digest) Message {
	subject := "Your weekly Frontline summary"
	if len(d.Overdue) > 0 {
		// A line is a person on a course: someone late on three courses is
		// one person, on three courses.
		people, courses := map[int64]bool{}, map[int64]bool{}
		for _, l := range d.Overdue {
			people[l.PersonID], courses[l.CourseID] = true, true
		}
		subject = "Weekly summary: " + plural(len(people), "person", "people") + " overdue on " +
			plural(len(courses), "course", "courses") + " in your teams"
	}
	return compose(KindDigest, d.To, subject, d.UnsubscribeURL, d.Loc, d)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// The templates are parsed once; each mail clones them to bind its time zone.
var (
	textT = texttemplate.Must(texttemplate.New("").Funcs(map[string]any{"date": dateIn(nil), "datetime": dateTimeIn(nil)}).Parse(textTemplates))
	htmlT = htmltemplate.Must(htmltemplate.New("").Funcs(map[string]any{"date": dateIn(nil), "datetime": dateTimeIn(nil)}).Parse(htmlTemplates))
)

func compose(kind, to, subject, unsubscribe string, loc *time.Location, data any) Message {
	funcs := map[string]any{"date": dateIn(loc), "datetime": dateTimeIn(loc)}
	tt := texttemplate.Must(textT.Clone()).Funcs(funcs)
	ht := htmltemplate.Must(htmlT.Clone()).Funcs(funcs)
	var text, html bytes.Buffer
	if err := tt.ExecuteTemplate(&text, kind, data); err != nil {
		panic("mail: text template " + kind + ": " + err.Error()) // a test renders every kind
	}
	if err := ht.ExecuteTemplate(&html, kind, data); err != nil {
		panic("mail: html template " + kind + ": " + err.Error())
	}
	return Message{To: to, Subject: subject, Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String(), UnsubscribeURL: unsubscribe}
}
