package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
//   - foreign_keys OFF, only when fresh, checked whole at the end with
//     PRAGMA foreign_key_check instead of row by row. A multi-row INSERT
//     into a table with an immediate foreign key may stop half-way, so
//     SQLite copies every page it touches into a statement journal to undo
//     just that statement (a ninth of a large demo's time); without foreign
//     keys, and with the bulk INSERTs written OR ROLLBACK (store's
//     insertPrepared), no statement can stop half-way and none is kept. A
//     bad reference is still refused: the check at the end fails the load.
//
// The returned function restores the settings, checks every foreign key if
// it turned them off, and checkpoints the WAL into the database file with
// synchronous=NORMAL, so what was loaded is on disk when it returns.
// Callers run it (also after a failed load) before using the database for
// anything else.
func (d *DB) BulkLoad(ctx context.Context, fresh bool) (func(context.Context) error, error) {
	if d.Dialect != SQLite {
		return func(context.Context) error { return nil }, nil
	}
	// The writer pool is one connection kept for ever (openSQLite), so
	// these connection settings hold for every write until restored.
	set := []string{"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY", "PRAGMA analysis_limit = 1000"}
	if fresh {
		set = append(set, "PRAGMA synchronous = OFF", "PRAGMA foreign_keys = OFF")
	}
	restore := func(ctx context.Context) error {
		var errs []error
		if fresh {
			// ROLLBACK first: foreign_keys cannot change inside a
			// transaction, and a load that failed may have left one open.
			d.W.ExecContext(ctx, "ROLLBACK")
			if _, err := d.W.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
				errs = append(errs, fmt.Errorf("database: turn foreign keys back on: %w", err))
			}
			errs = append(errs, d.foreignKeyCheck(ctx))
		}
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

// foreignKeyCheck runs SQLite's PRAGMA foreign_key_check over the whole
// database and reports the first rows it finds that refer to nothing.
func (d *DB) foreignKeyCheck(ctx context.Context) error {
	rows, err := d.W.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("database: check foreign keys: %w", err)
	}
	defer rows.Close()
	var bad []string
	n := 0
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return fmt.Errorf("database: check foreign keys: %w", err)
		}
		if n++; n <= 5 {
			bad = append(bad, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database: check foreign keys: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("database: %d rows refer to rows that do not exist: %s", n, strings.Join(bad, "; "))
	}
	return nil
}
