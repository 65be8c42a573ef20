package database

import (
	"context"
	"errors"
	"fmt"
)

// BulkLoad sets SQLite's writer connection up for writing millions of rows
// in a row (a large demo organisation) and returns the function that puts
// the usual settings back. It changes nothing on PostgreSQL.
//
//   - cache_size 256 MiB: the indexes of attempts and answers outgrow the
//     default 2 MB page cache within a few thousand people, and every insert
//     would then read its index pages back from the OS.
//   - temp_store MEMORY: a multi-row INSERT inside a transaction keeps a
//     statement journal (to undo only that statement if a row fails), which
//     otherwise goes to a temporary file, a write system call per page.
//   - analysis_limit 1000: ANALYZE after the load samples about a thousand
//     rows of each index instead of reading millions (ten seconds at
//     100,000 people); SQLite's own PRAGMA optimize samples the same way.
//   - synchronous OFF, only when fresh (the database held nothing before
//     the load): no fsync at each WAL checkpoint. A power cut during the
//     load can then lose or damage what was loaded, and nothing else, since
//     there was nothing else; the load is simply run again on a new file.
//
// The returned function restores the settings and checkpoints the WAL into
// the database file with synchronous=NORMAL, so what was loaded is on disk
// when it returns. Callers run it (also after a failed load) before using
// the database for anything else.
func (d *DB) BulkLoad(ctx context.Context, fresh bool) (func(context.Context) error, error) {
	if d.Dialect != SQLite {
		return func(context.Context) error { return nil }, nil
	}
	// The writer pool is one connection kept for ever (openSQLite), so
	// these connection settings hold for every write until restored.
	set := []string{"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY", "PRAGMA analysis_limit = 1000"}
	if fresh {
		set = append(set, "PRAGMA synchronous = OFF")
	}
	restore := func(ctx context.Context) error {
		var errs []error
		for _, q := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA temp_store = DEFAULT",
			"PRAGMA cache_size = -2000", "PRAGMA analysis_limit = 0", "PRAGMA wal_checkpoint(TRUNCATE)"} {
			if _, err := d.W.ExecContext(ctx, q); err != nil {
				errs = append(errs, fmt.Errorf("database: %s: %w", q, err))
			}
		}
		return errors.Join(errs...)
	}
	for _, q := range set {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			return nil, errors.Join(fmt.Errorf("database: %s: %w", q, err), restore(context.WithoutCancel(ctx)))
		}
	}
	return restore, nil
}
