package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

func TestAuditLogFiltersAndPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		ana := newUser(t, st, "ana@example.com")
		ben := &store.User{Name: "Ben Osei", Email: "ben@example.com", Role: "admin", Active: true, CreatedAt: t0}
		if err := st.CreateUser(ctx, ben); err != nil {
			t.Fatal(err)
		}
		entries := []store.AuditEntry{
			{ActorID: &ana.ID, Action: "signin.success", Target: "ana@example.com", At: t0},
			{Action: "signin.failure", Target: "ben@example.com", IP: "203.0.113.9", At: t0.Add(time.Minute)},
			{ActorID: &ben.ID, Action: "team.create", Target: "desk 100%", At: t0.AddDate(0, 0, 1)},
			{ActorID: &ben.ID, Action: "course.publish", Target: "till-basics", At: t0.AddDate(0, 0, 2)},
			{ActorID: &ben.ID, Action: "course.publish", Target: "refunds", At: t0.AddDate(0, 0, 2)},
		}
		for i := range entries {
			if err := st.Audit(ctx, &entries[i]); err != nil {
				t.Fatal(err)
			}
		}
		actions := func(rows []store.AuditRow) []string {
			var out []string
			for _, r := range rows {
				out = append(out, r.Action+" "+r.Target)
			}
			return out
		}
		cases := []struct {
			name string
			q    store.AuditQuery
			want []string
		}{
			{"everything, newest first", store.AuditQuery{},
				[]string{"course.publish refunds", "course.publish till-basics", "team.create desk 100%", "signin.failure ben@example.com", "signin.success ana@example.com"}},
			{"who by actor name", store.AuditQuery{Who: "osei"},
				[]string{"course.publish refunds", "course.publish till-basics", "team.create desk 100%"}},
			{"who by target, with nobody signed in", store.AuditQuery{Who: "BEN@"},
				[]string{"course.publish refunds", "course.publish till-basics", "team.create desk 100%", "signin.failure ben@example.com"}},
			{"a family", store.AuditQuery{Action: "signin."}, []string{"signin.failure ben@example.com", "signin.success ana@example.com"}},
			{"one action", store.AuditQuery{Action: "signin.failure"}, []string{"signin.failure ben@example.com"}},
			{"a family is a prefix, not a pattern", store.AuditQuery{Action: "%."}, nil},
			{"LIKE characters match themselves", store.AuditQuery{Who: "k 100%"}, []string{"team.create desk 100%"}},
			{"and only themselves", store.AuditQuery{Who: "k_1"}, nil},
			{"dates", store.AuditQuery{From: t0.AddDate(0, 0, 1), To: t0.AddDate(0, 0, 2)}, []string{"team.create desk 100%"}},
		}
		for _, tc := range cases {
			tc.q.Limit = 10
			rows, more, err := st.AuditLog(ctx, tc.q)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := actions(rows); !slices.Equal(got, tc.want) || more {
				t.Errorf("%s: got %q (more %t), want %q", tc.name, got, more, tc.want)
			}
		}
		rows, _, _ := st.AuditLog(ctx, store.AuditQuery{Limit: 10, Who: "osei"})
		if rows[0].ActorName != "Ben Osei" || rows[0].ActorEmail != "ben@example.com" {
			t.Errorf("actor = %q %q", rows[0].ActorName, rows[0].ActorEmail)
		}

		// Pages of two, by keyset, cover everything once, even where two
		// entries share a time.
		var paged []string
		q := store.AuditQuery{Limit: 2}
		for {
			rows, more, err := st.AuditLog(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, actions(rows)...)
			if !more {
				break
			}
			last := rows[len(rows)-1]
			q.After = store.AuditCursor{At: last.At, ID: last.ID}
		}
		var exported []string
		if err := st.ExportAudit(ctx, store.AuditQuery{Limit: 1}, func(r *store.AuditRow) error {
			exported = append(exported, r.Action+" "+r.Target)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(paged, cases[0].want) || !slices.Equal(exported, cases[0].want) {
			t.Errorf("paged %q, exported %q, want %q", paged, exported, cases[0].want)
		}
	})
}

// An entry written on a transaction that rolls back is gone with the change.
func TestAuditEntryRollsBackWithItsChange(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		boom := errors.New("the change failed")
		err := st.Tx(ctx, func(tx *store.Store) error {
			if err := tx.Audit(ctx, &store.AuditEntry{Action: "team.create", Target: "team:1", At: t0}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		rows, _, err := st.AuditLog(ctx, store.AuditQuery{Limit: 10})
		if err != nil || len(rows) != 0 {
			t.Fatalf("audit after a rolled-back change = %+v, %v", rows, err)
		}
	})
}
