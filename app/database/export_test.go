package database

import (
	"context"
	"io/fs"
	"testing/fstest"
)

// MigrateBefore applies the migrations whose ID is below id, so a test can
// put data in the schema as it was and watch a migration carry it over.
func (d *DB) MigrateBefore(ctx context.Context, id string) error {
	all := d.migrations()
	some := fstest.MapFS{}
	entries, err := fs.ReadDir(all, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() >= id {
			continue
		}
		b, err := fs.ReadFile(all, e.Name())
		if err != nil {
			return err
		}
		some[e.Name()] = &fstest.MapFile{Data: b}
	}
	m, err := d.migratorOf(some)
	if err != nil {
		return err
	}
	_, err = d.migrateWith(ctx, m)
	return err
}
