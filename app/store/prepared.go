package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/database"
)

// Bun writes every value into the SQL text, so each query is new to the
// database: SQLite compiles it again and PostgreSQL parses and plans it
// again, which was a quarter of a module page's work. The queries of the
// hot paths (a page view's session and progress, a quiz submit) run
// instead as statements prepared once per connection, with their values
// sent apart: database/sql keeps one *sql.Stmt per query text and prepares
// it on each connection it meets (pgdriver then uses PostgreSQL's extended
// protocol, one round trip per execution; modernc keeps the compiled
// SQLite statement). Queries are written with ? placeholders; on
// PostgreSQL they become $1, $2…. The rows are scanned by bun, into the
// same models as the other queries.
type statements struct {
	mu    sync.Mutex                   // held while preparing
	byKey sync.Map                     // stmtKey → *sql.Stmt: read on every query, written once per query text
	count atomic.Pointer[atomic.Int64] // set by CountQueries
}

type stmtKey struct {
	db    *sql.DB
	query string
}

func newStatements() *statements { return &statements{} }

func (st *statements) lookup(db *sql.DB, query string) (*sql.Stmt, bool) {
	s, ok := st.byKey.Load(stmtKey{db, query})
	if !ok {
		return nil, false
	}
	return s.(*sql.Stmt), true
}

// prepared returns the statement for query on db, preparing it on first use.
func (st *statements) prepared(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	if s, ok := st.lookup(db, query); ok {
		return s, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if s, ok := st.lookup(db, query); ok {
		return s, nil
	}
	s, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st.byKey.Store(stmtKey{db, query}, s)
	return s, nil
}

// placeholders turns ? into $n for PostgreSQL. The hot queries hold no ?
// inside string literals. They are a fixed set, so each is turned once
// (rewriting the text on every query was a twentieth of a page's CPU).
func placeholders(d database.Dialect, query string) string {
	if d != database.Postgres || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := numbered.Load(query); ok {
		return q.(string)
	}
	q := numberPlaceholders(query)
	numbered.Store(query, q)
	return q
}

// numbered maps a hot query to its PostgreSQL text.
var numbered sync.Map

func numberPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// args turns values into what bun would have written: times in UTC in
// bun's text form (SQLite compares timestamps as text, so a value sent
// apart must read exactly like one bun wrote), a zero time as NULL (the
// columns it goes to are nullzero), and booleans as 0 or 1 on SQLite.
func (s *Store) args(in []any) []any {
	out := make([]any, len(in))
	for i, v := range in {
		switch v := v.(type) {
		case time.Time:
			if v.IsZero() {
				out[i] = nil
			} else {
				out[i] = v.UTC().Format("2006-01-02 15:04:05.999999-07:00")
			}
		case bool:
			out[i] = v
			if s.dialect == database.SQLite {
				out[i] = int64(0)
				if v {
					out[i] = int64(1)
				}
			}
		default:
			out[i] = v
		}
	}
	return out
}

// stmt returns the prepared statement for query: inside a transaction,
// bound to it (database/sql reuses the statement already prepared on the
// transaction's connection); otherwise on the writer or the read pool.
// done releases a transaction's binding.
func (s *Store) stmt(ctx context.Context, write bool, query string) (stmt *sql.Stmt, done func(), err error) {
	query = placeholders(s.dialect, query)
	if tx, ok := s.w.(bun.Tx); ok {
		// Preparing on the pool inside a transaction would wait for a
		// second connection: SQLite's writer has one, so it would wait for
		// ever. Statements a transaction runs are prepared at start-up
		// (Prepare); any other is prepared on the transaction alone.
		base, ok := s.stmts.lookup(s.db.W.DB, query)
		var ts *sql.Stmt
		if ok {
			ts = tx.StmtContext(ctx, base)
		} else if ts, err = tx.PrepareContext(ctx, query); err != nil {
			return nil, nil, err
		}
		return ts, func() { ts.Close() }, nil
	}
	db := s.db.R.DB
	if write {
		db = s.db.W.DB
	}
	stmt, err = s.stmts.prepared(ctx, db, query)
	return stmt, func() {}, err
}

// Prepare prepares on the writer the statements that run inside
// transactions, before any transaction needs them.
func (s *Store) Prepare(ctx context.Context) error {
	for _, q := range s.txStatements() {
		if _, err := s.stmts.prepared(ctx, s.db.W.DB, placeholders(s.dialect, q)); err != nil {
			return fmt.Errorf("store: unable to prepare %q: %w", q, err)
		}
	}
	return nil
}

// txStatements are the prepared queries that run inside a transaction.
func (s *Store) txStatements() []string {
	qs := []string{s.sql.activeEnrolment, earlierAttemptSQL, markPassedSQL, s.sql.progress, s.sql.quizDrawByID}
	if s.dialect == database.Postgres {
		return append(qs, insertAttemptAndAnswersPG, s.sql.markPassedProgress, s.sql.submitAttempt)
	}
	return append(qs, insertAttemptSQL, insertAnswersSQLite, closeQuizDrawSQL)
}

// hotSQL holds the prepared queries whose column lists come from the
// models, built once.
type hotSQL struct {
	session, activeEnrolment, progress, quizDrawByID, openQuizDraw, moduleView string
	markPassedProgress, submitAttempt                                          string // PostgreSQL only
}

// openDrawFilter finds a person's open draw of a module on a version, from
// the values (user, course, module, version), in the quiz_draws aliased as
// alias: the latest not yet answered.
func openDrawFilter(alias string) string {
	a := alias + "."
	return a + "user_id = ? AND " + a + "course_id = ? AND " + a + "module_slug = ? AND " + a + "version_id = ?" +
		" AND " + a + "attempt_id IS NULL ORDER BY " + a + "created_at DESC, " + a + "id DESC LIMIT 1"
}

func newHotSQL(db *bun.DB) *hotSQL {
	draw := "SELECT " + columns(db, (*QuizDraw)(nil), "qd", "") + " FROM quiz_draws AS qd WHERE "
	activeEnrolment := `INSERT INTO enrolments AS e (user_id, course_id, started_at, last_activity_at, cycle, created_at)
VALUES (?, ?, ?, ?, 0, ?)
ON CONFLICT (user_id, course_id) DO UPDATE SET last_activity_at = EXCLUDED.last_activity_at,
	started_at = COALESCE(e.started_at, EXCLUDED.started_at)
RETURNING ` + columns(db, (*Enrolment)(nil), "", "")
	return &hotSQL{
		session: "SELECT " + columns(db, (*Session)(nil), "s", "") + ", " + columns(db, (*User)(nil), "u", "u_") +
			" FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
		activeEnrolment: activeEnrolment,
		progress: "SELECT " + columns(db, (*ModuleProgress)(nil), "mp", "") +
			" FROM module_progress AS mp WHERE mp.user_id = ? AND mp.course_id = ?",
		markPassedProgress: "WITH up AS (" + markPassedSQL + "\nRETURNING " + columns(db, (*ModuleProgress)(nil), "", "") + ")\n" +
			"SELECT * FROM up UNION ALL SELECT " + columns(db, (*ModuleProgress)(nil), "mp", "") +
			" FROM module_progress AS mp WHERE mp.user_id = ? AND mp.course_id = ? AND mp.module_slug <> ?",
		// The enrolment's activity, then insertAttemptAndAnswersPG's
		// queries, in one statement (SubmitAttempt); the CTE is en, as
		// the enrolment query names its table e.
		submitAttempt: "WITH en AS (" + activeEnrolment + "),\na AS (" + insertAttemptSQL + "),\n" + attemptCTEsPG +
			"\nSELECT " + columns(db, (*Enrolment)(nil), "en", "e_") + ", a.id AS attempt_id, EXISTS (SELECT 1 FROM d) AS closed FROM en LEFT JOIN a ON true",
		quizDrawByID: draw + "qd.id = ?",
		openQuizDraw: draw + openDrawFilter("qd"),
		moduleView:   moduleViewSQL(db),
	}
}

// scanPrepared runs a prepared query and scans every row into dest (a
// pointer to a slice of models or rows), as bun would.
func (s *Store) scanPrepared(ctx context.Context, write bool, dest any, query string, args ...any) error {
	if reflect.TypeOf(dest).Elem().Kind() != reflect.Slice {
		return fmt.Errorf("store: scanPrepared wants a pointer to a slice, not %T", dest)
	}
	stmt, done, err := s.stmt(ctx, write, query)
	if err != nil {
		return err
	}
	defer done()
	s.stmts.counted()
	rows, err := stmt.QueryContext(ctx, s.args(args)...)
	if err != nil {
		s.dropBroken(err)
		return err
	}
	err = s.db.R.ScanRows(ctx, rows, dest) // closes rows
	s.dropBroken(err)
	return err
}

// execPrepared runs a prepared statement that returns no rows, on the writer.
func (s *Store) execPrepared(ctx context.Context, query string, args ...any) (sql.Result, error) {
	stmt, done, err := s.stmt(ctx, true, query)
	if err != nil {
		return nil, err
	}
	defer done()
	s.stmts.counted()
	res, err := stmt.ExecContext(ctx, s.args(args)...)
	s.dropBroken(err)
	return res, err
}

// dropBroken lets go of the pool's idle connections after a prepared
// statement failed because the database could not be reached, so the
// next query dials afresh (see database.DB.DropIdle).
func (s *Store) dropBroken(err error) {
	if err != nil && database.IsUnavailable(err) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		s.db.DropIdle()
	}
}

