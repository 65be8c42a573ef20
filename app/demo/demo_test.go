package demo_test

import (
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/demo"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

var allStates = []courses.Status{courses.NotStarted, courses.InProgress, courses.Completed, courses.DueSoon, courses.Overdue}

func TestRunBuildsAnOrganisationWhereEveryStateAppears(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st := store.New(db)
		cat := catalog.New(st, slog.New(slog.DiscardHandler), &learning.Service{Store: st, Location: time.UTC})
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		opts := demo.Options{Store: st, Catalog: cat, Content: content.FS, Learners: 30, Seed: 1, Now: now}

		rep, err := demo.Run(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 33 || rep.Existing != 0 || len(rep.People) != 33 {
			t.Fatalf("created %d, existing %d, people %d; want 33, 0, 33", rep.Created, rep.Existing, len(rep.People))
		}
		users, err := st.Users(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]int{}
		for _, u := range users {
			roles[u.Role]++
			if !strings.HasSuffix(u.Email, "@"+demo.Domain) {
				t.Errorf("%s is not a demo address", u.Email)
			}
		}
		if diff := cmp.Diff(map[string]int{"admin": 1, "trainer": 1, "manager": 1, "learner": 30}, roles); diff != "" {
			t.Errorf("roles (-want +got):\n%s", diff)
		}
		if !auth.CheckPassword(users[0].PasswordHash, rep.Password) {
			t.Errorf("the printed password does not sign %s in", users[0].Email)
		}

		// Derive every state again the way the dashboard does, one person
		// at a time, and check it against Run's bulk count.
		rows, err := st.PublishedCourses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		versions := make([]*courses.Course, len(rows))
		for i, r := range rows {
			if versions[i], err = cat.Version(ctx, r.CurrentVersionID); err != nil {
				t.Fatal(err)
			}
		}
		svc := &learning.Service{Store: st, Location: time.UTC}
		states := map[courses.Status]int{}
		attempts, completions := 0, 0
		for _, u := range users {
			ov, err := svc.Overview(ctx, u.ID, rows, versions, now)
			if err != nil {
				t.Fatal(err)
			}
			for i, cs := range ov {
				states[cs.Standing.State.Status]++
				as, err := st.AttemptsOfUser(ctx, u.ID, cs.Course.ID, 1000)
				if err != nil {
					t.Fatal(err)
				}
				attempts += len(as)
				for _, a := range as {
					checkGrade(t, ctx, st, versions[i], a.ID)
				}
			}
			cos, err := st.Completions(ctx, u.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			completions += len(cos)
		}
		for _, s := range allStates {
			if states[s] == 0 {
				t.Errorf("no person is %q on any course: %v", s, states)
			}
		}
		if diff := cmp.Diff(states, rep.States); diff != "" {
			t.Errorf("Run's state counts differ from the dashboard's (-dashboard +run):\n%s", diff)
		}
		if attempts == 0 || attempts != rep.Attempts || completions == 0 || completions != rep.Completions {
			t.Errorf("stored %d attempts and %d completions, Run reported %d and %d", attempts, completions, rep.Attempts, rep.Completions)
		}

		// A new demo password ends the sessions the old one opened.
		hash := auth.HashToken(auth.NewToken())
		if err := st.CreateSession(ctx, &store.Session{TokenHash: hash, UserID: users[0].ID, CSRFToken: auth.NewToken(),
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(auth.IdleTimeout)}); err != nil {
			t.Fatal(err)
		}
		again, err := demo.Run(ctx, demo.Options{Store: st, Catalog: cat, Content: content.FS, Learners: 30, Seed: 1, Now: now.Add(time.Hour)})
		if _, err := st.SessionByTokenHash(ctx, hash, now.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a session opened with the old demo password survives the new one: %v", err)
		}
		if err != nil {
			t.Fatalf("second run: %v", err)
		}
		if again.Created != 0 || again.Existing != 33 || again.Attempts != 0 || again.Completions != 0 {
			t.Errorf("second run created %d people, %d attempts, %d completions and found %d; want 0, 0, 0, 33",
				again.Created, again.Attempts, again.Completions, again.Existing)
		}
		if n, err := st.CountUsers(ctx); err != nil || n != 33 {
			t.Errorf("after two runs: %d users (%v), want 33", n, err)
		}
		u, err := st.UserByID(ctx, users[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Password == rep.Password || !auth.CheckPassword(u.PasswordHash, again.Password) || auth.CheckPassword(u.PasswordHash, rep.Password) {
			t.Error("the second run must give the demo accounts a new password, and the old one must stop working")
		}
	})
}

// checkGrade grades a stored attempt's answers again with the course's
// grader: the demo data must be what the app itself would have stored.
func checkGrade(t *testing.T, ctx context.Context, st *store.Store, c *courses.Course, id int64) {
	t.Helper()
	a, err := st.AttemptByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := c.Module(a.ModuleSlug)
	if !ok {
		t.Fatalf("attempt %d is on module %q, which %q does not have", id, a.ModuleSlug, c.Slug)
	}
	answers := courses.Answers{}
	var shown courses.Draw
	for _, aa := range a.Answers {
		answers[aa.QuestionID] = aa.Choices()
		shown = append(shown, courses.DrawnQuestion{ID: aa.QuestionID})
	}
	if len(a.Answers) != m.PerAttempt() {
		t.Errorf("attempt %d answered %d questions, a draw of %q shows %d", id, len(a.Answers), m.Slug, m.PerAttempt())
	}
	// Graded as the app grades it: against the questions its draw showed.
	quiz, err := m.Shown(shown)
	if err != nil {
		t.Fatalf("attempt %d: %v", id, err)
	}
	res, err := quiz.Grade(answers, c.Pass)
	if err != nil {
		t.Fatalf("attempt %d: %v", id, err)
	}
	if res.Score != a.Score || res.Passed != a.Passed || res.Correct != a.Correct || res.Total != a.Total {
		t.Errorf("attempt %d stored %d/%d (%d%%, passed %v), grades as %d/%d (%d%%, passed %v)",
			id, a.Correct, a.Total, a.Score, a.Passed, res.Correct, res.Total, res.Score, res.Passed)
	}
}

func TestRosterGivesUniqueAddressesForTheSameSeed(t *testing.T) {
	people := demo.Roster(1, 5000)
	if diff := cmp.Diff(people[:40], demo.Roster(1, 37)); diff != "" {
		t.Errorf("the first people must not depend on the number of learners (-5000 +37):\n%s", diff)
	}
	wantRoles := []auth.Role{auth.Admin, auth.Trainer, auth.Manager, auth.Learner}
	seen := map[string]bool{}
	for i, p := range people {
		if i < len(wantRoles) && p.Role != wantRoles[i] {
			t.Errorf("person %d is %s, want %s", i, p.Role, wantRoles[i])
		}
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || !strings.HasSuffix(p.Email, "@"+demo.Domain) {
			t.Errorf("%q is not a plain demo address (%v)", p.Email, err)
		}
		for _, r := range p.Email {
			if r > 127 {
				t.Errorf("%q is not ASCII", p.Email)
				break
			}
		}
		if seen[p.Email] {
			t.Errorf("%s appears twice", p.Email)
		}
		seen[p.Email] = true
	}
	if diff := cmp.Diff(demo.Roster(1, 30), demo.Roster(2, 30)); diff == "" {
		t.Error("another seed should give other people")
	}
}
