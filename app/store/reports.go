package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/courses"
)

// Reports: what managers see of their teams, computed in SQL over the
// enrolments table so that a page costs a few indexed queries at any size.
//
// The state of a person on a course is computed in SQL from the enrolment
// row alone, and equals courses.Derive over the full history because
// learning writes Derive's result into the row after every completion:
//
//   - last_completed_at is NULL until the first completion (Derive: cycle 0).
//     Then the state is overdue when the first due date (due_at) is before
//     today's start, in progress when there was activity, not started
//     otherwise.
//   - After a completion next_due_at holds Derive's NextDue (the start of
//     the due day). Overdue is next_due_at < the start of today; due soon is
//     next_due_at < DueSoonBefore[course], the start of the first due day
//     whose window has not opened today; completed otherwise.
//
// So "overdue" is always COALESCE(next_due_at, due_at) < today, which has an
// index. StateCutoffs carries the per-request instants; app/reports computes
// them with the calendar rules of courses, and its tests check this SQL
// against Derive. A person with no enrolment row is "not started".

// StateCutoffs are the instants the state SQL compares against.
type StateCutoffs struct {
	Now           time.Time
	Today         time.Time           // start of today in the organisation's zone
	DueSoonBefore map[int64]time.Time // per course: due days before this have their window open
}

// statusExpr is the state of enrolment alias e as SQL: one of the
// courses.Status strings.
func (s *Store) statusExpr(cut StateCutoffs) schema.QueryAppender {
	// A literal inside CASE has no column to take its type from: PostgreSQL
	// needs it cast, SQLite compares the text bun writes as it is.
	ts := "?"
	if s.dialect == database.Postgres {
		ts = "CAST(? AS TIMESTAMPTZ)"
	}
	var b strings.Builder
	args := []any{Now(cut.Today), Now(cut.Now)}
	b.WriteString(`CASE WHEN COALESCE(e.next_due_at, e.due_at) < ? THEN 'overdue' ` +
		`WHEN e.last_completed_at IS NULL THEN (CASE WHEN e.last_activity_at <= ? THEN 'in_progress' ELSE 'not_started' END) `)
	if len(cut.DueSoonBefore) > 0 {
		b.WriteString(`WHEN e.next_due_at < (CASE e.course_id`)
		for id, t := range cut.DueSoonBefore {
			b.WriteString(` WHEN ? THEN ` + ts)
			args = append(args, id, Now(t))
		}
		b.WriteString(` END) THEN 'due_soon' `)
	}
	b.WriteString(`ELSE 'completed' END`)
	return bun.SafeQuery(b.String(), args...)
}

// Scope is the part of the organisation a query covers: everyone in a team
// (All, an admin's view) or the subtrees of Paths (nobody when empty).
type Scope struct {
	All   bool
	Paths []string
}

// cond is the scope as a condition on teams alias t.
func (sc Scope) cond() schema.QueryAppender {
	if sc.All {
		return bun.SafeQuery("TRUE")
	}
	if len(sc.Paths) == 0 {
		return bun.SafeQuery("FALSE")
	}
	parts := make([]string, len(sc.Paths))
	args := make([]any, 0, 2*len(sc.Paths))
	for i, p := range sc.Paths {
		lo, hi := PathRange(p)
		parts[i] = "(t.path >= ? AND t.path < ?)"
		args = append(args, lo, hi)
	}
	return bun.SafeQuery("("+strings.Join(parts, " OR ")+")", args...)
}

// members is the FROM clause of active people in a scope: m, t, u.
const members = `team_members AS m
JOIN teams AS t ON t.id = m.team_id
JOIN users AS u ON u.id = m.user_id`

// MatrixQuery selects a page of people for the completion matrix.
type MatrixQuery struct {
	Scope   Scope
	Courses []int64 // the matrix's columns
	Course  int64   // filter: only this course's state counts (0: any column)
	State   string  // filter: a courses.Status, or "" for everyone
	Desc    bool    // names Z to A; with SortCourse, least urgent first
	// SortCourse orders people by their state on this course, most urgent
	// first (overdue, due soon, in progress, not started, completed, never
	// enrolled), then by name; 0 orders by name alone.
	SortCourse int64
	After      Cursor // keyset: the last person of the previous page
	Limit      int
	Cut        StateCutoffs
}

