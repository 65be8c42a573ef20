package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/mail/mailtest"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

var fixture = fstest.MapFS{
	"desk-basics/course.md": {Data: []byte("---\ntitle: Desk basics\nrefresher: 12 months\nwindow: 30 days\npass: 80\nrefresher_questions: 2\n---\nFront desk.\n")},
	"desk-basics/01-greeting.md": {Data: []byte(`---
title: Greeting a guest
---
Greet every guest.

## Quiz

### What do you do first? {#first}

- [x] Greet them
- [ ] Finish the call

> Warmth first.
`)},
}

var (
	completed  = time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC) // due 10 Mar 2026; the window opens 8 Feb 2026
	at         = func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	quietLog   = slog.New(slog.NewTextHandler(io.Discard, nil))
	courseSlug = "desk-basics"
)

// instance is one app instance's view of a shared database.
type instance struct {
	st  *store.Store
	cat *catalog.Catalog
}

func newInstance(db *database.DB) instance {
	st := store.New(db)
	return instance{st: st, cat: catalog.New(st, quietLog, &learning.Service{Store: st, Location: time.UTC})}
}

func (in instance) scheduler(owner string, sender mail.Sender) *jobs.Scheduler {
	return &jobs.Scheduler{Store: in.st, Catalog: in.cat, Learning: &learning.Service{Store: in.st, Location: time.UTC},
		Sender: sender, BaseURL: "https://learn.example.com", Location: time.UTC, Log: quietLog, Owner: owner}
}

func sender(srv *mailtest.Server) mail.Sender {
	return mail.NewSMTP(mail.Config{Host: srv.Host, Port: srv.Port, From: "Frontline <frontline@example.com>", TLS: mail.TLSNone})
}