// columns lists a model's columns for a hand-written query, each as
// alias.column AS prefix+column, so bun scans them into an embed:prefix
// field (or bare names with no alias). Built from bun's own table metadata, it follows the model.
func columns(db *bun.DB, model any, alias, prefix string) string {
	t := db.Table(reflect.TypeOf(model).Elem())
	cols := make([]string, 0, len(t.Fields))
	for _, f := range t.Fields {
		if alias == "" { // a RETURNING list: SQLite takes bare names only
			cols = append(cols, f.Name)
			continue
		}
		cols = append(cols, alias+"."+f.Name+" AS "+prefix+f.Name)
	}
	return strings.Join(cols, ", ")
}

// first returns the one row a prepared query looked for: ErrNotFound when
// there is none, like bun's Scan of a single model.
func first[T any](rows []T, err error, what string, args ...any) (*T, error) {
	if err == nil && len(rows) == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return new(T), wrap(err, what, args...)
	}
	return &rows[0], nil
}

// CountQueries counts from now on every statement this store's database
// runs, bun's (BEGIN and COMMIT included) and the prepared ones: each is a
// round trip on PostgreSQL. Tests and benchmarks use it to keep the hot
// paths short; it costs an atomic add per statement once called.
func (s *Store) CountQueries() *atomic.Int64 {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if n := s.stmts.count.Load(); n != nil {
		return n
	}
	n := new(atomic.Int64)
	s.db.W.AddQueryHook(countHook{n})
	if s.db.R != s.db.W {
		s.db.R.AddQueryHook(countHook{n})
	}
	s.stmts.count.Store(n)
	return n
}

type countHook struct{ n *atomic.Int64 }

func (h countHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (h countHook) AfterQuery(context.Context, *bun.QueryEvent)                        { h.n.Add(1) }

func (st *statements) counted() {
	if n := st.count.Load(); n != nil {
		n.Add(1)
	}
}