// Cursor is a position in a list ordered by name then ID, or by a rank
// (the state on a course, SortCourse) then name then ID.
type Cursor struct {
	Rank int
	Name string
	ID   int64
}

// IsZero reports whether the cursor is the start of the list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// Person is one row of a report: someone, and the team they belong to.
type Person struct {
	ID       int64  `bun:"id"`
	Name     string `bun:"name"`
	Email    string `bun:"email"` // the email, else the username (identifierSQL)
	TeamID   int64  `bun:"team_id"`
	TeamName string `bun:"team_name"`
	Rank     int    `bun:"sort_rank"` // the matrix's sort rank, when sorted by a course
}

// MatrixPeople returns one page of people (Limit of them) and whether more
// follow. Keyset pagination: the page after a cursor costs the same as the
// first, however deep.
func (s *Store) MatrixPeople(ctx context.Context, q MatrixQuery) ([]Person, bool, error) {
	var where []string
	var args []any
	from := members
	if q.State != "" && q.Course != 0 {
		from += "\nLEFT JOIN enrolments AS e ON e.user_id = u.id AND e.course_id = ?"
		args = append(args, q.Course)
		where = append(where, "? = ?")
		args = append(args, s.statusExpr(q.Cut), q.State)
	}
	where = append(where, "m.role = 'member'", "u.active = ?", "?")
	args = append(args, true, q.Scope.cond())
	if q.State != "" && q.Course == 0 {
		where = append(where, "EXISTS (SELECT 1 FROM enrolments AS e WHERE e.user_id = u.id AND e.course_id IN (?) AND ? = ?)")
		args = append(args, bun.In(q.Courses), s.statusExpr(q.Cut), q.State)
	}
	op, dir := ">", "ASC"
	if q.Desc {
		op, dir = "<", "DESC"
	}
	// The rank is a correlated subquery rather than a join so that it
	// cannot collide with the state filter's join of enrolments.
	rank, rankArgs := "0", []any(nil)
	if q.SortCourse != 0 {
		rank = `COALESCE((SELECT CASE ? WHEN 'overdue' THEN 0 WHEN 'due_soon' THEN 1 WHEN 'in_progress' THEN 2 WHEN 'not_started' THEN 3 ELSE 4 END
  FROM enrolments AS e WHERE e.user_id = u.id AND e.course_id = ?), 5)`
		rankArgs = []any{s.statusExpr(q.Cut), q.SortCourse}
	}
	if !q.After.IsZero() {
		if q.SortCourse != 0 {
			where = append(where, fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND (u.name %[2]s ? OR (u.name = ? AND u.id %[2]s ?))))", rank, op))
			args = append(args, rankArgs...)
			args = append(args, q.After.Rank)
			args = append(args, rankArgs...)
			args = append(args, q.After.Rank, q.After.Name, q.After.Name, q.After.ID)
		} else {
			where = append(where, fmt.Sprintf("(u.name %s ? OR (u.name = ? AND u.id %s ?))", op, op))
			args = append(args, q.After.Name, q.After.Name, q.After.ID)
		}
	}
	args = append(append(rankArgs, args...), q.Limit+1)
	query := fmt.Sprintf(`SELECT u.id, u.name, `+identifierSQL+` AS email, t.id AS team_id, t.name AS team_name, %s AS sort_rank
FROM %s
WHERE %s
ORDER BY sort_rank %s, u.name %s, u.id %s
LIMIT ?`, rank, from, strings.Join(where, " AND "), dir, dir, dir)
	var ps []Person
	if err := s.r.NewRaw(query, args...).Scan(ctx, &ps); err != nil {
		return nil, false, wrap(err, "list people for the matrix")
	}
	more := len(ps) > q.Limit
	if more {
		ps = ps[:q.Limit]
	}
	return ps, more, nil
}

// Cell is one person on one course as reports show it.
type Cell struct {
	UserID        int64          `bun:"user_id"`
	CourseID      int64          `bun:"course_id"`
	Status        courses.Status `bun:"status"`
	LastCompleted time.Time      `bun:"last_completed_at"`
	DueAt         time.Time      `bun:"due_at"` // next due, or the first due date before any completion
	LastActivity  time.Time      `bun:"last_activity_at"`
	Assigned      bool           `bun:"assigned"`
}

