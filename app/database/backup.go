package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun/migrate"

	"github.com/frontline-lms/frontline/migrations"
)

// Backups of the SQLite file, taken while the server runs, and the way
// back. PostgreSQL has its own tools (pg_dump, pg_restore), which know
// more than we would: these refuse a PostgreSQL URL and name them.

// ErrPostgresBackup is returned for a PostgreSQL database.
var ErrPostgresBackup = errors.New("database: PostgreSQL is backed up with its own tools: pg_dump --format=custom --file=frontline.dump \"$FRONTLINE_DATABASE_URL\", and restored with pg_restore --clean --if-exists --no-owner --dbname=\"$FRONTLINE_DATABASE_URL\" frontline.dump")

// ErrInUse is returned by Restore while another process has the database
// open, such as a running server.
var ErrInUse = errors.New("database: the database is in use (is the server still running?): stop every Frontline process using it, then restore")

// SQLitePath returns the file of an SQLite DSN, or ErrPostgresBackup.
func SQLitePath(dsn string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "", ErrPostgresBackup
	}
	p := strings.TrimPrefix(dsn, "sqlite:")
	if p == "" {
		return "", errors.New("database: empty SQLite path")
	}
	return filepath.Abs(p)
}

// Backup writes a consistent copy of the SQLite database at src to dest
// while other connections keep reading and writing. VACUUM INTO reads one
// snapshot (a read transaction, which WAL lets run beside the writer), so
// the copy holds every transaction committed before it began and none
// after. It writes to a temporary name and renames when the copy is
// complete and checked, so dest never names half a backup. dest must not
// exist: an old backup is never overwritten.
func Backup(ctx context.Context, src, dest string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("database: no database to back up at %s: %w", src, err)
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("database: %s already exists: choose a new file name, an old backup is never overwritten", dest)
	}
	tmp := dest + ".partial"
	os.Remove(tmp) // a leftover of an interrupted backup
	db, err := sql.Open("sqlite", sqliteDSN(src, false))
	if err != nil {
		return fmt.Errorf("database: unable to open %s: %w", src, err)
	}
	defer db.Close()
	// VACUUM INTO accepts an empty file: creating it first gives the copy
	// its owner-only mode from the first byte.
	if f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err != nil {
		return fmt.Errorf("database: unable to create %s: %w", tmp, err)
	} else if err := f.Close(); err != nil {
		return fmt.Errorf("database: unable to create %s: %w", tmp, err)
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("database: unable to copy %s: %w", src, err)
	}
	// A copy holds password hashes and sessions: only the owner reads it.
	if err := os.Chmod(tmp, 0o600); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("database: unable to restrict %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if _, err := Check(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("database: unable to name the backup %s: %w", dest, err)
	}
	return syncDir(filepath.Dir(dest))
}

// BackupReport is what Check found in a backup file.
type BackupReport struct {
	Applied int      // migrations the copy has
	Pending []string // migrations this binary would apply to it at start-up
}

// Check opens an SQLite file read-only and checks it can be served by this
// binary: SQLite's integrity_check passes, it is a Frontline database, and
// it has no migration this binary does not know (a copy made by a newer
// version, which this one would misread).
func Check(ctx context.Context, path string) (*BackupReport, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database: no backup at %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("database: unable to open %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("database: %s is not a readable SQLite database: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, fmt.Errorf("database: integrity check of %s: %w", path, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("database: integrity check of %s: %w", path, err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("database: %s fails SQLite's integrity check: %s", path, strings.Join(problems, "; "))
	}

	applied := map[string]bool{}
	rows, err = db.QueryContext(ctx, "SELECT name FROM bun_migrations")
	if err != nil {
		return nil, fmt.Errorf("database: %s is not a Frontline database (it has no migrations table): %w", path, err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("database: reading the migrations of %s: %w", path, err)
		}
		applied[name] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("database: reading the migrations of %s: %w", path, err)
	}
	known := migrate.NewMigrations()
	if err := known.Discover(migrations.SQLite); err != nil {
		return nil, fmt.Errorf("database: unable to read migrations: %w", err)
	}
	rep := &BackupReport{Applied: len(applied)}
	for _, m := range known.Sorted() {
		if applied[m.Name] {
			delete(applied, m.Name)
		} else {
			rep.Pending = append(rep.Pending, m.Name+"_"+m.Comment)
		}
	}
	if len(applied) > 0 {
		var newer []string
		for n := range applied {
			newer = append(newer, n)
		}
		slices.Sort(newer)
		return nil, fmt.Errorf("database: %s was made by a newer Frontline (it has migrations %s that this one does not know): restore it with that version", path, strings.Join(newer, ", "))
	}
	return rep, nil
}

// Restore replaces the SQLite database at target with the backup at
// backup, after checking the backup. It refuses while any other
// connection has target open, so a running server never finds its file
// swapped under it. The database it replaces is first copied, WAL
// included, to target + ".before-restore-<time>", whose name it returns:
// a restore can itself be undone.
func Restore(ctx context.Context, backup, target string, now time.Time) (string, error) {
	if _, err := Check(ctx, backup); err != nil {
		return "", err
	}
	var saved string
	if _, err := os.Stat(target); err == nil {
		saved = target + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := keepCurrent(ctx, target, saved); err != nil {
			return "", err
		}
	}
	tmp := target + ".restoring"
	if err := copyFile(backup, tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	// The WAL and shared-memory files belong to the database being
	// replaced; its WAL was folded into it and is empty, and a stale one
	// must never be replayed onto the restored file.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return "", fmt.Errorf("database: unable to remove %s: %w", target+suffix, err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("database: unable to put the backup in place at %s: %w", target, err)
	}
	return saved, syncDir(filepath.Dir(target))
}

// keepCurrent takes the database's exclusive lock (so it fails at once if
// any other connection has it open), folds the WAL into the file and
// copies it to saved.
func keepCurrent(ctx context.Context, target, saved string) error {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(0)")
	q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	db, err := sql.Open("sqlite", "file:"+target+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("database: unable to open %s: %w", target, err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("database: unable to open %s: %w", target, err)
	}
	defer conn.Close()
	// In WAL mode every open connection holds a shared lock that an
	// exclusive one cannot pass, idle or not.
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		if strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "locked") {
			return ErrInUse
		}
		return fmt.Errorf("database: unable to lock %s: %w", target, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("database: unable to lock %s: %w", target, err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("database: unable to fold the WAL into %s: %w", target, err)
	}
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", saved); err != nil {
		return fmt.Errorf("database: unable to keep the current database as %s: %w", saved, err)
	}
	if err := os.Chmod(saved, 0o600); err != nil {
		return fmt.Errorf("database: unable to restrict %s: %w", saved, err)
	}
	return syncFile(saved)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("database: unable to read %s: %w", from, err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("database: unable to write %s: %w", to, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("database: unable to write %s: %w", to, err)
	}
	if err := errors.Join(out.Sync(), out.Close()); err != nil {
		return fmt.Errorf("database: unable to write %s: %w", to, err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("database: unable to open %s: %w", path, err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("database: unable to flush %s to disk: %w", path, err)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("database: unable to open %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("database: unable to flush %s to disk: %w", dir, err)
	}
	return nil
}
