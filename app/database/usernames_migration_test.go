package database_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
)

// usernamesMigration is the migration that makes email optional; on SQLite
// it rebuilds users, which 31 tables reference ON DELETE CASCADE.
const usernamesMigration = "20261128600001"

// TestUsernamesMigrationKeepsEveryReference fills the tables that point at
// users, runs the migration, and checks that every row of every table is
// still there, that the constraints it adds hold, and that the indexes on
// users came back.
func TestUsernamesMigrationKeepsEveryReference(t *testing.T) {
	ctx := context.Background()
	run := func(t *testing.T, db *database.DB) {
		if err := db.MigrateBefore(ctx, usernamesMigration); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		for _, q := range []string{
			"INSERT INTO users (id, email, name, password_hash, role, created_at, external_id) VALUES (1, 'ana@example.com', 'Ana', 'h', 'admin', ?, 'ext-1')",
			"INSERT INTO users (id, email, name, role, created_at) VALUES (2, 'ben@example.com', 'Ben', 'learner', ?)",
			"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ('t1', 2, 'c', ?, ?, ?)",
			"INSERT INTO tokens (token_hash, purpose, user_id, created_by, created_at) VALUES ('i1', 'invite', 2, 1, ?)",
			"INSERT INTO teams (id, name, path, created_at) VALUES (1, 'Shop', '/1/', ?)",
			"INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES (1, 2, 'member', ?)",
			"INSERT INTO courses (id, slug, title, refresher, refresher_window, pass_mark, created_at, updated_at) VALUES (1, 'c', 'C', '12 months', '30 days', 80, ?, ?)",
			"INSERT INTO course_versions (id, course_id, number, source, hash, origin, published_at, published_by) VALUES (1, 1, 1, 's', 'h', 'file', ?, 1)",
			"INSERT INTO enrolments (user_id, course_id, assigned_at, created_at) VALUES (2, 1, ?, ?)",
			"INSERT INTO module_progress (user_id, course_id, module_slug, version_id, first_viewed_at) VALUES (2, 1, 'm', 1, ?)",
			"INSERT INTO attempts (id, user_id, course_id, version_id, module_slug, idempotency_key, correct, total, score, passed, submitted_at) VALUES (1, 2, 1, 1, 'm', 'k', 1, 1, 100, TRUE, ?)",
			"INSERT INTO attempt_answers (attempt_id, question_id, choice_ids, correct) VALUES (1, 'q', 'a', TRUE)",
			"INSERT INTO completions (user_id, course_id, version_id, completed_at, score) VALUES (2, 1, 1, ?, 100)",
			"INSERT INTO audit_log (actor_id, action, at) VALUES (1, 'test', ?)",
		} {
			args := make([]any, strings.Count(q, "?"))
			for i := range args {
				args[i] = at
			}
			if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		before := rowCounts(t, db)

		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after := rowCounts(t, db)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s: %d rows before the migration, %d after", table, n, after[table])
			}
		}
		if before["enrolments"] != 1 || before["sessions"] != 1 || before["attempt_answers"] != 1 {
			t.Fatalf("the fixture did not fill the referencing tables: %v", before)
		}

		var email, ext string
		if err := db.R.QueryRowContext(ctx, "SELECT email, external_id FROM users WHERE id = 1").Scan(&email, &ext); err != nil || email != "ana@example.com" || ext != "ext-1" {
			t.Errorf("user 1 after the migration: %q %q %v", email, ext, err)
		}
		for _, c := range []struct {
			name, q string
			ok      bool
		}{
			{"username only", "INSERT INTO users (id, email, username, name, role, created_at) VALUES (11, NULL, 'cara', 'Cara', 'learner', ?)", true},
			{"email and username", "INSERT INTO users (id, email, username, name, role, created_at) VALUES (12, 'dan@example.com', 'dan', 'Dan', 'learner', ?)", true},
			{"neither", "INSERT INTO users (id, email, username, name, role, created_at) VALUES (13, NULL, NULL, 'Eve', 'learner', ?)", false},
			{"username taken", "INSERT INTO users (id, username, name, role, created_at) VALUES (14, 'cara', 'Cara 2', 'learner', ?)", false},
			{"upper-case username", "INSERT INTO users (id, username, name, role, created_at) VALUES (15, 'Fay', 'Fay', 'learner', ?)", false},
			{"username with @", "INSERT INTO users (id, username, name, role, created_at) VALUES (16, 'g@h', 'G', 'learner', ?)", false},
			{"email taken", "INSERT INTO users (id, email, name, role, created_at) VALUES (17, 'ben@example.com', 'Ben 2', 'learner', ?)", false},
			{"upper-case email", "INSERT INTO users (id, email, name, role, created_at) VALUES (18, 'Hal@example.com', 'Hal', 'learner', ?)", false},
		} {
			_, err := db.W.ExecContext(ctx, c.q, at)
			if (err == nil) != c.ok {
				t.Errorf("%s: err = %v, want ok = %v", c.name, err, c.ok)
			}
		}
		// Foreign keys are back on: a session of nobody is refused, and
		// deleting a person still cascades.
		if _, err := db.W.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ('t2', 999, 'c', ?, ?, ?)", at, at, at); err == nil {
			t.Error("a session for a missing user was accepted: foreign keys are off")
		}
		if _, err := db.W.ExecContext(ctx, "DELETE FROM users WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.W.QueryRowContext(ctx, "SELECT count(*) FROM enrolments").Scan(&n); err != nil || n != 0 {
			t.Errorf("enrolments after deleting their person: %d, %v (want the cascade)", n, err)
		}
		if db.Dialect == database.SQLite {
			for _, idx := range []string{"users_name_idx", "users_role_name_idx"} {
				var name string
				if err := db.R.QueryRowContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?", idx).Scan(&name); err != nil {
					t.Errorf("index %s is missing after the rebuild: %v", idx, err)
				}
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		db, err := database.Open(ctx, filepath.Join(t.TempDir(), "u.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		run(t, db)
	})
	if dsn := apptest.PostgresDSN(); dsn != "" {
		t.Run("pg", func(t *testing.T) {
			db, err := database.Open(ctx, apptest.PostgresSchema(t, dsn))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			run(t, db)
		})
	}
}

