package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestItemStatsHandChecked sums a small data set both databases must agree
// on. Five module attempts of five questions; q1 is right in the first
// three. The rest of each attempt (q2..q5, four questions) scores 4, 3, 2,
// 2 and 1 right: y = 1, 0.75, 0.5, 0.5, 0.25. So N 5, Σx 3, Σy 3,
// Σxy 1+0.75+0.5 = 2.25, Σy² 1+0.5625+0.25+0.25+0.0625 = 2.125, and the
// point-biserial r ≈ 0.7206 (the same set as courses'
// TestDiscriminationHandChecked). A one-question attempt (q1 right) counts
// as an answer but has no rest; a refresher attempt (q1 wrong) is left out.
func TestItemStatsHandChecked(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "lin@example.com")
		v := publish(t, st, "c", "h")
		var as []store.Attempt
		add := func(module string, q1 bool, restRight, rest int) {
			a := store.Attempt{UserID: u.ID, CourseID: v.CourseID, VersionID: v.ID, ModuleSlug: module,
				IdempotencyKey: fmt.Sprintf("stats-key-%016d", len(as)), Total: rest + 1, SubmittedAt: t0}
			pick := "b"
			if q1 {
				pick = "a"
				a.Correct++
			}
			a.Answers = append(a.Answers, store.AttemptAnswer{QuestionID: "q1", ChoiceIDs: pick, Correct: q1})
			for i := range rest {
				right := i < restRight
				if right {
					a.Correct++
				}
				a.Answers = append(a.Answers, store.AttemptAnswer{QuestionID: fmt.Sprintf("q%d", i+2), ChoiceIDs: "a", Correct: right})
			}
			as = append(as, a)
		}
		add("m", true, 4, 4)
		add("m", true, 3, 4)
		add("m", true, 2, 4)
		add("m", false, 2, 4)
		add("m", false, 1, 4)
		add("m", true, 0, 0)
		add("", false, 4, 4) // a refresher
		if err := st.InsertAttempts(ctx, as); err != nil {
			t.Fatal(err)
		}

		items, err := st.ItemStats(ctx, v.CourseID)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 5 || items[0].QuestionID != "q1" {
			t.Fatalf("items %+v", items)
		}
		want := store.ItemStat{QuestionID: "q1", Answers: 6, Right: 4, N: 5, X: 3, Y: 3, XY: 2.25, YY: 2.125}
		if diff := cmp.Diff(want, items[0], cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })); diff != "" {
			t.Fatalf("q1 sums (-want +got):\n%s", diff)
		}
		if r, ok := items[0].Sums().Discrimination(); !ok || math.Abs(r-0.7206) > 0.0001 {
			t.Fatalf("q1 discrimination %v, %v; want 0.7206", r, ok)
		}

		picks, err := st.ChoicePicks(ctx, v.CourseID)
		if err != nil {
			t.Fatal(err)
		}
		var q1 []store.ChoicePick
		for _, p := range picks {
			if p.QuestionID == "q1" {
				q1 = append(q1, p)
			}
		}
		if diff := cmp.Diff([]store.ChoicePick{{"q1", "a", 4}, {"q1", "b", 2}}, q1); diff != "" {
			t.Fatalf("q1 picks (-want +got):\n%s", diff)
		}
	})
}

// TestBulkInsertConflictLeavesNothing: a bulk insert that meets a row
// already there fails with ErrConflict and rolls back its transaction whole
// (on SQLite the INSERT is OR ROLLBACK, so SQLite ends the transaction
// itself), and the store writes normally afterwards.
func TestBulkInsertConflictLeavesNothing(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "dup@example.com")
		v := publish(t, st, "c", "h")
		other := newUser(t, st, "other@example.com")
		es := []store.Enrolment{{UserID: other.ID, CourseID: v.CourseID, CreatedAt: t0},
			{UserID: u.ID, CourseID: v.CourseID, CreatedAt: t0}, {UserID: u.ID, CourseID: v.CourseID, CreatedAt: t0}}
		err := st.Tx(ctx, func(tx *store.Store) error {
			if err := tx.SetPasswords(ctx, []int64{u.ID}, "changed"); err != nil {
				return err
			}
			return tx.InsertEnrolments(ctx, es)
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("inserting the same enrolment twice: %v, want ErrConflict", err)
		}
		if got, err := st.EnrolmentsOfUsers(ctx, []int64{u.ID, other.ID}); err != nil || len(got) != 0 {
			t.Errorf("after the failed insert: %d enrolments (%v), want none", len(got), err)
		}
		if got, err := st.UserByID(ctx, u.ID); err != nil || got.PasswordHash == "changed" {
			t.Errorf("the transaction's earlier write survived the failed insert (%v)", err)
		}
		if err := st.InsertEnrolments(ctx, es[:2]); err != nil {
			t.Fatalf("the store after a failed bulk insert: %v", err)
		}
	})
}
