package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func newUser(t *testing.T, st *store.Store, email string) *store.User {
	t.Helper()
	u := &store.User{Name: "Amara Okafor", Email: email, Role: "learner", Active: true, CreatedAt: t0}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func publish(t *testing.T, st *store.Store, slug, hash string) *store.CourseVersion {
	t.Helper()
	v, err := st.Publish(context.Background(), store.Publication{Slug: slug, Title: "Owning the problem",
		Refresher: "12 months", Window: "30 days", PassMark: 80, Source: "[]", Hash: hash, Origin: store.OriginFile, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestUsersEmailIsUniqueAndCaseInsensitive(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "Amara@Example.com")
		if u.ID == 0 {
			t.Fatal("no ID returned")
		}
		got, err := st.UserByEmail(ctx, "  amara@EXAMPLE.com ")
		if err != nil || got.ID != u.ID || got.Email != "amara@example.com" {
			t.Fatalf("UserByEmail = %+v, %v", got, err)
		}
		dup := &store.User{Name: "Other", Email: "AMARA@example.com", Role: "learner", Active: true, CreatedAt: t0}
		if err := st.CreateUser(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate email: err = %v, want ErrConflict", err)
		}
		if _, err := st.UserByEmail(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown email: err = %v, want ErrNotFound", err)
		}
	})
}

func TestSessionsExpireAndEndServerSide(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "mei@example.com")
		s := &store.Session{TokenHash: "h1", UserID: u.ID, CSRFToken: "c", CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := st.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := st.SessionByTokenHash(ctx, "h1", t0.Add(time.Minute))
		if err != nil || got.User == nil || got.User.Email != "mei@example.com" {
			t.Fatalf("session = %+v, %v", got, err)
		}
		if _, err := st.SessionByTokenHash(ctx, "h1", t0.Add(2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired session: err = %v, want ErrNotFound", err)
		}
		if err := st.TouchSession(ctx, s.ID, t0.Add(time.Minute), t0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionByTokenHash(ctx, "h1", t0.Add(2*time.Hour)); err != nil {
			t.Fatalf("touched session should live on: %v", err)
		}
		if err := st.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionByTokenHash(ctx, "h1", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted session: err = %v, want ErrNotFound", err)
		}
	})
}

func TestTokensWorkOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		tok := &store.Token{TokenHash: "t1", Purpose: store.PurposeSetup, CreatedAt: t0}
		if err := st.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		got, err := st.UsableToken(ctx, "t1", store.PurposeSetup, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.UsableToken(ctx, "t1", store.PurposeInvite, t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("wrong purpose: err = %v", err)
		}
		if err := st.UseToken(ctx, got.ID, t0); err != nil {
			t.Fatal(err)
		}
		if err := st.UseToken(ctx, got.ID, t0); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second use: err = %v, want ErrConflict", err)
		}
		if _, err := st.UsableToken(ctx, "t1", store.PurposeSetup, t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("used token still usable: %v", err)
		}
		exp := &store.Token{TokenHash: "t2", Purpose: store.PurposeInvite, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := st.CreateToken(ctx, exp); err != nil {
			t.Fatal(err)
		}
		if _, err := st.UsableToken(ctx, "t2", store.PurposeInvite, t0.Add(2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired token usable: %v", err)
		}
	})
}

