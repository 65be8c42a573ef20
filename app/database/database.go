// Package database opens Frontline's database — SQLite (the embedded default)
// or PostgreSQL — through bun, and runs the migrations. It knows connection
// strings, pools and pragmas; it holds no queries of the application's own.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/migrate"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"github.com/frontline-lms/frontline/migrations"
)

// Dialect names the database family.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "pg"
)

// DB is an open database. W takes every write; R serves reads. On PostgreSQL
// they are the same pool. On SQLite W is a single connection, because SQLite
// allows one writer at a time and a pool of writers only queues on
// SQLITE_BUSY, while R is a pool of readers that WAL lets run beside it.
type DB struct {
	Dialect Dialect
	W       *bun.DB
	R       *bun.DB
	idle    int // PostgreSQL's idle connections kept (DropIdle)
}

// DropIdle closes the idle connections of PostgreSQL's pool. pgdriver
// notices a broken connection on simple queries, but not when a prepared
// statement fails on it, so database/sql would hand the same dead
// connection out again after an outage; the store calls this when a
// prepared statement fails for want of the database.
func (d *DB) DropIdle() {
	if d.Dialect != Postgres {
		return
	}
	d.W.DB.SetMaxIdleConns(0)
	d.W.DB.SetMaxIdleConns(d.idle)
}

// Open connects to dsn: postgres://… or postgresql://… for PostgreSQL,
// anything else (a path, or sqlite:path) for an SQLite file.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	// A short dial timeout makes an unreachable server a quick 503. Reads
	// may take longer: ANALYZE, a million-row report or the summary refresh
	// wait on the server for seconds before the first byte comes back.
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn),
		pgdriver.WithDialTimeout(3*time.Second), pgdriver.WithWriteTimeout(5*time.Second),
		pgdriver.WithReadTimeout(60*time.Second)))
	// Requests wait on the pool, not on the CPU: a pool far below the number
	// of concurrent requests queues them. 16 per instance keeps several
	// instances well inside PostgreSQL's default 100 connections.
	n := max(16, 4*runtime.GOMAXPROCS(0))
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: unable to reach PostgreSQL: %w", err)
	}
	return &DB{Dialect: Postgres, W: db, R: db, idle: n}, nil
}

// sqliteDSN sets busy_timeout first so that the pragmas after it (WAL needs a
// lock) already wait instead of failing, then WAL, foreign keys and
// synchronous=NORMAL, which is safe with WAL and much faster than FULL.
func sqliteDSN(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		// Take the write lock at BEGIN, not at the first write, so a
		// transaction never fails half-way on an upgrade to a write lock.
		q.Add("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("database: empty SQLite path")
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return nil, fmt.Errorf("database: unable to open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	wdb := bun.NewDB(w, sqlitedialect.New())
	// The first connection creates the file and switches it to WAL before
	// any reader opens it.
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("database: unable to open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("database: unable to open %s for reading: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{Dialect: SQLite, W: wdb, R: bun.NewDB(r, sqlitedialect.New())}, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	err := d.W.Close()
	if d.R != d.W {
		err = errors.Join(err, d.R.Close())
	}
	return err
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.W.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return d.R.NewSelect().ColumnExpr("1").Scan(ctx, &one)
}

func (d *DB) migrator() (*migrate.Migrator, error) {
	return d.migratorOf(d.migrations())
}

// migrations returns the dialect's set of migration files.
func (d *DB) migrations() fs.FS {
	if d.Dialect == Postgres {
		return migrations.PG
	}
	return migrations.SQLite
}

func (d *DB) migratorOf(fsys fs.FS) (*migrate.Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(fsys); err != nil {
		return nil, fmt.Errorf("database: unable to read migrations: %w", err)
	}
	// Mark a migration applied only after it ran, in the same breath, so a
	// failed migration is retried on the next start instead of being skipped.
	return migrate.NewMigrator(d.W, ms, migrate.WithMarkAppliedOnSuccess(true)), nil
}

// migrationLockKey is the PostgreSQL advisory lock that serialises migrations
// between app instances starting at once ("frontline" in ASCII, truncated).
const migrationLockKey = 0x66726f6e746c69

// Migrate applies every pending migration under a lock and returns the names
// of those it applied. On PostgreSQL the lock is a session advisory lock, which
// the server releases by itself if this process dies mid-way (unlike a lock
// row). On SQLite the single writer connection and SQLite's file lock already
// serialise writers.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	m, err := d.migrator()
	if err != nil {
		return nil, err
	}
	return d.migrateWith(ctx, m)
}

func (d *DB) migrateWith(ctx context.Context, m *migrate.Migrator) ([]string, error) {
	if d.Dialect == Postgres {
		conn, err := d.W.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("database: unable to take the migration lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
			return nil, fmt.Errorf("database: unable to take the migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("database: unable to create the migrations table: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		if d.Dialect == SQLite {
			// A non-transactional migration (a table rebuild) that failed
			// half-way leaves its BEGIN open and foreign keys off on the
			// one writer connection: close the one and restore the other
			// before anything else writes through it.
			d.W.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			d.W.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
		}
		return nil, fmt.Errorf("database: migration failed: %w", err)
	}
	var names []string
	for _, mg := range group.Migrations {
		names = append(names, mg.Name+"_"+mg.Comment)
	}
	return names, nil
}

// Pending returns how many migrations are not applied yet; /readyz is not
// ready while it is above zero.
func (d *DB) Pending(ctx context.Context) (int, error) {
	m, err := d.migrator()
	if err != nil {
		return 0, err
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return 0, fmt.Errorf("database: unable to read migration status: %w", err)
	}
	return len(ms.Unapplied()), nil
}

// Optimize refreshes the query planner's statistics where the database does
// not do it by itself. SQLite plans joins over a million enrolments badly
// without them (a report went from minutes to milliseconds once analysed);
// PostgreSQL's autovacuum already keeps them fresh. first asks SQLite to
// analyse every table that has no statistics yet, as on a new or upgraded
// file; later calls analyse only what changed enough to matter.
func (d *DB) Optimize(ctx context.Context, first bool) error {
	if d.Dialect != SQLite {
		return nil
	}
	q := "PRAGMA optimize"
	if first {
		q = "PRAGMA optimize=0x10002"
	}
	if _, err := d.W.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("database: %s: %w", q, err)
	}
	return nil
}
