package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/uptrace/bun"
)

// Bulk reads and writes: many rows per statement, for generated
// organisations (the demo) and imports, where one statement per row would
// take minutes at 100,000 people. Each table's bulk queries live in the
// table's file and go through these helpers. Each writes in chunks of
// batchRows: bun inlines values into the SQL text, so a chunk bounds the size
// of one statement (and stays far below SQLite's limit of 32,766 bound
// variables should the driver ever bind them). None opens a transaction:
// callers run them inside Tx so a batch of people lands whole or not at all.

// batchRows is how many rows one INSERT carries.
const batchRows = 500

// chunks calls fn with consecutive sub-slices of at most n elements.
func chunks[T any](rows []T, n int, fn func(part []T) error) error {
	for len(rows) > 0 {
		k := min(n, len(rows))
		if err := fn(rows[:k]); err != nil {
			return err
		}
		rows = rows[k:]
	}
	return nil
}

// preparedRows is how many rows one prepared INSERT carries: more than
// batchRows, since its text stays short, and each statement inside a
// transaction costs SQLite a statement journal of the pages it touches.
const preparedRows = 2000

// maxParams bounds the values one statement binds: SQLite allows 32,766,
// PostgreSQL 65,535.
const maxParams = 30_000

// insertPrepared inserts rows into table, many rows per statement, with the
// values sent apart from a statement prepared once per call: a demo writes
// millions of rows, and bun writing each value into the SQL text (and the
// database parsing it back) was a third of the work. values appends one
// row's values, in the order of cols, as bun would write the model's fields
// (a zero time where the field is nullzero, a nil pointer: NULL). When
// returning names columns, scan is called on each returned row. It runs in
// the caller's transaction, or in one of its own.
func insertPrepared[T any](ctx context.Context, s *Store, what, table string, cols []string, rows []T,
	values func(row *T, args []any) []any, returning string, scan func(*sql.Rows) error) error {
	if len(rows) == 0 {
		return nil
	}
	per := min(preparedRows, maxParams/len(cols))
	// OR ROLLBACK on SQLite: a row that breaks a constraint ends the whole
	// transaction (which the caller's error would roll back anyway) rather
	// than just this statement, so SQLite keeps no statement journal for it
	// (database.DB.BulkLoad says when that matters).
	verb := "INSERT INTO "
	if s.dialect == database.SQLite {
		verb = "INSERT OR ROLLBACK INTO "
	}
	head := verb + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	tuple := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	text := func(n int) string {
		q := head + strings.Repeat(tuple+", ", n-1) + tuple
		if returning != "" {
			q += " RETURNING " + returning
		}
		return placeholders(s.dialect, q)
	}
	return s.Tx(ctx, func(tx *Store) error {
		btx := tx.w.(bun.Tx)
		var full *sql.Stmt // the statement of a whole chunk, used for all but the last
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		args := make([]any, 0, per*len(cols))
		return chunks(rows, per, func(part []T) error {
			stmt := full
			if len(part) < per || full == nil {
				st, err := btx.PrepareContext(ctx, text(len(part)))
				if err != nil {
					return wrap(err, "prepare the insert of %d %s", len(part), what)
				}
				if len(part) == per {
					full = st
				} else {
					defer st.Close()
				}
				stmt = st
			}
			args = args[:0]
			for i := range part {
				args = values(&part[i], args)
			}
			if scan == nil {
				_, err := stmt.ExecContext(ctx, tx.args(args)...)
				return wrap(err, "insert %d %s", len(part), what)
			}
			rs, err := stmt.QueryContext(ctx, tx.args(args)...)
			if err != nil {
				return wrap(err, "insert %d %s", len(part), what)
			}
			defer rs.Close()
			for rs.Next() {
				if err := scan(rs); err != nil {
					return wrap(err, "read back the %s inserted", what)
				}
			}
			return wrap(rs.Err(), "insert %d %s", len(part), what)
		})
	})
}

// byUsers reads the rows of a user-keyed table for many people, a chunk of
// IDs per query, ordered by user (then by the extra columns, then id).
func byUsers[T any](ctx context.Context, s *Store, userIDs []int64, what string, order ...string) ([]T, error) {
	var out []T
	err := chunks(userIDs, batchRows, func(part []int64) error {
		var rows []T
		q := s.r.NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(part)).Order("user_id")
		q = q.Order(order...).Order("id")
		if err := q.Scan(ctx); err != nil {
			return wrap(err, "read the %s of %d users", what, len(part))
		}
		out = append(out, rows...)
		return nil
	})
	return out, err
}

// BulkLoad sets the database up for a long run of bulk writes and returns
// the function that ends it (database.DB.BulkLoad says what changes); fresh
// says the database held nobody before, so durability may wait until the end.
func (s *Store) BulkLoad(ctx context.Context, fresh bool) (func(context.Context) error, error) {
	return s.db.BulkLoad(ctx, fresh)
}

// nowOrZero normalises a timestamp that may be unset (NULL).
func nowOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return Now(t)
}