func TestSignInHistoryCountsPairAddressAndAccountInTheWindow(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
		for _, a := range []struct {
			account, address string
			minute           int
		}{
			{"a@example.com", "192.0.2.1", 0}, // before the window
			{"a@example.com", "192.0.2.1", 2},
			{"b@example.com", "192.0.2.1", 3},
			{"a@example.com", "192.0.2.1", 4},
			{"a@example.com", "198.51.100.9", 5},
			{"b@example.com", "198.51.100.9", 6},
		} {
			if err := st.Tx(ctx, func(tx *store.Store) error {
				if err := tx.LockSignInAddress(ctx, a.address, at(a.minute)); err != nil {
					return err
				}
				_, err := tx.ReserveSignIn(ctx, a.account, a.address, at(a.minute))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		h, err := st.SignInHistory(ctx, "a@example.com", "192.0.2.1", at(1))
		if err != nil {
			t.Fatal(err)
		}
		want := auth.SignInHistory{Pair: 2, Address: 3, Account: 3, PairOldest: at(2), PairLatest: at(4), AddressOldest: at(2)}
		if diff := cmp.Diff(want, h); diff != "" {
			t.Fatalf("history (-want +got):\n%s", diff)
		}

		// A good sign-in releases its pair only: the account's failures
		// elsewhere and the address's on other accounts stay.
		if err := st.ReleaseSignIns(ctx, "a@example.com", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		h, _ = st.SignInHistory(ctx, "a@example.com", "192.0.2.1", at(1))
		if diff := cmp.Diff(auth.SignInHistory{Address: 1, Account: 1, AddressOldest: at(3)}, h); diff != "" {
			t.Fatalf("after release (-want +got):\n%s", diff)
		}
		if err := st.DeleteSignInsBefore(ctx, at(6)); err != nil {
			t.Fatal(err)
		}
		h, _ = st.SignInHistory(ctx, "b@example.com", "198.51.100.9", t0.Add(-time.Hour))
		if diff := cmp.Diff(auth.SignInHistory{Pair: 1, Address: 1, Account: 1, PairOldest: at(6), PairLatest: at(6), AddressOldest: at(6)}, h); diff != "" {
			t.Fatalf("after deleting old rows (-want +got):\n%s", diff)
		}
	})
}

func TestPublishNumbersVersionsAndMovesCurrent(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		v1 := publish(t, st, "owning-the-problem", "h1")
		v2 := publish(t, st, "owning-the-problem", "h2")
		if v1.Number != 1 || v2.Number != 2 {
			t.Fatalf("numbers = %d, %d", v1.Number, v2.Number)
		}
		c, err := st.CourseBySlug(ctx, "owning-the-problem")
		if err != nil || c.CurrentVersionID != v2.ID {
			t.Fatalf("course = %+v, %v; want current %d", c, err, v2.ID)
		}
		last, err := st.LatestVersion(ctx, "owning-the-problem", store.OriginFile)
		if err != nil || last.Hash != "h2" {
			t.Fatalf("latest = %+v, %v", last, err)
		}
		if _, err := st.LatestVersion(ctx, "owning-the-problem", store.OriginEditor); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no editor version: err = %v", err)
		}
		cs, err := st.PublishedCourses(ctx)
		if err != nil || len(cs) != 1 {
			t.Fatalf("published = %v, %v", cs, err)
		}
		log, _, err := st.AuditLog(ctx, store.AuditQuery{Limit: 10})
		if err != nil || len(log) != 2 || log[0].Action != "course.publish" {
			t.Fatalf("audit = %+v, %v", log, err)
		}
	})
}

func TestAttemptWithTheSameKeyIsStoredOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "tomas@example.com")
		v := publish(t, st, "c", "h")
		mk := func() *store.Attempt {
			return &store.Attempt{UserID: u.ID, CourseID: v.CourseID, VersionID: v.ID, ModuleSlug: "m",
				IdempotencyKey: "k-0123456789abcdef", Correct: 1, Total: 2, Score: 50, SubmittedAt: t0}
		}
		answers := func() []store.AttemptAnswer {
			return []store.AttemptAnswer{{QuestionID: "q1", ChoiceIDs: "a b", Correct: true}, {QuestionID: "q2", ChoiceIDs: "", Correct: false}}
		}
		a1 := mk()
		ok, err := st.InsertAttempt(ctx, a1, answers())
		if err != nil || !ok {
			t.Fatalf("first insert: %v, %v", ok, err)
		}
		a2 := mk()
		ok, err = st.InsertAttempt(ctx, a2, answers())
		if err != nil || ok || a2.ID != a1.ID {
			t.Fatalf("second insert: inserted=%v id=%d (first %d), %v", ok, a2.ID, a1.ID, err)
		}
		got, err := st.AttemptByID(ctx, a1.ID)
		if err != nil || len(got.Answers) != 2 || got.Answers[0].Choices()[1] != "b" {
			t.Fatalf("attempt = %+v, %v", got, err)
		}
		all, err := st.AttemptsOfUser(ctx, u.ID, v.CourseID, 10)
		if err != nil || len(all) != 1 {
			t.Fatalf("attempts = %d, %v", len(all), err)
		}
	})
}

