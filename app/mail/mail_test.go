package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/mail/mailtest"
)

func TestEveryKindHasTextAndHTMLWithTheLink(t *testing.T) {
	due := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	base := mail.Reminder{To: "amara@example.com", Name: "Amara <Osei>", Course: "Complaints & refunds", Due: due,
		Link: "https://learn.example.com/courses/complaints", SettingsURL: "https://learn.example.com/settings",
		UnsubscribeURL: "https://learn.example.com/unsubscribe/tok", Loc: time.UTC}
	for kind, subject := range map[string]string{
		mail.KindAssigned:     "New course: Complaints & refunds",
		mail.KindWindowOpened: "Your refresher is open: Complaints & refunds",
		mail.KindDueTomorrow:  "Due tomorrow: Complaints & refunds",
		mail.KindOverdue:      "Overdue: Complaints & refunds",
	} {
		t.Run(kind, func(t *testing.T) {
			r := base
			r.Kind = kind
			m := mail.ComposeReminder(r)
			if m.Subject != subject {
				t.Errorf("subject %q, want %q", m.Subject, subject)
			}
			for _, part := range []string{m.Text, m.HTML} {
				for _, want := range []string{"https://learn.example.com/courses/complaints", "https://learn.example.com/settings", "Tuesday 10 March 2026"} {
					if !strings.Contains(part, want) {
						t.Errorf("part lacks %q:\n%s", want, part)
					}
				}
			}
			if !strings.Contains(m.HTML, "Amara &lt;Osei&gt;") || !strings.Contains(m.Text, "Amara <Osei>") {
				t.Errorf("the name must be escaped in HTML only:\n%s\n%s", m.Text, m.HTML)
			}
		})
	}
	d := mail.ComposeDigest(mail.Digest{To: "mgr@example.com", Name: "Kofi", Link: "https://learn.example.com/", Loc: time.UTC,
		Overdue: []mail.DigestLine{{PersonID: 1, CourseID: 7, Name: "Amara", Team: "Leeds", Course: "Complaints", Due: due}}})
	if d.Subject != "Weekly summary: 1 person overdue on 1 course in your teams" || !strings.Contains(d.Text, "Amara (Leeds): Complaints, due Tuesday 10 March 2026") {
		t.Errorf("digest: %q\n%s", d.Subject, d.Text)
	}
}

// TestDigestSubjectCountsPeopleAndCourses: a digest line is a person on a
// course; the subject counts distinct people and distinct courses.
func TestDigestSubjectCountsPeopleAndCourses(t *testing.T) {
	line := func(person, course int64) mail.DigestLine {
		return mail.DigestLine{PersonID: person, CourseID: course, Name: "P", Course: "C"}
	}
	cases := []struct {
		lines []mail.DigestLine
		want  string
	}{
		{nil, "Your weekly Frontline summary"},
		{[]mail.DigestLine{line(1, 7)}, "Weekly summary: 1 person overdue on 1 course in your teams"},
		{[]mail.DigestLine{line(1, 7), line(1, 8), line(1, 9)}, "Weekly summary: 1 person overdue on 3 courses in your teams"},
		{[]mail.DigestLine{line(1, 7), line(2, 7)}, "Weekly summary: 2 people overdue on 1 course in your teams"},
		{[]mail.DigestLine{line(1, 7), line(1, 8), line(2, 7)}, "Weekly summary: 2 people overdue on 2 courses in your teams"},
	}
	for _, c := range cases {
		if got := mail.ComposeDigest(mail.Digest{To: "mgr@example.com", Name: "Kofi", Overdue: c.lines, Loc: time.UTC}).Subject; got != c.want {
			t.Errorf("%d lines: subject %q, want %q", len(c.lines), got, c.want)
		}
	}
}

func TestSMTPSendsBothPartsAndListUnsubscribe(t *testing.T) {
	srv := mailtest.Start(t)
	s := mail.NewSMTP(mail.Config{Host: srv.Host, Port: srv.Port, From: "Frontline <frontline@example.com>", TLS: mail.TLSNone})
	m := mail.ComposeReminder(mail.Reminder{Kind: mail.KindOverdue, To: "amara@example.com", Name: "Amara Ösei", Course: "Complaints",
		Due: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), Link: "https://learn.example.com/courses/complaints",
		UnsubscribeURL: "https://learn.example.com/unsubscribe/tok", Loc: time.UTC})
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	g := got[0]
	if g.Subject != "Overdue: Complaints" || g.To[0] != "amara@example.com" || g.Header.Get("List-Unsubscribe") != "<https://learn.example.com/unsubscribe/tok>" || g.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("message = %+v", g)
	}
	if !strings.Contains(g.Text, "Amara Ösei") || !strings.Contains(g.HTML, `href="https://learn.example.com/courses/complaints"`) {
		t.Errorf("parts:\n%s\n%s", g.Text, g.HTML)
	}

	srv.RefuseNext(1, 451)
	if err := s.Send(context.Background(), m); err == nil || mail.Permanent(err) {
		t.Errorf("451: err = %v, want a temporary error", err)
	}
	srv.RefuseNext(1, 550)
	if err := s.Send(context.Background(), m); !mail.Permanent(err) {
		t.Errorf("550: err = %v, want a permanent error", err)
	}
}

// A reset or invitation mail carries its link in both parts, says until
// when it works in the organisation's time, and has no unsubscribe link.
func TestAccountLinkMailsCarryTheLinkAndItsExpiry(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	exp := time.Date(2026, 7, 1, 13, 30, 0, 0, time.UTC)
	for kind, subject := range map[string]string{
		mail.KindRecovery:   "Reset your Frontline password",
		mail.KindInvitation: "Your Frontline account: choose a password",
	} {
		m := mail.ComposeAccountLink(mail.AccountLink{Kind: kind, To: "amara@example.com", Name: "Amara <Osei>",
			Link: "https://learn.example.com/x/secret", Expires: exp, Loc: loc})
		if m.Subject != subject || m.UnsubscribeURL != "" {
			t.Errorf("%s: subject %q, unsubscribe %q", kind, m.Subject, m.UnsubscribeURL)
		}
		for _, part := range []string{m.Text, m.HTML} {
			for _, want := range []string{"https://learn.example.com/x/secret", "14:30 on Wednesday 1 July 2026 (BST)"} {
				if !strings.Contains(part, want) {
					t.Errorf("%s lacks %q:\n%s", kind, want, part)
				}
			}
		}
		if !strings.Contains(m.HTML, "Amara &lt;Osei&gt;") {
			t.Errorf("%s: the name is not escaped in HTML:\n%s", kind, m.HTML)
		}
	}
}