// setup publishes the fixture course on db.
func setup(t *testing.T, db *database.DB) instance {
	t.Helper()
	in := newInstance(db)
	if _, err := in.cat.Import(context.Background(), fixture, completed.AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	return in
}

func addUser(t *testing.T, st *store.Store, name string, role auth.Role) *store.User {
	t.Helper()
	u := &store.User{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com", Role: string(role), Active: true, CreatedAt: completed}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// complete records a course completion as learning does, with the schedule Derive gives.
func complete(t *testing.T, st *store.Store, u *store.User, when time.Time) {
	t.Helper()
	ctx := context.Background()
	row, err := st.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.EnsureEnrolment(ctx, u.ID, row.ID, when)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.InsertCompletion(ctx, &store.Completion{UserID: u.ID, CourseID: row.ID, VersionID: row.CurrentVersionID, CompletedAt: when, Score: 100}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEnrolmentSchedule(ctx, e.ID, when, time.Date(when.Year()+1, when.Month(), when.Day(), 0, 0, 0, 0, time.UTC), 1); err != nil {
		t.Fatal(err)
	}
}

func tick(t *testing.T, s *jobs.Scheduler, now time.Time) {
	t.Helper()
	if err := s.Tick(context.Background(), now); err != nil {
		t.Fatalf("tick at %v: %v", now, err)
	}
}

// subjects lists "to: subject" of every message received, sorted.
func subjects(srv *mailtest.Server) []string {
	var out []string
	for _, m := range srv.Messages() {
		out = append(out, m.To[0]+": "+m.Subject)
	}
	slices.Sort(out)
	return out
}

func mustSubjects(t *testing.T, what string, srv *mailtest.Server, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := subjects(srv); !slices.Equal(got, want) {
		t.Fatalf("%s: mail received\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestEachReminderKindIsSentOnItsDay(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		in := setup(t, db)
		s := in.scheduler("one", sender(srv))
		amara := addUser(t, in.st, "Amara Osei", auth.Learner)
		kofi := addUser(t, in.st, "Kofi Mensah", auth.Manager)
		complete(t, in.st, amara, completed)
		team, err := in.st.CreateTeam(ctx, 0, "Leeds desk", completed)
		if err != nil {
			t.Fatal(err)
		}
		if err := in.st.SetTeam(ctx, amara.ID, team.ID, completed, time.UTC); err != nil {
			t.Fatal(err)
		}
		if err := in.st.SetManager(ctx, team.ID, kofi.ID, true, completed); err != nil {
			t.Fatal(err)
		}

		tick(t, s, at(2, 7, 9))
		mustSubjects(t, "before the window", srv)
		tick(t, s, at(2, 8, 9))
		mustSubjects(t, "the window opens", srv, "amara@example.com: Your refresher is open: Desk basics")
		tick(t, s, at(2, 8, 10)) // the next sweep the same day sends nothing again
		tick(t, s, at(3, 9, 9))
		mustSubjects(t, "the day before", srv, "amara@example.com: Your refresher is open: Desk basics", "amara@example.com: Due tomorrow: Desk basics")
		tick(t, s, at(3, 11, 9))
		tick(t, s, at(3, 18, 9))
		mustSubjects(t, "overdue, then a week later", srv,
			"amara@example.com: Your refresher is open: Desk basics", "amara@example.com: Due tomorrow: Desk basics",
			"amara@example.com: Overdue: Desk basics", "amara@example.com: Overdue: Desk basics",
			"kofi@example.com: Weekly summary: 1 person overdue on 1 course in your teams", "kofi@example.com: Weekly summary: 1 person overdue on 1 course in your teams")

		for _, m := range srv.Messages() {
			if m.Header.Get("List-Unsubscribe") == "" || !strings.Contains(m.Text, "https://learn.example.com/") || !strings.Contains(m.HTML, `href="https://learn.example.com/`) {
				t.Errorf("%s lacks a link or List-Unsubscribe:\n%s", m.Subject, m.Raw)
			}
			if strings.HasPrefix(m.Subject, "Your refresher is open") && !strings.Contains(m.Text, "https://learn.example.com/refresher/desk-basics") {
				t.Errorf("the window mail must lead to the refresher quiz:\n%s", m.Text)
			}
			if strings.HasPrefix(m.Subject, "Weekly summary") && !strings.Contains(m.Text, "Amara Osei (Leeds desk): Desk basics") {
				t.Errorf("the digest must name who is overdue:\n%s", m.Text)
			}
		}

		// Overdue mail stops after four.
		for _, d := range []int{25, 26} {
			tick(t, s, at(3, d, 9))
		}
		tick(t, s, at(4, 1, 9))
		tick(t, s, at(4, 8, 9))
		tick(t, s, at(4, 15, 9))
		n := 0
		for _, m := range srv.Messages() {
			if m.To[0] == "amara@example.com" && strings.HasPrefix(m.Subject, "Overdue") {
				n++
			}
		}
		if n != 4 {
			t.Errorf("%d overdue mails, want 4", n)
		}
	})
}

func TestAssignmentMailAndDigestOnlyChoice(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		in := setup(t, db)
		s := in.scheduler("one", sender(srv))
		mei := addUser(t, in.st, "Mei Tan", auth.Learner)
		olek := addUser(t, in.st, "Olek Nowak", auth.Learner)
		row, _ := in.st.CourseBySlug(ctx, courseSlug)
		for _, u := range []*store.User{mei, olek} {
			e, err := in.st.EnsureEnrolment(ctx, u.ID, row.ID, at(3, 1, 9))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.W.NewUpdate().Model((*store.Enrolment)(nil)).Set("assigned_at = ?", at(3, 1, 9)).
				Set("due_at = ?", at(3, 20, 0)).Where("id = ?", e.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := in.st.EnsureSettings(ctx, olek.ID, "olek-unsub", at(3, 1, 9)); err != nil {
			t.Fatal(err)
		}
		if err := in.st.SetMailPref(ctx, olek.ID, store.MailDigest, at(3, 1, 9)); err != nil {
			t.Fatal(err)
		}
		tick(t, s, at(3, 2, 9))
		mustSubjects(t, "assigned", srv, "mei@example.com: New course: Desk basics", "olek@example.com: Your weekly Frontline summary")
		tick(t, s, at(3, 19, 9))
		mustSubjects(t, "due tomorrow goes to both: it is compliance mail", srv,
			"mei@example.com: New course: Desk basics", "olek@example.com: Your weekly Frontline summary",
			"mei@example.com: Due tomorrow: Desk basics", "olek@example.com: Due tomorrow: Desk basics",
			"olek@example.com: Your weekly Frontline summary")
	})
}

// twoInstances opens the same database twice, as two app instances would.
func twoInstances(t *testing.T, fn func(t *testing.T, a, b *database.DB)) {
	open := func(t *testing.T, dsn string) *database.DB {
		db, err := database.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "frontline.db")
		fn(t, open(t, path), open(t, path))
	})
	if dsn := apptest.PostgresDSN(); dsn != "" {
		t.Run("pg", func(t *testing.T) {
			schema := apptest.PostgresSchema(t, dsn)
			fn(t, open(t, schema), open(t, schema))
		})
	}
}

func TestTwoSchedulersSendEachReminderExactlyOnce(t *testing.T) {
	twoInstances(t, func(t *testing.T, dbA, dbB *database.DB) {
		srv := mailtest.Start(t)
		a := setup(t, dbA)
		b := newInstance(dbB)
		const people = 30
		for i := range people {
			complete(t, a.st, addUser(t, a.st, fmt.Sprintf("Person%02d Test", i), auth.Learner), completed)
		}
		schedulers := []*jobs.Scheduler{a.scheduler("a", sender(srv)), b.scheduler("b", sender(srv))}
		// Both instances tick at the same moments, at once, several times:
		// the job lease gives the sweep to one, SKIP LOCKED splits the sending.
		for _, now := range []time.Time{at(2, 8, 9), at(2, 8, 9), at(2, 8, 9).Add(time.Minute), at(2, 8, 9).Add(20 * time.Minute)} {
			var wg sync.WaitGroup
			for _, s := range schedulers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 3 {
						if err := s.Tick(context.Background(), now); err != nil {
							t.Errorf("tick: %v", err)
						}
					}
				}()
			}
			wg.Wait()
		}
		got := subjects(srv)
		if len(got) != people {
			t.Fatalf("%d mails for %d people:\n%s", len(got), people, strings.Join(got, "\n"))
		}
		if c := slices.Compact(slices.Clone(got)); len(c) != people {
			t.Fatalf("duplicates among %d mails", len(got))
		}
		if srv.Tried() != people {
			t.Errorf("%d messages offered to the server, want %d", srv.Tried(), people)
		}
	})
}

