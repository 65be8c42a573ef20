package database_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/database"
)

// counts reads how many rows the two tables of the backup test hold.
func counts(t *testing.T, db *sql.DB) (int, int) {
	t.Helper()
	var a, b int
	if err := db.QueryRow("SELECT (SELECT count(*) FROM bk_a), (SELECT count(*) FROM bk_b)").Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func openFile(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Backups taken while a writer commits transactions that each add one row
// to two tables: every copy opens, passes the integrity check, and holds
// whole transactions only (equal counts), more in each later copy.
func TestBackupDuringWritesIsConsistent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	db, err := database.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE TABLE bk_a (n INTEGER, pad TEXT)", "CREATE TABLE bk_b (n INTEGER, pad TEXT)"} {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	var written atomic.Int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		pad := strings.Repeat("x", 2000) // pages to copy, so a backup takes a while
		for n := 1; ; n++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			tx, err := db.W.BeginTx(ctx, nil)
			if err != nil {
				done <- err
				return
			}
			_, err1 := tx.ExecContext(ctx, "INSERT INTO bk_a VALUES (?, ?)", n, pad)
			_, err2 := tx.ExecContext(ctx, "INSERT INTO bk_b VALUES (?, ?)", n, pad)
			if err := errors.Join(err1, err2, tx.Commit()); err != nil {
				done <- err
				return
			}
			written.Store(int64(n))
		}
	}()
	waitFor := func(n int64) {
		deadline := time.Now().Add(20 * time.Second)
		for written.Load() < n {
			if time.Now().After(deadline) {
				t.Fatalf("the writer reached %d transactions, not %d", written.Load(), n)
			}
			time.Sleep(time.Millisecond)
		}
	}

	last := 0
	for i, at := range []int64{50, 300, 900} {
		waitFor(at)
		before := written.Load()
		dest := filepath.Join(dir, "backup-"+string(rune('a'+i))+".db")
		if err := database.Backup(ctx, live, dest); err != nil {
			t.Fatal(err)
		}
		after := written.Load()
		if _, err := database.Check(ctx, dest); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(dest); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("backup %s: mode %v (%v), want 0600: it holds password hashes", dest, st.Mode().Perm(), err)
		}
		a, b := counts(t, openFile(t, dest))
		if a != b {
			t.Errorf("backup %s holds half a transaction: %d rows in one table, %d in the other", dest, a, b)
		}
		if int64(a) < before || a <= last {
			t.Errorf("backup %s holds %d transactions; %d were committed before it began and %d were in the previous backup", dest, a, before, last)
		}
		t.Logf("backup %d: %d transactions copied while the writer went from %d to %d", i, a, before, after)
		last = a
	}
	if err := database.Backup(ctx, live, filepath.Join(dir, "backup-a.db")); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a backup over an old one: %v", err)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("the writer failed during backups: %v", err)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "*.partial")); len(entries) > 0 {
		t.Errorf("temporary files left: %v", entries)
	}

	// The way back: refused while the database is open, then done, with
	// the replaced database kept.
	backup := filepath.Join(dir, "backup-b.db")
	wantA, _ := counts(t, openFile(t, backup))
	if _, err := database.Restore(ctx, backup, live, time.Now()); !errors.Is(err, database.ErrInUse) {
		t.Fatalf("restore while the server holds the database: %v, want ErrInUse", err)
	}
	final := int(written.Load())
	db.Close()
	saved, err := database.Restore(ctx, backup, live, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if saved != live+".before-restore-20261128T090000Z" {
		t.Errorf("the replaced database was kept as %q", saved)
	}
	if st, err := os.Stat(saved); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the kept database %s: mode %v (%v), want 0600", saved, st.Mode().Perm(), err)
	}
	if a, _ := counts(t, openFile(t, saved)); a != final {
		t.Errorf("the kept database has %d transactions, want all %d (its WAL included)", a, final)
	}
	again, err := database.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n, err := again.Pending(ctx); err != nil || n != 0 {
		t.Errorf("restored database: %d migrations pending, %v", n, err)
	}
	var a int
	if err := again.R.QueryRowContext(ctx, "SELECT count(*) FROM bk_a").Scan(&a); err != nil || a != wantA {
		t.Errorf("restored database has %d transactions (%v), want the backup's %d", a, err, wantA)
	}
}

func TestCheckRefusesWhatCannotBeRestored(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 500)), 0o600)
	if _, err := database.Check(ctx, garbage); err == nil {
		t.Error("a file that is not a database passed the check")
	}

	newer := filepath.Join(dir, "newer.db")
	db, err := database.Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := database.Check(ctx, newer); err != nil || len(rep.Pending) != 0 || rep.Applied == 0 {
		t.Fatalf("a current database: %+v, %v", rep, err)
	}
	if _, err := db.W.ExecContext(ctx, "INSERT INTO bun_migrations (name, group_id, migrated_at) VALUES ('29991231000001', 99, CURRENT_TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := database.Check(ctx, newer); err == nil || !strings.Contains(err.Error(), "newer Frontline") || !strings.Contains(err.Error(), "29991231000001") {
		t.Errorf("a database from a newer version: %v", err)
	}

	if _, err := database.SQLitePath("postgres://u@h/db"); !errors.Is(err, database.ErrPostgresBackup) || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("PostgreSQL: %v", err)
	}
}
