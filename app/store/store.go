// Package store is the only place with SQL. Each file holds the queries of one
// table or aggregate, written with bun so that the same code runs on SQLite
// and PostgreSQL. A Store reads from the read pool and writes through the
// writer; inside Tx both go through the one transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/frontline-lms/frontline/app/database"
)

// ErrNotFound is returned (wrapped) when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned (wrapped) when a unique rule refuses a write.
var ErrConflict = errors.New("store: conflict")

// Store runs queries. The zero value is not usable: call New.
type Store struct {
	r, w     bun.IDB
	db       *database.DB
	dialect  database.Dialect
	sessions *sessionCache // this process's, shared by the Stores of its transactions
	stmts    *statements   // prepared statements of the hot paths, shared likewise
	sql      *hotSQL
}

// New returns a Store over db.
func New(db *database.DB) *Store {
	return &Store{r: db.R, w: db.W, db: db, dialect: db.Dialect, sessions: newSessionCache(), stmts: newStatements(), sql: newHotSQL(db.R)}
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

// PendingMigrations counts the migrations not applied yet: an instance
// with any pending does not serve (readyz).
func (s *Store) PendingMigrations(ctx context.Context) (int, error) { return s.db.Pending(ctx) }

// Unavailable reports whether err means the database cannot be reached or
// is too busy right now: worth a 503 and a retry, not a 500.
func Unavailable(err error) bool { return database.IsUnavailable(err) }

// Dialect reports which database family the store runs on.
func (s *Store) Dialect() database.Dialect { return s.dialect }

// Tx runs fn in one transaction on the writer; fn's Store reads and writes
// inside it. The transaction commits when fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	if _, ok := s.w.(bun.Tx); ok {
		return fn(s) // already inside a transaction
	}
	return s.db.W.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(&Store{r: tx, w: tx, db: s.db, dialect: s.dialect, sessions: s.sessions, stmts: s.stmts, sql: s.sql})
	})
}

// Now is the store's idea of a timestamp: UTC, microsecond precision, which
// both databases keep exactly, so a value read back equals the value written.
func Now(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// wrap turns sql.ErrNoRows into ErrNotFound and wraps every other error with
// what the store was doing.
func wrap(err error, what string, args ...any) error {
	if err == nil {
		return nil
	}
	msg := fmt.Sprintf(what, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", msg, ErrNotFound)
	}
	if isUniqueViolation(err) {
		return fmt.Errorf("store: unable to %s: %w (%v)", msg, ErrConflict, err)
	}
	if isForeignKeyViolation(err) {
		return fmt.Errorf("store: unable to %s: a row it refers to does not exist: %w (%v)", msg, ErrNotFound, err)
	}
	return fmt.Errorf("store: unable to %s: %w", msg, err)
}

// isForeignKeyViolation recognises a write naming a row that does not
// exist (a team or person id from a URL, say), on either database, so it
// is ErrNotFound and not a failure of the server. Deleting a row still
// referred to cannot cause it: every reference to a deletable row cascades
// or is set to NULL, and course versions and parent teams are never deleted.
func isForeignKeyViolation(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23503"
	}
	return strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// isUniqueViolation recognises a unique key refusing a row, on either
// database, so callers can treat a lost race as ErrConflict.
func isUniqueViolation(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
