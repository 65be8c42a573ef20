package database_test

import (
	"context"
	"strings"
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
		usual := map[string]string{"synchronous": "1", "temp_store": "0", "cache_size": "-2000", "analysis_limit": "0", "foreign_keys": "1"}
		for _, tc := range []struct {
			fresh bool
			want  map[string]string
		}{
			{true, map[string]string{"synchronous": "0", "temp_store": "2", "cache_size": "-262144", "analysis_limit": "1000", "foreign_keys": "0"}},
			{false, map[string]string{"synchronous": "1", "temp_store": "2", "cache_size": "-262144", "analysis_limit": "1000", "foreign_keys": "1"}},
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

// TestBulkLoadStillRefusesADanglingReference: a fresh load writes with
// foreign keys off on SQLite, so its end checks every reference at once and
// fails on one that points at nothing, with foreign keys back on either way.
func TestBulkLoadStillRefusesADanglingReference(t *testing.T) {
	db := apptest.NewSQLite(t)
	ctx := context.Background()
	end, err := db.BulkLoad(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ('x', 4242, 'c', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	err = end(ctx)
	if err == nil || !strings.Contains(err.Error(), "sessions row") || !strings.Contains(err.Error(), "missing users") {
		t.Errorf("ending a load that left a session of nobody: %v, want the sessions row named", err)
	}
	checkPragmas(t, db, map[string]string{"foreign_keys": "1"}, "after a failed load")
}
