// Package apptest is the test harness: databases of a test's own on SQLite
// and (when FRONTLINE_TEST_POSTGRES holds a DSN) PostgreSQL, a running app on
// loopback with a clock the test controls, and an HTTP client that signs in
// and carries CSRF tokens like a browser. Only tests import it.
package apptest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/frontline-lms/frontline/app/database"
)

// PostgresDSN is the server tests use when set; CI always sets it.
func PostgresDSN() string { return os.Getenv("FRONTLINE_TEST_POSTGRES") }

// EachDB runs fn as a subtest on SQLite and, when configured, on PostgreSQL,
// each with a fresh, migrated database of its own.
func EachDB(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, NewSQLite(t)) })
	if dsn := PostgresDSN(); dsn != "" {
		t.Run("pg", func(t *testing.T) { fn(t, NewPostgres(t, dsn)) })
	}
}

// NewSQLite opens a migrated SQLite database in the test's temp folder.
func NewSQLite(t testing.TB) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), "frontline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// NewPostgres opens a migrated PostgreSQL database of the test's own: a
// schema made by PostgresSchema. A schema is much cheaper than a database and
// isolates just as well.
func NewPostgres(t testing.TB, dsn string) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), PostgresSchema(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// PostgresSchema creates an empty schema in the database at dsn, drops it
// when the test ends, and returns dsn with search_path set to it.
func PostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	schema := "t_" + randomHex(8)
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		drop := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
		defer drop.Close()
		if _, err := drop.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func migrate(t testing.TB, db *database.DB) {
	t.Helper()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Name returns "sqlite" or "pg" for messages.
func Name(db *database.DB) string { return strings.ToLower(string(db.Dialect)) }
