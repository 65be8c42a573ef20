package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// MarkPassedProgress returns the course's progress as Progress reads it
// right after the pass: the passed module's row as the upsert left it (new,
// or updated with its first view kept) beside the other modules' rows.
func TestMarkPassedProgressReturnsProgressAfterThePass(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		u := newUser(t, st, "priya@example.com")
		v := publish(t, st, "c", "h")
		other := newUser(t, st, "sam@example.com")
		if err := st.MarkViewed(ctx, u.ID, v.CourseID, v.ID, "m1", t0); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkRead(ctx, u.ID, v.CourseID, v.ID, "m2", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkViewed(ctx, other.ID, v.CourseID, v.ID, "m1", t0); err != nil {
			t.Fatal(err)
		}
		for i, module := range []string{"m1", "m3"} { // a row updated, then one inserted
			got, err := st.MarkPassedProgress(ctx, u.ID, v.CourseID, v.ID, module, 80+i, t0.Add(time.Duration(2+i)*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			want, err := st.Progress(ctx, u.ID, v.CourseID)
			if err != nil {
				t.Fatal(err)
			}
			byModule := func(ps []store.ModuleProgress) map[string]store.ModuleProgress {
				m := map[string]store.ModuleProgress{}
				for _, p := range ps {
					p.FirstViewedAt, p.ReadAt, p.PassedAt = p.FirstViewedAt.UTC(), p.ReadAt.UTC(), p.PassedAt.UTC()
					m[p.ModuleSlug] = p
				}
				return m
			}
			if diff := cmp.Diff(byModule(want), byModule(got)); diff != "" {
				t.Errorf("after passing %s (-Progress +MarkPassedProgress):\n%s", module, diff)
			}
			if p := byModule(got)[module]; p.PassScore == nil || *p.PassScore != 80+i || !p.PassedAt.Equal(t0.Add(time.Duration(2+i)*time.Hour)) {
				t.Errorf("%s = %+v, want passed with %d", module, p, 80+i)
			}
		}
		if got, _ := st.Progress(ctx, u.ID, v.CourseID); len(got) != 3 {
			t.Errorf("%d progress rows, want 3", len(got))
		}
	})
}