func TestRefusedMailIsRetriedWithBackoffAndPermanentFailureIsKept(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		in := setup(t, db)
		s := in.scheduler("one", sender(srv))
		complete(t, in.st, addUser(t, in.st, "Amara Osei", auth.Learner), completed)
		now := at(2, 8, 9)
		srv.RefuseNext(1, 451)
		tick(t, s, now)
		if srv.Tried() != 1 || len(srv.Messages()) != 0 {
			t.Fatalf("first try: offered %d, accepted %d", srv.Tried(), len(srv.Messages()))
		}
		tick(t, s, now.Add(jobs.Backoff[0]-time.Second))
		if srv.Tried() != 1 {
			t.Fatalf("retried before the backoff: offered %d", srv.Tried())
		}
		tick(t, s, now.Add(jobs.Backoff[0]))
		mustSubjects(t, "after the backoff", srv, "amara@example.com: Your refresher is open: Desk basics")
		sent, err := in.st.Outbox(ctx, store.OutboxSent, 10)
		if err != nil || len(sent) != 1 || sent[0].Attempts != 2 {
			t.Fatalf("outbox = %+v, %v", sent, err)
		}

		// A mailbox refused for good fails at once and is kept for admins.
		complete(t, in.st, addUser(t, in.st, "Ghost Person", auth.Learner), completed)
		srv.RefuseNext(1, 550)
		tick(t, s, now.Add(time.Hour))
		failed, err := in.st.Outbox(ctx, store.OutboxFailed, 10)
		if err != nil || len(failed) != 1 || failed[0].To != "ghost@example.com" || !strings.Contains(failed[0].LastError, "550") {
			t.Fatalf("failed = %+v, %v", failed, err)
		}
		tick(t, s, now.Add(48*time.Hour))
		if srv.Tried() != 3 {
			t.Errorf("a permanent failure was retried: offered %d", srv.Tried())
		}
	})
}