// rowCounts counts the rows of every table of the application.
func rowCounts(t *testing.T, db *database.DB) map[string]int {
	t.Helper()
	ctx := context.Background()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if db.Dialect == database.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := db.R.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]int{}
	for _, table := range tables {
		if strings.HasPrefix(table, "bun_") {
			continue
		}
		var n int
		if err := db.R.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// BenchmarkUsernamesMigration times the migration on 100,000 people with a
// session and an enrolment each: the SQLite rebuild copies users and checks
// every reference; PostgreSQL's ALTER TABLE checks and indexes in place.
//
//	go test -run xxx -bench UsernamesMigration -benchtime 3x ./app/database
func BenchmarkUsernamesMigration(b *testing.B) {
	ctx := context.Background()
	const people = 100_000
	fill := func(b *testing.B, db *database.DB) {
		at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		series := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
		if db.Dialect == database.Postgres {
			series = "WITH n(i) AS (SELECT generate_series(1, ?)) "
		}
		for _, q := range []string{
			series + "INSERT INTO users (id, email, name, role, created_at) SELECT i, 'p' || i || '@example.com', 'Person ' || i, 'learner', ? FROM n",
			"INSERT INTO courses (id, slug, title, refresher, refresher_window, pass_mark, created_at, updated_at) VALUES (1, 'c', 'C', '12 months', '30 days', 80, ?, ?)",
			series + "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) SELECT 't' || i, i, 'c', ?, ?, ? FROM n",
			series + "INSERT INTO enrolments (user_id, course_id, created_at) SELECT i, 1, ? FROM n",
		} {
			args := []any{}
			if strings.HasPrefix(q, "WITH") {
				args = append(args, people)
			}
			for range strings.Count(q, "?") - len(args) {
				args = append(args, at)
			}
			if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	run := func(b *testing.B, open func(b *testing.B) *database.DB) {
		for range b.N {
			b.StopTimer()
			db := open(b)
			if err := db.MigrateBefore(ctx, usernamesMigration); err != nil {
				b.Fatal(err)
			}
			fill(b, db)
			b.StartTimer()
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			db.Close()
		}
	}
	b.Run("sqlite", func(b *testing.B) {
		run(b, func(b *testing.B) *database.DB {
			db, err := database.Open(ctx, filepath.Join(b.TempDir(), "u.db"))
			if err != nil {
				b.Fatal(err)
			}
			return db
		})
	})
	if dsn := apptest.PostgresDSN(); dsn != "" {
		b.Run("pg", func(b *testing.B) {
			run(b, func(b *testing.B) *database.DB {
				db, err := database.Open(ctx, apptest.PostgresSchema(b, dsn))
				if err != nil {
					b.Fatal(err)
				}
				return db
			})
		})
	}
}

// TestUsernamesMigrationRefusesBrokenReferences: on SQLite the rebuild
// commits only when PRAGMA foreign_key_check is clean. A database that
// already holds a reference to nobody keeps its old users table, and the
// writer connection gets its foreign keys back and no open transaction.
func TestUsernamesMigrationRefusesBrokenReferences(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateBefore(ctx, usernamesMigration); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, q := range []string{
		"PRAGMA foreign_keys = OFF",
		"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ('orphan', 999, 'c', '2026-11-01', '2026-11-01', '2026-11-01')",
		"PRAGMA foreign_keys = ON",
	} {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(ctx); err == nil {
		t.Fatal("the migration committed over a reference to nobody")
	}
	if _, err := db.W.ExecContext(ctx, "INSERT INTO users (email, name, role, created_at) VALUES (NULL, 'N', 'learner', ?)", at); err == nil {
		t.Error("email accepts NULL: the failed rebuild was kept")
	}
	var fk int
	if err := db.W.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys after the failed migration: %d, %v", fk, err)
	}
	// No transaction was left open: a write commits and is seen by a reader.
	if _, err := db.W.ExecContext(ctx, "INSERT INTO users (id, email, name, role, created_at) VALUES (7, 'a@example.com', 'A', 'learner', ?)", at); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE id = 7").Scan(&n); err != nil || n != 1 {
		t.Errorf("a write after the failed migration is not visible to readers (%d, %v): a transaction was left open", n, err)
	}
}
