package database_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
)

// TestSQLitePragmas checks both pools run with what DESIGN.md §3 asks:
// busy_timeout, WAL, foreign keys on, synchronous NORMAL, one writer.
func TestSQLitePragmas(t *testing.T) {
	db, err := database.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]string{"busy_timeout": "10000", "journal_mode": "wal", "foreign_keys": "1", "synchronous": "1"}
	for poolName, pool := range map[string]*database.DB{"writer": {W: db.W}, "reader": {W: db.R}} {
		for pragma, v := range want {
			var got string
			if err := pool.W.QueryRowContext(context.Background(), "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != v {
				t.Errorf("%s pool: PRAGMA %s = %s, want %s", poolName, pragma, got, v)
			}
		}
	}
	if n := db.W.DB.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
}

func TestOptimizeRunsOnBothDatabases(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		for _, first := range []bool{true, false} {
			if err := db.Optimize(context.Background(), first); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestMigrateIsIdempotent runs the migrations twice on each database: the
// second run (a second instance starting) applies nothing and fails nothing.
func TestMigrateIsIdempotent(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v", applied, err)
		}
		if n, err := db.Pending(context.Background()); err != nil || n != 0 {
			t.Fatalf("pending = %d, %v", n, err)
		}
	})
}
