package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestModuleViewReadsTheOpenDrawWithTheProgress: the module page's one
// read returns what EnrolmentAndProgress and OpenQuizDraw return, never a
// draw of another person, module or version, nor one already answered.
func TestModuleViewReadsTheOpenDrawWithTheProgress(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "priya@example.com")
		other := newUser(t, st, "tomas@example.com")
		v := publish(t, st, "c", "h")
		v2 := publish(t, st, "c", "h2")

		// Never opened: no enrolment, and the draw was not looked for.
		if e, ps, d, err := st.ModuleView(ctx, u.ID, v.CourseID, v2.ID, "m1"); err != nil || e != nil || ps != nil || d != nil {
			t.Fatalf("never opened: %v %v %v %v", e, ps, d, err)
		}
		if _, err := st.ActiveEnrolment(ctx, u.ID, v.CourseID, t0); err != nil {
			t.Fatal(err)
		}
		// Enrolled, nothing viewed, nothing drawn.
		if e, ps, d, err := st.ModuleView(ctx, u.ID, v.CourseID, v2.ID, "m1"); err != nil || e == nil || len(ps) != 0 || d != nil {
			t.Fatalf("enrolled only: %v %v %v %v", e, ps, d, err)
		}
		for _, m := range []string{"m1", "m2"} {
			if err := st.MarkViewed(ctx, u.ID, v.CourseID, v2.ID, m, t0); err != nil {
				t.Fatal(err)
			}
		}
		// Draws that are not this person's open draw of m1 on v2.
		for _, d := range []*store.QuizDraw{
			{UserID: other.ID, CourseID: v.CourseID, VersionID: v2.ID, ModuleSlug: "m1", Questions: `[{"q":"other"}]`},
			{UserID: u.ID, CourseID: v.CourseID, VersionID: v2.ID, ModuleSlug: "m2", Questions: `[{"q":"m2"}]`},
			{UserID: u.ID, CourseID: v.CourseID, VersionID: v.ID, ModuleSlug: "m1", Questions: `[{"q":"old version"}]`},
		} {
			d.CreatedAt = t0
			if err := st.InsertQuizDraw(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, d, err := st.ModuleView(ctx, u.ID, v.CourseID, v2.ID, "m1"); err != nil || d != nil {
			t.Fatalf("someone else's draw, or another module's or version's: %+v, %v", d, err)
		}

		mine := &store.QuizDraw{UserID: u.ID, CourseID: v.CourseID, VersionID: v2.ID, ModuleSlug: "m1",
			Questions: `[{"q":"q1","c":["b","a"]}]`, CreatedAt: t0.Add(time.Minute)}
		if err := st.InsertQuizDraw(ctx, mine); err != nil {
			t.Fatal(err)
		}
		e, ps, d, err := st.ModuleView(ctx, u.ID, v.CourseID, v2.ID, "m1")
		if err != nil || e == nil || len(ps) != 2 || d == nil {
			t.Fatalf("open draw: %v, %d progress rows, %v, %v", e, len(ps), d, err)
		}
		want, err := st.OpenQuizDraw(ctx, u.ID, v.CourseID, v2.ID, "m1")
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != mine.ID || d.ID != want.ID || d.Questions != want.Questions || !d.CreatedAt.Equal(want.CreatedAt) || d.AttemptID != nil || d.UserID != u.ID {
			t.Fatalf("ModuleView's draw = %+v, OpenQuizDraw's = %+v", d, want)
		}
		we, wps, err := st.EnrolmentAndProgress(ctx, u.ID, v.CourseID)
		if err != nil || we.ID != e.ID || !we.StartedAt.Equal(e.StartedAt) || len(wps) != len(ps) {
			t.Fatalf("EnrolmentAndProgress = %+v %d, %v; ModuleView's = %+v %d", we, len(wps), err, e, len(ps))
		}

		// Answered, the draw is no longer open.
		a := &store.Attempt{UserID: u.ID, CourseID: v.CourseID, VersionID: v2.ID, ModuleSlug: "m1", DrawID: mine.ID,
			IdempotencyKey: "k-0123456789abcdef", Correct: 1, Total: 1, Score: 100, SubmittedAt: t0.Add(2 * time.Minute)}
		if _, err := st.InsertAttempt(ctx, a, []store.AttemptAnswer{{QuestionID: "q1", ChoiceIDs: "a", Correct: true}}); err != nil {
			t.Fatal(err)
		}
		if _, _, d, err := st.ModuleView(ctx, u.ID, v.CourseID, v2.ID, "m1"); err != nil || d != nil {
			t.Fatalf("an answered draw came back: %+v, %v", d, err)
		}
	})
}
