// Package migrations embeds Frontline's SQL migrations: pg/ for PostgreSQL and
// sqlite/ for SQLite, with identical IDs so both databases move in step (a test
// keeps them so). app/database picks the set by dialect and runs it.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed pg/*.sql sqlite/*.sql
var files embed.FS

// PG holds the PostgreSQL migrations.
var PG = sub("pg")

// SQLite holds the SQLite migrations.
var SQLite = sub("sqlite")

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the folder is embedded above; a failure here is a build mistake
	}
	return f
}
