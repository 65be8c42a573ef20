package store

import (
	"context"
	"time"

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
