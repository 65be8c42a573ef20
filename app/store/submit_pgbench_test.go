package store

import (
	"database/sql"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// TestPgbenchSubmitIsTheAppsSubmit keeps bench/submit.sql, the pgbench
// script the quiz submit is compared with, sending the statements a
// passing submit sends on PostgreSQL, in the same order
// (TestQuizSubmitRoundTrips counts them): a change to one of them here
// must be copied there, or the comparison measures something else. Values
// are compared as placeholders: the app's ?, the script's :variables,
// now() and the answers' literal.
func TestPgbenchSubmitIsTheAppsSubmit(t *testing.T) {
	b, err := os.ReadFile("../../bench/submit.sql")
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector()), pgdialect.New()) // never connects: only the dialect is used
	hot := newHotSQL(db)
	var want []string
	for _, q := range []string{hot.quizDrawByID, "BEGIN", hot.submitAttempt, hot.markPassedProgress, "COMMIT"} {
		want = append(want, shape(strings.ReplaceAll(q, "?", "$")))
	}
	var got []string
	for _, q := range pgbenchStatements(string(b)) {
		q = strings.ReplaceAll(q, "::", "\x00") // a cast, not a variable
		q = regexp.MustCompile(`:[a-z_]+|now\(\)|E'[^']*'`).ReplaceAllLiteralString(q, "$")
		q = strings.ReplaceAll(q, "\x00", "::")
		got = append(got, shape(q))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bench/submit.sql does not send the app's statements (-app +script):\n%s", diff)
	}
}

// pgbenchStatements splits a pgbench script into its SQL statements:
// comments and meta-commands dropped, a trailing \gset taken off.
func pgbenchStatements(script string) []string {
	var qs []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(line, "--") || strings.HasPrefix(line, `\`) {
			continue
		}
		end := false
		if i := strings.Index(line, ` \gset`); i >= 0 {
			line, end = line[:i], true
		} else if strings.HasSuffix(line, ";") {
			line, end = strings.TrimSuffix(line, ";"), true
		}
		cur.WriteString(line + "\n")
		if end {
			qs = append(qs, cur.String())
			cur.Reset()
		}
	}
	return qs
}

// shape collapses white space, so that only the statement's text counts.
func shape(q string) string { return strings.Join(strings.Fields(q), " ") }