func TestCatchUpAfterDowntimeSendsWhatIsTrueNowOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		srv := mailtest.Start(t)
		in := setup(t, db)
		s := in.scheduler("one", sender(srv))
		complete(t, in.st, addUser(t, in.st, "Amara Osei", auth.Learner), completed)
		tick(t, s, at(2, 1, 9)) // running before the window opens: nothing to send
		mustSubjects(t, "before", srv)
		// Down from 1 Feb to 20 Mar: the window opening, the day before and
		// the first overdue day all passed unseen.
		tick(t, s, at(3, 20, 9))
		tick(t, s, at(3, 20, 9).Add(jobs.RemindEvery))
		mustSubjects(t, "after the downtime", srv, "amara@example.com: Overdue: Desk basics")
		tick(t, s, at(3, 25, 9))
		mustSubjects(t, "the next week", srv, "amara@example.com: Overdue: Desk basics", "amara@example.com: Overdue: Desk basics")
	})
}

func TestMailWaitsWithoutSMTPAndGoesOutOnceConfigured(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		in := setup(t, db)
		complete(t, in.st, addUser(t, in.st, "Amara Osei", auth.Learner), completed)
		tick(t, in.scheduler("unconfigured", nil), at(2, 8, 9))
		pending, err := in.st.Outbox(ctx, store.OutboxPending, 10)
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending = %+v, %v", pending, err)
		}
		tick(t, in.scheduler("configured", sender(srv)), at(2, 9, 9))
		mustSubjects(t, "once configured", srv, "amara@example.com: Your refresher is open: Desk basics")
	})
}

// TestDigestSubjectCountsPeopleNotEnrolments: a manager whose team has two
// people overdue, one of them on two courses, reads "2 people overdue on 2
// courses", not "3 people".
func TestDigestSubjectCountsPeopleNotEnrolments(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := newInstance(db)
		content := fstest.MapFS{"phone-basics/course.md": {Data: []byte("---\ntitle: Phone basics\nrefresher: 6 months\nwindow: 14 days\npass: 80\n---\n")},
			"phone-basics/01-answering.md": {Data: []byte("---\ntitle: Answering\n---\nAnswer within three rings.\n")}}
		for k, v := range fixture {
			content[k] = v
		}
		if _, err := in.cat.Import(ctx, content, completed.AddDate(0, -1, 0)); err != nil {
			t.Fatal(err)
		}
		amara := addUser(t, in.st, "Amara Osei", auth.Learner)
		ben := addUser(t, in.st, "Ben Ode", auth.Learner)
		kofi := addUser(t, in.st, "Kofi Mensah", auth.Manager)
		team, err := in.st.CreateTeam(ctx, 0, "Leeds desk", completed)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*store.User{amara, ben} {
			if err := in.st.SetTeam(ctx, u.ID, team.ID, completed, time.UTC); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.st.SetManager(ctx, team.ID, kofi.ID, true, completed); err != nil {
			t.Fatal(err)
		}
		desk, err := in.st.CourseBySlug(ctx, "desk-basics")
		if err != nil {
			t.Fatal(err)
		}
		phone, err := in.st.CourseBySlug(ctx, "phone-basics")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []*store.Assignment{
			{CourseID: desk.ID, TeamID: team.ID, DueDays: 7, CreatedAt: completed},
			{CourseID: phone.ID, UserID: amara.ID, DueDays: 7, CreatedAt: completed},
		} {
			if _, err := (&reports.Service{Store: in.st, Location: time.UTC}).Assign(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}

		tick(t, in.scheduler("one", nil), completed.AddDate(0, 0, 14))
		msgs, err := in.st.Outbox(ctx, store.OutboxPending, 100)
		if err != nil {
			t.Fatal(err)
		}
		var digests []string
		for _, m := range msgs {
			if m.To == "kofi@example.com" {
				digests = append(digests, m.Subject)
			}
		}
		if want := []string{"Weekly summary: 2 people overdue on 2 courses in your teams"}; !slices.Equal(digests, want) {
			t.Errorf("Kofi's mail: %q, want %q", digests, want)
		}
	})
}

