package migrations

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"
)

// idRE is bun/migrate's file name form: <id>_<name>.[tx.]up|down.sql.
var idRE = regexp.MustCompile(`^(\d{14})_([a-z0-9_]+)\.(tx\.)?(up|down)\.sql$`)

func names(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !idRE.MatchString(e.Name()) {
			t.Errorf("%s: not a migration file name (want 20261124000001_name.tx.up.sql)", e.Name())
		}
		out = append(out, e.Name())
	}
	return out
}

// TestDialectsHaveTheSameMigrations keeps pg/ and sqlite/ in step: the same
// files, so the same IDs, names and transaction mode, in both.
func TestDialectsHaveTheSameMigrations(t *testing.T) {
	pg, lite := names(t, PG), names(t, SQLite)
	if len(pg) == 0 {
		t.Fatal("no migrations found")
	}
	for _, n := range pg {
		if !slices.Contains(lite, n) {
			t.Errorf("%s is in pg/ but not in sqlite/", n)
		}
	}
	for _, n := range lite {
		if !slices.Contains(pg, n) {
			t.Errorf("%s is in sqlite/ but not in pg/", n)
		}
	}
}

// TestMigrationsCreateTheSameTables catches a table added in one dialect only.
// SQLite cannot alter a constraint, so a migration there may rebuild a table
// (CREATE TABLE t_new, copy, DROP TABLE t, ALTER TABLE t_new RENAME TO t):
// a table created and renamed in the same file is that rebuild, not a new
// table.
func TestMigrationsCreateTheSameTables(t *testing.T) {
	tableRE := regexp.MustCompile(`(?i)CREATE TABLE (\w+)`)
	renameRE := regexp.MustCompile(`(?i)ALTER TABLE (\w+) RENAME TO`)
	tables := func(fsys fs.FS) []string {
		var out []string
		for _, n := range names(t, fsys) {
			b, err := fs.ReadFile(fsys, n)
			if err != nil {
				t.Fatal(err)
			}
			renamed := map[string]bool{}
			for _, m := range renameRE.FindAllStringSubmatch(string(b), -1) {
				renamed[m[1]] = true
			}
			for _, m := range tableRE.FindAllStringSubmatch(string(b), -1) {
				if !renamed[m[1]] {
					out = append(out, n+": "+m[1])
				}
			}
		}
		slices.Sort(out)
		return out
	}
	if pg, lite := tables(PG), tables(SQLite); !slices.Equal(pg, lite) {
		t.Errorf("tables differ:\npg:     %v\nsqlite: %v", pg, lite)
	}
}