// Cells returns the enrolments of people on courses with their state; a
// pair without a row is "not started" and is left out.
func (s *Store) Cells(ctx context.Context, userIDs, courseIDs []int64, cut StateCutoffs) ([]Cell, error) {
	if len(userIDs) == 0 || len(courseIDs) == 0 {
		return nil, nil
	}
	var cs []Cell
	err := s.r.NewRaw(`SELECT e.user_id, e.course_id, ? AS status, e.last_completed_at,
  COALESCE(e.next_due_at, e.due_at) AS due_at, e.last_activity_at, e.assigned_at IS NOT NULL AS assigned
FROM enrolments AS e WHERE e.user_id IN (?) AND e.course_id IN (?)`,
		s.statusExpr(cut), bun.In(userIDs), bun.In(courseIDs)).Scan(ctx, &cs)
	return cs, wrap(err, "read the cells of %d people", len(userIDs))
}

// Total counts the people in one state on one course.
type Total struct {
	CourseID int64          `bun:"course_id"`
	TeamID   int64          `bun:"team_id"`
	Status   courses.Status `bun:"status"`
	People   int            `bun:"people"`
}

// CourseTotals counts, per course, the active people in scope in each
// state; people without an enrolment are not counted (see CountPeople).
func (s *Store) CourseTotals(ctx context.Context, sc Scope, courseIDs []int64, cut StateCutoffs) ([]Total, error) {
	var ts []Total
	err := s.r.NewRaw(`SELECT e.course_id, ? AS status, COUNT(*) AS people
FROM `+members+`
JOIN enrolments AS e ON e.user_id = m.user_id
WHERE m.role = 'member' AND u.active = ? AND ? AND e.course_id IN (?)
GROUP BY e.course_id, 2`, s.statusExpr(cut), true, sc.cond(), bun.In(courseIDs)).Scan(ctx, &ts)
	return ts, wrap(err, "count states per course")
}

// TeamTotals counts, per team a person belongs to (not subtrees: callers
// roll them up by path), the enrolments in each state.
func (s *Store) TeamTotals(ctx context.Context, sc Scope, courseIDs []int64, cut StateCutoffs) ([]Total, error) {
	var ts []Total
	err := s.r.NewRaw(`SELECT m.team_id, ? AS status, COUNT(*) AS people
FROM `+members+`
JOIN enrolments AS e ON e.user_id = m.user_id
WHERE m.role = 'member' AND u.active = ? AND ? AND e.course_id IN (?)
GROUP BY m.team_id, 2`, s.statusExpr(cut), true, sc.cond(), bun.In(courseIDs)).Scan(ctx, &ts)
	return ts, wrap(err, "count states per team")
}

// CountPeople counts the active members in scope.
func (s *Store) CountPeople(ctx context.Context, sc Scope) (int, error) {
	var n int
	err := s.r.NewRaw(`SELECT COUNT(*) FROM `+members+` WHERE m.role = 'member' AND u.active = ? AND ?`,
		true, sc.cond()).Scan(ctx, &n)
	return n, wrap(err, "count people")
}

// DueRow is one line of the overdue and due-soon lists.
type DueRow struct {
	UserID      int64          `bun:"user_id"`
	Name        string         `bun:"name"`
	Email       string         `bun:"email"` // the email, else the username (identifierSQL)
	TeamName    string         `bun:"team_name"`
	CourseID    int64          `bun:"course_id"`
	CourseTitle string         `bun:"course_title"`
	DueAt       time.Time      `bun:"due_at"`
	Status      courses.Status `bun:"status"`
}