// TestPeopleWithoutEmailAreToldByTheirManager: the sweep queues no mail for
// someone who has only a username, and the manager's digest lists, in its
// own section, those of them overdue or due soon, and not the one with
// nothing due nor the one with an email.
func TestPeopleWithoutEmailAreToldByTheirManager(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		amara := addUser(t, in.st, "Amara Osei", auth.Learner)
		kofi := addUser(t, in.st, "Kofi Mensah", auth.Manager)
		noEmail := func(name, username string) *store.User {
			u := &store.User{Name: name, Username: username, Role: string(auth.Learner), Active: true, CreatedAt: completed}
			if err := in.st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		late := noEmail("Lena Late", "lena")
		soon := noEmail("Sam Soon", "sam")
		done := noEmail("Dora Done", "dora")
		team, err := in.st.CreateTeam(ctx, 0, "Leeds desk", completed)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*store.User{amara, late, soon, done} {
			if err := in.st.SetTeam(ctx, u.ID, team.ID, completed, time.UTC); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.st.SetManager(ctx, team.ID, kofi.ID, true, completed); err != nil {
			t.Fatal(err)
		}
		complete(t, in.st, amara, completed)                  // due 10 Mar 2026: due soon on 20 Feb
		complete(t, in.st, soon, completed)                   // the same, without email
		complete(t, in.st, late, completed.AddDate(0, -2, 0)) // due 10 Jan 2026: overdue
		complete(t, in.st, done, at(1, 5, 9))                 // due 5 Jan 2027: nothing due

		tick(t, in.scheduler("one", nil), at(2, 20, 9))
		msgs, err := in.st.Outbox(ctx, store.OutboxPending, 100)
		if err != nil {
			t.Fatal(err)
		}
		var digest string
		var toAmara int
		for _, m := range msgs {
			switch {
			case m.To == "":
				t.Errorf("a message with no address was queued: %q for user %d", m.Subject, m.UserID)
			case m.UserID == late.ID || m.UserID == soon.ID || m.UserID == done.ID:
				t.Errorf("mail queued for someone without email: %q to %q", m.Subject, m.To)
			case m.To == "amara@example.com":
				toAmara++
			case m.To == "kofi@example.com" && m.Kind == store.MailDigestKind:
				digest = m.Text
			}
		}
		if toAmara == 0 {
			t.Error("Amara, who has an email, got no reminder")
		}
		_, section, ok := strings.Cut(digest, "tell them in person")
		if !ok {
			t.Fatalf("Kofi's digest has no section for the people without email:\n%s", digest)
		}
		section, _, _ = strings.Cut(section, "Open Frontline")
		for _, want := range []string{"Lena Late (Leeds desk): Desk basics, overdue since", "Sam Soon (Leeds desk): Desk basics, due"} {
			if !strings.Contains(section, want) {
				t.Errorf("the no-email section lacks %q:\n%s", want, section)
			}
		}
		for _, not := range []string{"Dora Done", "Amara"} {
			if strings.Contains(section, not) {
				t.Errorf("the no-email section lists %s:\n%s", not, section)
			}
		}
	})
}
