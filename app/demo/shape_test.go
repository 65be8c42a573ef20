package demo_test

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/demo"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/content"
)

var update = flag.Bool("update", false, "rewrite testdata/shape.golden from what Run writes now")

// shapeTables are the tables Run writes, each with the columns left out of
// its fingerprint: surrogate keys, which say in what order rows were
// inserted rather than what they hold, and the password hash, which is new
// on every run. An attempt's answers are told apart by their attempt's
// person and idempotency key instead of its id.
var shapeTables = []struct {
	name string
	skip []string
	sql  string // the query, when more than SELECT *
}{
	// The columns named, not *: a column added later sits at the end on
	// PostgreSQL (ALTER TABLE) but where the rebuild put it on SQLite. Demo
	// people all have an email, so username is left out (always NULL).
	{name: "users", skip: []string{"password_hash"},
		sql: "SELECT id, email, name, password_hash, role, active, created_at, last_signin_at, external_id FROM users"},
	{name: "courses"},
	{name: "course_versions"},
	{name: "teams"},
	{name: "team_members", skip: []string{"id"}},
	{name: "assignments"},
	{name: "enrolments", skip: []string{"id"}},
	{name: "module_progress", skip: []string{"id"}},
	{name: "attempts", skip: []string{"id"}},
	{name: "attempt_answers", skip: []string{"id", "attempt_id"},
		sql: "SELECT aa.*, a.user_id AS a_user_id, a.idempotency_key AS a_key FROM attempt_answers AS aa JOIN attempts AS a ON a.id = aa.attempt_id"},
	{name: "completions", skip: []string{"id"}},
	{name: "overdue_snapshots", skip: []string{"id"}},
	{name: "audit_log", skip: []string{"id"}},
}

// The demo is made faster from time to time; what it writes must not
// change. This fingerprints every row of every table it writes (a count and
// a hash of the sorted rows per table) for a fixed seed and clock, and
// compares the result with the one recorded in testdata/shape.golden, on
// each database.
func TestRunWritesTheRecordedData(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st := store.New(db)
		cat := catalog.New(st, slog.New(slog.DiscardHandler), &learning.Service{Store: st, Location: time.UTC})
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		if _, err := demo.Run(ctx, demo.Options{Store: st, Catalog: cat, Content: content.FS,
			Learners: 250, Courses: 14, Seed: 7, Now: now}); err != nil {
			t.Fatal(err)
		}
		var named int
		if err := db.R.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE username IS NOT NULL").Scan(&named); err != nil || named != 0 {
			t.Fatalf("%d demo people with a username (%v); the fingerprint leaves the column out because it is always NULL", named, err)
		}
		checkGolden(t, "shape.golden", fingerprint(t, ctx, db, false), db.Dialect == database.SQLite)
		if db.Dialect == database.SQLite {
			// SQLite keeps what it is given: a timestamp is text that must
			// read exactly as bun writes it (queries compare it as text),
			// a boolean an integer. Fingerprint the stored form too.
			checkGolden(t, "shape_sqlite.golden", fingerprint(t, ctx, db, true), true)
		}
	})
}

func checkGolden(t *testing.T, name, got string, mayUpdate bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update && mayUpdate {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Run writes other data than %s recorded (-recorded +now):\n%s", name, diff)
	}
}

// fingerprint lists, per table, its row count and a hash of its rows, each
// row written as column=value in column order with times in UTC and
// booleans as 0 or 1, so the two databases give the same text. stored
// (SQLite only) writes each value as SQLite holds it instead: its storage
// class and its text.
func fingerprint(t *testing.T, ctx context.Context, db *database.DB, stored bool) string {
	t.Helper()
	var b strings.Builder
	for _, tb := range shapeTables {
		q := tb.sql
		if q == "" {
			q = "SELECT * FROM " + tb.name
		}
		if stored {
			cols, err := db.R.QueryContext(ctx, "SELECT * FROM ("+q+") LIMIT 0")
			if err != nil {
				t.Fatalf("%s: %v", tb.name, err)
			}
			names, err := cols.Columns()
			cols.Close()
			if err != nil {
				t.Fatal(err)
			}
			var exprs []string
			for _, c := range names {
				exprs = append(exprs, fmt.Sprintf("typeof(%[1]q) || ':' || COALESCE(CAST(%[1]q AS TEXT), '') AS %[1]q", c))
			}
			q = "SELECT " + strings.Join(exprs, ", ") + " FROM (" + q + ")"
		}
		rows, err := db.R.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", tb.name, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", tb.name, err)
			}
			var line strings.Builder
			for i, c := range cols {
				if !slices.Contains(tb.skip, c) {
					fmt.Fprintf(&line, "%s=%s;", c, plain(vals[i]))
				}
			}
			lines = append(lines, line.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		h := sha256.New()
		for _, l := range lines {
			h.Write([]byte(l + "\n"))
		}
		fmt.Fprintf(&b, "%-18s %7d %x\n", tb.name, len(lines), h.Sum(nil)[:12])
	}
	return b.String()
}

// plain writes a value as both drivers can hand it over.
func plain(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case []byte:
		return plain(string(v))
	case string:
		// SQLite hands back a timestamp as text when it was not written
		// into a TIMESTAMP column's declared form.
		if tm, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", v); err == nil {
			return plain(tm)
		}
		return v
	case bool:
		if v {
			return "1"
		}
		return "0"
	default:
		return fmt.Sprint(v)
	}
}