// DueBetween lists the enrolments in scope whose due date (first due date
// or refresher date) is in [from, to), earliest first, at most limit, and
// how many there are in all. A zero from means "any time before to": the
// overdue list is DueBetween(zero, today).
func (s *Store) DueBetween(ctx context.Context, sc Scope, courseIDs []int64, from, to time.Time, limit int, cut StateCutoffs) ([]DueRow, int, error) {
	cond := "COALESCE(e.next_due_at, e.due_at) < ?"
	args := []any{Now(to)}
	if !from.IsZero() {
		cond += " AND COALESCE(e.next_due_at, e.due_at) >= ?"
		args = append(args, Now(from))
	}
	base := `FROM ` + members + `
JOIN enrolments AS e ON e.user_id = m.user_id
JOIN courses AS c ON c.id = e.course_id
WHERE m.role = 'member' AND u.active = ? AND ? AND e.course_id IN (?) AND ` + cond
	bargs := append([]any{true, sc.cond(), bun.In(courseIDs)}, args...)
	var rows []DueRow
	err := s.r.NewRaw(`SELECT u.id AS user_id, u.name, `+identifierSQL+` AS email, t.name AS team_name, c.id AS course_id, c.title AS course_title,
  COALESCE(e.next_due_at, e.due_at) AS due_at, ? AS status `+base+`
ORDER BY 7, u.name, u.id, c.id LIMIT ?`, append(append([]any{s.statusExpr(cut)}, bargs...), limit)...).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, wrap(err, "list due enrolments")
	}
	var n int
	if err := s.r.NewRaw(`SELECT COUNT(*) `+base, bargs...).Scan(ctx, &n); err != nil {
		return nil, 0, wrap(err, "count due enrolments")
	}
	return rows, n, nil
}

// ExportRow is one person on one course in the matrix export.
type ExportRow struct {
	Name, Email, Team, Course string
	Status                    courses.Status
	LastCompleted, DueAt      time.Time
}

// ExportMatrix streams every active person in scope × course in courseIDs
// (filtered like the matrix) to fn, ordered by name, without holding more
// than one row: the rows come off the database cursor one at a time.
func (s *Store) ExportMatrix(ctx context.Context, q MatrixQuery, fn func(*ExportRow) error) error {
	courses := q.Courses
	if q.Course != 0 {
		courses = []int64{q.Course}
	}
	where := "m.role = 'member' AND u.active = ? AND ? AND c.id IN (?)"
	args := []any{s.statusExpr(q.Cut), true, q.Scope.cond(), bun.In(courses)}
	if q.State != "" {
		where += " AND ? = ?"
		args = append(args, s.statusExpr(q.Cut), q.State)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT u.name, `+identifierSQL+`, t.name, c.title, ?, e.last_completed_at, COALESCE(e.next_due_at, e.due_at)
FROM `+members+`
CROSS JOIN courses AS c
LEFT JOIN enrolments AS e ON e.user_id = u.id AND e.course_id = c.id
WHERE `+where+`
ORDER BY u.name, u.id, c.title, c.id`, args...)
	if err != nil {
		return wrap(err, "export the matrix")
	}
	defer rows.Close()
	var r ExportRow
	for rows.Next() {
		if err := rows.Scan(&r.Name, &r.Email, &r.Team, &r.Course, &r.Status, (*anyTime)(&r.LastCompleted), (*anyTime)(&r.DueAt)); err != nil {
			return wrap(err, "read an export row")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "export the matrix")
}

// HistoryRow is one completion in the history export.
type HistoryRow struct {
	Name, Email, Team, Course string
	Active                    bool
	CompletedAt               time.Time
	Score, Version            int
}

// ExportHistory streams every completion of everyone in scope (deactivated
// people included: history stays), by person then date.
func (s *Store) ExportHistory(ctx context.Context, sc Scope, fn func(*HistoryRow) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT u.name, `+identifierSQL+`, t.name, u.active, c.title, co.completed_at, co.score, v.number
FROM `+members+`
JOIN completions AS co ON co.user_id = m.user_id
JOIN courses AS c ON c.id = co.course_id
JOIN course_versions AS v ON v.id = co.version_id
WHERE m.role = 'member' AND ?
ORDER BY u.name, u.id, co.completed_at, co.id`, sc.cond())
	if err != nil {
		return wrap(err, "export completion history")
	}
	defer rows.Close()
	var r HistoryRow
	for rows.Next() {
		if err := rows.Scan(&r.Name, &r.Email, &r.Team, &r.Active, &r.Course, (*anyTime)(&r.CompletedAt), &r.Score, &r.Version); err != nil {
			return wrap(err, "read a history row")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "export completion history")
}

// OverduePeople counts, per team, the active people overdue on at least one
// of courseIDs at cut.
func (s *Store) OverduePeople(ctx context.Context, sc Scope, courseIDs []int64, cut StateCutoffs) (map[int64]int, error) {
	var rows []struct {
		TeamID int64 `bun:"team_id"`
		People int   `bun:"people"`
	}
	err := s.r.NewRaw(`SELECT m.team_id, COUNT(DISTINCT m.user_id) AS people
FROM `+members+`
JOIN enrolments AS e ON e.user_id = m.user_id
WHERE m.role = 'member' AND u.active = ? AND ? AND e.course_id IN (?) AND COALESCE(e.next_due_at, e.due_at) < ?
GROUP BY m.team_id`, true, sc.cond(), bun.In(courseIDs), Now(cut.Today)).Scan(ctx, &rows)
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.TeamID] = r.People
	}
	return out, wrap(err, "count overdue people per team")
}

