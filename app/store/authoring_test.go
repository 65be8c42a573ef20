package store_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

func TestDraftSaveFromStaleRevisionIsRefusedWithTheirText(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		amara := newUser(t, st, "amara@example.com")
		tomas := newUser(t, st, "tomas@example.com")
		d := &store.Draft{Slug: "desk", Title: "Desk", CreatedAt: t0, UpdatedAt: t0}
		err := st.CreateDraft(ctx, d, []store.DraftFile{{Name: "course.md", Body: "a", UpdatedAt: t0}, {Name: "01-x.md", Body: "b", UpdatedAt: t0}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateDraft(ctx, &store.Draft{Slug: "desk", CreatedAt: t0, UpdatedAt: t0}, nil); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second draft of the same slug: err = %v, want ErrConflict", err)
		}
		f := d.Files[1]
		if f.ID == 0 || f.Revision != 1 {
			t.Fatalf("file after create: %+v", f)
		}
		saved, err := st.SaveDraftFile(ctx, d.ID, f.ID, 1, "b by Amara", &amara.ID, t0.Add(time.Minute))
		if err != nil || saved.Revision != 2 {
			t.Fatalf("first save: %+v, %v", saved, err)
		}
		// Tomás still edits revision 1: refused, and told what Amara wrote.
		got, err := st.SaveDraftFile(ctx, d.ID, f.ID, 1, "b by Tomás", &tomas.ID, t0.Add(2*time.Minute))
		if !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale save: err = %v, want ErrStale", err)
		}
		if got.Body != "b by Amara" || got.Revision != 2 || got.ByName != "Amara Okafor" {
			t.Fatalf("stale save reports %+v", got)
		}
		back, err := st.DraftBySlug(ctx, "desk")
		if err != nil || back.Files[0].Body != "b by Amara" || !back.Changed || back.UpdatedBy == nil || *back.UpdatedBy != amara.ID {
			t.Fatalf("draft after saves: %+v, %v", back, err)
		}
		// Swapping names goes through temporary names, so the unique rule holds.
		if err := st.RenameDraftFiles(ctx, d.ID, map[int64]string{d.Files[0].ID: "01-x.md", f.ID: "course.md"}, nil, t0); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteDraft(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DraftBySlug(ctx, "desk"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted draft: err = %v", err)
		}
	})
}

func TestMediaIsStoredOnceByContent(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		data := []byte("\x89PNG\r\n\x1a\n-pixels-")
		a := &store.Media{Hash: "h1", ContentType: "image/png", Size: len(data), Data: data, CreatedAt: t0}
		b := &store.Media{Hash: "h1", ContentType: "image/png", Size: len(data), Data: data, CreatedAt: t0}
		if err := st.SaveMedia(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveMedia(ctx, b); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.ID != b.ID {
			t.Fatalf("IDs %d and %d, want one row", a.ID, b.ID)
		}
		got, err := st.MediaByHash(ctx, "h1")
		if err != nil || string(got.Data) != string(data) || got.ContentType != "image/png" {
			t.Fatalf("MediaByHash = %+v, %v", got, err)
		}
	})
}

func TestQuestionAndModuleStatsAreCountedInSQL(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		v := publish(t, st, "desk", "h")
		var users []*store.User
		for _, e := range []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com"} {
			users = append(users, newUser(t, st, e))
		}
		// answers per person, in order of their attempts: question q1's choice and correctness.
		type ans struct {
			choice  string
			correct bool
		}
		tries := [][]ans{
			{{"wrong1", false}, {"right", true}}, // a: wrong, then right
			{{"right", true}},                    // b: right first time
			{{"wrong1", false}},                  // c: wrong
			{{"wrong2", false}, {"wrong1", false}, {"right", true}},
		}
		at := t0
		for i, u := range users {
			for j, a := range tries[i] {
				at = at.Add(time.Minute)
				att := &store.Attempt{UserID: u.ID, CourseID: v.CourseID, VersionID: v.ID, ModuleSlug: "m1",
					IdempotencyKey: string(rune('a'+i)) + string(rune('0'+j)) + "-key-0123456789", Total: 1, SubmittedAt: at}
				if a.correct {
					att.Correct, att.Score, att.Passed = 1, 100, true
				}
				if _, err := st.InsertAttempt(ctx, att, []store.AttemptAnswer{{QuestionID: "q1", ChoiceIDs: a.choice, Correct: a.correct}}); err != nil {
					t.Fatal(err)
				}
			}
		}
		qs, err := st.QuestionStats(ctx, v.CourseID)
		if err != nil {
			t.Fatal(err)
		}
		want := store.QuestionStat{QuestionID: "q1", Answers: 7, People: 4, FirstRight: 1, WrongChoice: "wrong1", WrongCount: 3}
		if len(qs) != 1 || qs[0] != want {
			t.Fatalf("QuestionStats = %+v, want [%+v]", qs, want)
		}

		// Module m1 finished by three people after 10, 20 and 60 minutes: median 20.
		for i, mins := range []int{10, 20, 60} {
			u := users[i]
			if err := st.MarkViewed(ctx, u.ID, v.CourseID, v.ID, "m1", t0); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkPassed(ctx, u.ID, v.CourseID, v.ID, "m1", 100, t0.Add(time.Duration(mins)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.MarkViewed(ctx, users[3].ID, v.CourseID, v.ID, "m1", t0); err != nil { // opened, not finished
			t.Fatal(err)
		}
		// m2: two people, 1 and 3 minutes: the median is their mean.
		for i, mins := range []int{1, 3} {
			if err := st.MarkViewed(ctx, users[i].ID, v.CourseID, v.ID, "m2", t0); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkRead(ctx, users[i].ID, v.CourseID, v.ID, "m2", t0.Add(time.Duration(mins)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := st.ModuleStats(ctx, v.CourseID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].ModuleSlug != "m1" || ms[0].Finished != 3 || math.Abs(ms[0].MedianSeconds-1200) > 1 ||
			ms[1].ModuleSlug != "m2" || ms[1].Finished != 2 || math.Abs(ms[1].MedianSeconds-120) > 1 {
			t.Fatalf("ModuleStats = %+v", ms)
		}
	})
}