func TestProgressAndEnrolmentUpserts(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "priya@example.com")
		v := publish(t, st, "c", "h")
		e1, err := st.EnsureEnrolment(ctx, u.ID, v.CourseID, t0)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := st.EnsureEnrolment(ctx, u.ID, v.CourseID, t0.Add(time.Hour))
		if err != nil || e2.ID != e1.ID || !e2.CreatedAt.Equal(t0) {
			t.Fatalf("second ensure = %+v, %v", e2, err)
		}
		if err := st.MarkViewed(ctx, u.ID, v.CourseID, v.ID, "m1", t0); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkViewed(ctx, u.ID, v.CourseID, v.ID, "m1", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkPassed(ctx, u.ID, v.CourseID, v.ID, "m1", 90, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkRead(ctx, u.ID, v.CourseID, v.ID, "m2", t0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		ps, err := st.Progress(ctx, u.ID, v.CourseID)
		if err != nil || len(ps) != 2 {
			t.Fatalf("progress = %+v, %v", ps, err)
		}
		for _, p := range ps {
			switch p.ModuleSlug {
			case "m1":
				if !p.FirstViewedAt.Equal(t0) || !p.PassedAt.Equal(t0.Add(2*time.Hour)) || p.PassScore == nil || *p.PassScore != 90 {
					t.Errorf("m1 = %+v", p)
				}
			case "m2":
				if !p.ReadAt.Equal(t0.Add(3*time.Hour)) || !p.PassedAt.IsZero() {
					t.Errorf("m2 = %+v", p)
				}
			}
		}
		if _, err := st.ActiveEnrolment(ctx, u.ID, v.CourseID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.InsertCompletion(ctx, &store.Completion{UserID: u.ID, CourseID: v.CourseID, VersionID: v.ID, CompletedAt: t0.Add(4 * time.Hour), Score: 90}); err != nil {
			t.Fatal(err)
		}
		due := t0.AddDate(1, 0, 0)
		if err := st.SetEnrolmentSchedule(ctx, e1.ID, t0.Add(4*time.Hour), due, 1); err != nil {
			t.Fatal(err)
		}
		e, err := st.Enrolment(ctx, u.ID, v.CourseID)
		if err != nil || !e.NextDueAt.Equal(due) || e.Cycle != 1 || !e.StartedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("enrolment = %+v, %v", e, err)
		}
		// Activity on an existing enrolment keeps its start and its schedule.
		act, err := st.ActiveEnrolment(ctx, u.ID, v.CourseID, t0.Add(5*time.Hour))
		if err != nil || act.ID != e.ID || !act.StartedAt.Equal(t0.Add(time.Hour)) || !act.LastActivityAt.Equal(t0.Add(5*time.Hour)) || !act.NextDueAt.Equal(due) || act.Cycle != 1 {
			t.Fatalf("ActiveEnrolment on an existing row = %+v, %v", act, err)
		}

		// The hot path reads both in one query, and agrees with the two reads.
		oneE, oneP, err := st.EnrolmentAndProgress(ctx, u.ID, v.CourseID)
		if err != nil || oneE == nil || oneE.ID != e.ID || !oneE.NextDueAt.Equal(due) || len(oneP) != 2 {
			t.Fatalf("EnrolmentAndProgress = %+v, %d rows, %v", oneE, len(oneP), err)
		}
		for _, p := range oneP {
			if p.ModuleSlug == "m1" && (p.PassScore == nil || *p.PassScore != 90 || !p.PassedAt.Equal(t0.Add(2*time.Hour))) {
				t.Errorf("m1 via the join = %+v", p)
			}
			if p.ModuleSlug == "m2" && !p.PassedAt.IsZero() {
				t.Errorf("m2 via the join = %+v", p)
			}
		}
		other := newUser(t, st, "nobody@example.com")
		if ne, np, err := st.EnrolmentAndProgress(ctx, other.ID, v.CourseID); err != nil || ne != nil || np != nil {
			t.Fatalf("no enrolment: %v %v %v", ne, np, err)
		}
		if fresh, err := st.ActiveEnrolment(ctx, other.ID, v.CourseID, t0); err != nil || fresh.ID == 0 || !fresh.StartedAt.Equal(t0) || !fresh.LastActivityAt.Equal(t0) {
			t.Fatalf("ActiveEnrolment creating a row = %+v, %v", fresh, err)
		}
		if ne, np, err := st.EnrolmentAndProgress(ctx, other.ID, v.CourseID); err != nil || ne == nil || len(np) != 0 {
			t.Fatalf("enrolment without progress: %v %v %v", ne, np, err)
		}

		cs, err := st.Completions(ctx, u.ID, 0)
		if err != nil || len(cs) != 1 || cs[0].Score != 90 {
			t.Fatalf("completions = %+v, %v", cs, err)
		}
	})
}

func TestSavePracticeUpsertsInOneStatementAndKeepsTheLastOfDuplicates(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "sione@example.com")
		v := publish(t, st, "c", "h")
		item := func(q string, rung int) store.PracticeItem {
			return store.PracticeItem{UserID: u.ID, CourseID: v.CourseID, QuestionID: q, Rung: rung, DueAt: t0.AddDate(0, 0, 1), UpdatedAt: t0}
		}
		if err := st.SavePractice(ctx, []store.PracticeItem{item("a", 0), item("b", 0), item("a", 2)}); err != nil {
			t.Fatal(err)
		}
		if err := st.SavePractice(ctx, []store.PracticeItem{item("b", 1)}); err != nil {
			t.Fatal(err)
		}
		if err := st.SavePractice(ctx, nil); err != nil {
			t.Fatal(err)
		}
		got, err := st.PracticeItems(ctx, u.ID, v.CourseID)
		if err != nil || len(got) != 2 {
			t.Fatalf("items = %+v, %v", got, err)
		}
		for _, it := range got {
			if want := map[string]int{"a": 2, "b": 1}[it.QuestionID]; it.Rung != want {
				t.Errorf("question %s at rung %d, want %d", it.QuestionID, it.Rung, want)
			}
		}
	})
}