// OverdueSnapshot is the number of people overdue in one team on the first
// day of a month ("2026-03").
type OverdueSnapshot struct {
	bun.BaseModel `bun:"table:overdue_snapshots,alias:os"`

	ID     int64  `bun:"id,pk,autoincrement"`
	Month  string `bun:"month,notnull"`
	TeamID int64  `bun:"team_id,notnull"`
	People int    `bun:"people,notnull"`
}

// HasSnapshot reports whether a month's snapshot was taken.
func (s *Store) HasSnapshot(ctx context.Context, month string) (bool, error) {
	ok, err := s.r.NewSelect().Model((*OverdueSnapshot)(nil)).Where("month = ?", month).Exists(ctx)
	return ok, wrap(err, "look for the snapshot of %s", month)
}

// SaveSnapshots stores per-team counts; a month already recorded for a team
// keeps its first value (the snapshot is of the first day).
func (s *Store) SaveSnapshots(ctx context.Context, snaps []OverdueSnapshot) error {
	return chunks(snaps, batchRows, func(part []OverdueSnapshot) error {
		_, err := s.w.NewInsert().Model(&part).On("CONFLICT (month, team_id) DO NOTHING").Exec(ctx)
		return wrap(err, "save %d overdue snapshots", len(part))
	})
}

// OverdueByMonth sums the snapshots of the teams in scope per month, for
// months >= since.
func (s *Store) OverdueByMonth(ctx context.Context, sc Scope, since string) (map[string]int, error) {
	var rows []struct {
		Month  string `bun:"month"`
		People int    `bun:"people"`
	}
	err := s.r.NewRaw(`SELECT os.month, SUM(os.people) AS people
FROM overdue_snapshots AS os JOIN teams AS t ON t.id = os.team_id
WHERE os.month >= ? AND ?
GROUP BY os.month`, since, sc.cond()).Scan(ctx, &rows)
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Month] = r.People
	}
	return out, wrap(err, "sum overdue snapshots")
}

// PersonInScope reports whether a person belongs to a team in scope.
func (s *Store) PersonInScope(ctx context.Context, sc Scope, userID int64) (bool, error) {
	var n int
	err := s.r.NewRaw(`SELECT COUNT(*) FROM team_members AS m JOIN teams AS t ON t.id = m.team_id
WHERE m.role = 'member' AND m.user_id = ? AND ?`, userID, sc.cond()).Scan(ctx, &n)
	return n > 0, wrap(err, "check the scope of user %d", userID)
}

// anyTime scans a timestamp however the driver hands it over: a time.Time,
// or — SQLite, for an expression such as COALESCE that has no declared type
// — the text bun wrote. NULL scans as the zero time.
type anyTime time.Time

func (t *anyTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*t = anyTime{}
	case time.Time:
		*t = anyTime(v)
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("store: cannot scan %T as a time", v)
	}
	return nil
}

var timeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02"}

func (t *anyTime) parse(s string) error {
	for _, l := range timeLayouts {
		if p, err := time.Parse(l, s); err == nil {
			*t = anyTime(p.UTC())
			return nil
		}
	}
	return fmt.Errorf("store: %q is not a timestamp", s)
}

// AttemptsOfPerson lists a person's quiz attempts on every course, newest
// first, at most limit (for the person's page in reports).
func (s *Store) AttemptsOfPerson(ctx context.Context, userID int64, limit int) ([]Attempt, error) {
	var as []Attempt
	err := s.r.NewSelect().Model(&as).Where("user_id = ?", userID).
		OrderExpr("submitted_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return as, wrap(err, "list the attempts of user %d", userID)
}

// Analyze refreshes the planner's statistics. Report queries need them:
// without them SQLite cannot tell a 200-person subtree from the whole
// organisation and may pick a plan that scans everything. Bulk writers (the
// demo, large imports) call it when done.
func (s *Store) Analyze(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, "ANALYZE")
	return wrap(err, "analyze the database")
}
