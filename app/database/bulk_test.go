package database_test

import (
	"context"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
)

// TestBulkLoadRelaxesOnlyWhileLoading checks the writer's settings during a
// bulk load (durability relaxed only on a fresh database) and that ending
// it brings back the ones TestSQLitePragmas expects; on PostgreSQL it must
// simply work.
func TestBulkLoadRelaxesOnlyWhileLoading(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		usual := map[string]string{"synchronous": "1", "temp_store": "0", "cache_size": "-2000", "analysis_limit": "0"}
		for _, tc := range []struct {
			fresh bool
			want  map[string]string
		}{
			{true, map[string]string{"synchronous": "0", "temp_store": "2", "cache_size": "-262144", "analysis_limit": "1000"}},
			{false, map[string]string{"synchronous": "1", "temp_store": "2", "cache_size": "-262144", "analysis_limit": "1000"}},
		} {
			end, err := db.BulkLoad(ctx, tc.fresh)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.W.ExecContext(ctx, "INSERT INTO users (email, name, role, created_at) VALUES ('a@example.com', 'A', 'learner', CURRENT_TIMESTAMP)"); err != nil {
				t.Fatal(err)
			}
			if db.Dialect == database.SQLite {
				checkPragmas(t, db, tc.want, "during a load (fresh %v)", tc.fresh)
			}
			if err := end(ctx); err != nil {
				t.Fatal(err)
			}
			if db.Dialect == database.SQLite {
				checkPragmas(t, db, usual, "after a load (fresh %v)", tc.fresh)
			}
			var n int
			if err := db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 1 {
				t.Errorf("after the load the readers see %d users (%v), want 1", n, err)
			}
			if _, err := db.W.ExecContext(ctx, "DELETE FROM users"); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func checkPragmas(t *testing.T, db *database.DB, want map[string]string, when string, args ...any) {
	t.Helper()
	for pragma, v := range want {
		var got string
		if err := db.W.QueryRowContext(context.Background(), "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != v {
			t.Errorf("PRAGMA %s = %s "+when+", want %s", append(append([]any{pragma, got}, args...), v)...)
		}
	}
}
