package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Assignment gives a course to a team (and everyone below it) or to one
// person, due on a date or N days after assignment. It expands into
// enrolments when made and whenever someone joins an assigned team later.
// Removing it (RemovedAt) stops that and leaves every enrolment and all
// history as it was.
type Assignment struct {
	bun.BaseModel `bun:"table:assignments,alias:a"`

	ID        int64     `bun:"id,pk,autoincrement"`
	CourseID  int64     `bun:"course_id,notnull"`
	TeamID    int64     `bun:"team_id,nullzero"`
	UserID    int64     `bun:"user_id,nullzero"`
	DueAt     time.Time `bun:"due_at,nullzero"`
	DueDays   int       `bun:"due_days,nullzero"`
	CreatedBy int64     `bun:"created_by,nullzero"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	RemovedAt time.Time `bun:"removed_at,nullzero"`
	RemovedBy int64     `bun:"removed_by,nullzero"`
	// IdempotencyKey is the key of the form the assignment was made from;
	// "" (NULL) when made without one.
	IdempotencyKey string `bun:"idempotency_key,nullzero"`
	People         int    `bun:"people,nullzero"` // people enrolled when it was made

	// Read with the list, not stored here.
	CourseTitle string `bun:"course_title,scanonly"`
	TeamName    string `bun:"team_name,scanonly"`
	UserName    string `bun:"user_name,scanonly"`
}

// LateJoinerGrace is how long someone who joins a team after a fixed due
// date has passed gets: they could not have met the date.
const LateJoinerGrace = 30

// DueFor is the first due date the assignment gives someone enrolled at at:
// at + DueDays, or the fixed date — unless that has passed, when they get
// LateJoinerGrace days. Days are counted on the organisation's calendar.
func (a *Assignment) DueFor(at time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if a.DueDays > 0 {
		return Now(at.In(loc).AddDate(0, 0, a.DueDays))
	}
	if a.DueAt.Before(at) {
		return Now(at.In(loc).AddDate(0, 0, LateJoinerGrace))
	}
	return a.DueAt
}

// enrolSQL inserts (or, for people already on the course, marks assigned)
// the enrolments of everyone a SELECT names, in one statement. An existing
// first due date is kept: the first assignment of a course decides it, and
// after the first completion only the refresher schedule counts (Derive).
const enrolSQL = `INSERT INTO enrolments (user_id, course_id, assigned_at, due_at, cycle, created_at)
SELECT m.user_id, ?, ?, ?, 0, ?
FROM team_members AS m
JOIN teams AS t ON t.id = m.team_id
JOIN users AS u ON u.id = m.user_id
WHERE m.role = 'member' AND u.active = ? AND %s
ON CONFLICT (user_id, course_id) DO UPDATE SET
  assigned_at = COALESCE(enrolments.assigned_at, excluded.assigned_at),
  due_at = COALESCE(enrolments.due_at, excluded.due_at)`

// assignSlice is how many user IDs one enrolling statement ranges over.
const assignSlice = 10_000

// InsertAssignment stores a new assignment unless its creator already made
// one with the same idempotency key (the same form sent again), which the
// unique index on (created_by, idempotency_key) decides in the database, so
// it holds across app instances. It reports whether it inserted; either way
// a is then the assignment that stands. A concurrent twin waits for the first
// transaction and then finds its row.
func (s *Store) InsertAssignment(ctx context.Context, a *Assignment) (bool, error) {
	a.CreatedAt = Now(a.CreatedAt)
	a.DueAt = nowOrZero(a.DueAt)
	res, err := s.w.NewInsert().Model(a).On("CONFLICT (created_by, idempotency_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrap(err, "assign course %d", a.CourseID)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	err = s.w.NewSelect().Model(a).Where("created_by = ?", a.CreatedBy).Where("idempotency_key = ?", a.IdempotencyKey).Scan(ctx)
	return false, wrap(err, "load the assignment made with the same key")
}

// Enrol enrols everyone assignment a covers, with a set-based statement per
// slice of user IDs whatever the team's size, records how many people that
// was on the assignment and returns it. Call it inside Tx, after
// InsertAssignment, so that the assignment and its enrolments commit
// together.
func (s *Store) Enrol(ctx context.Context, a *Assignment, loc *time.Location) (int, error) {
	due := a.DueFor(a.CreatedAt, loc)
	n := 0
	if a.UserID != 0 {
		res, err := s.w.NewRaw(`INSERT INTO enrolments (user_id, course_id, assigned_at, due_at, cycle, created_at)
VALUES (?, ?, ?, ?, 0, ?)
ON CONFLICT (user_id, course_id) DO UPDATE SET
  assigned_at = COALESCE(enrolments.assigned_at, excluded.assigned_at),
  due_at = COALESCE(enrolments.due_at, excluded.due_at)`,
			a.UserID, a.CourseID, a.CreatedAt, due, a.CreatedAt).Exec(ctx)
		if err != nil {
			return 0, wrap(err, "enrol user %d on course %d", a.UserID, a.CourseID)
		}
		k, _ := res.RowsAffected()
		n = int(k)
	} else {
		t, err := s.Team(ctx, a.TeamID)
		if err != nil {
			return 0, err
		}
		// One statement per slice of user IDs: a statement stays short
		// (PostgreSQL connections time out reads after 5 s) whatever the
		// size of the team, and the caller's transaction covers them all.
		var bounds struct {
			Lo int64 `bun:"lo"`
			Hi int64 `bun:"hi"`
		}
		if err := s.w.NewRaw("SELECT COALESCE(MIN(id), 0) AS lo, COALESCE(MAX(id), 0) AS hi FROM users").Scan(ctx, &bounds); err != nil {
			return 0, wrap(err, "read the range of user IDs")
		}
		lo, hi := PathRange(t.Path)
		for from := bounds.Lo; from <= bounds.Hi; from += assignSlice {
			res, err := s.w.NewRaw(fmt.Sprintf(enrolSQL, "t.path >= ? AND t.path < ? AND m.user_id >= ? AND m.user_id < ?"),
				a.CourseID, a.CreatedAt, due, a.CreatedAt, true, lo, hi, from, from+assignSlice).Exec(ctx)
			if err != nil {
				return 0, wrap(err, "enrol team %d on course %d", a.TeamID, a.CourseID)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
	}
	a.People = n
	_, err := s.w.NewUpdate().Model(a).Column("people").WherePK().Exec(ctx)
	return n, wrap(err, "record the people assignment %d covers", a.ID)
}

// enrolJoiners enrols people who just joined teamID on every course still
// assigned to that team or one of its ancestors: one statement per
// assignment, covering all of them at once.
func (s *Store) enrolJoiners(ctx context.Context, teamID int64, userIDs []int64, now time.Time, loc *time.Location) error {
	t, err := s.Team(ctx, teamID)
	if err != nil {
		return err
	}
	var as []Assignment
	if err := s.w.NewSelect().Model(&as).Where("removed_at IS NULL").
		Where("team_id IN (?)", bun.In(ancestors(t.Path))).Order("id").Scan(ctx); err != nil {
		return wrap(err, "list the assignments of team %d", teamID)
	}
	now = Now(now)
	for i := range as {
		a := &as[i]
		err := chunks(userIDs, batchRows, func(part []int64) error {
			_, err := s.w.NewRaw(fmt.Sprintf(enrolSQL, "m.team_id = ? AND m.user_id IN (?)"),
				a.CourseID, now, a.DueFor(now, loc), now, true, teamID, bun.In(part)).Exec(ctx)
			return err
		})
		if err != nil {
			return wrap(err, "enrol %d joiners of team %d on course %d", len(userIDs), teamID, a.CourseID)
		}
	}
	return nil
}

// ancestors returns the IDs in a path, root first, the team itself last.
func ancestors(path string) []int64 {
	var ids []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// RemoveAssignment ends an assignment. Enrolments it made stay, with their
// due dates and history; nobody new is enrolled by it.
func (s *Store) RemoveAssignment(ctx context.Context, id, by int64, now time.Time) error {
	res, err := s.w.NewUpdate().Model((*Assignment)(nil)).Set("removed_at = ?", Now(now)).Set("removed_by = ?", by).
		Where("id = ?", id).Where("removed_at IS NULL").Exec(ctx)
	if err != nil {
		return wrap(err, "remove assignment %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrNotFound, "remove assignment %d", id)
	}
	return nil
}

// Assignment returns one assignment.
func (s *Store) Assignment(ctx context.Context, id int64) (*Assignment, error) {
	a := new(Assignment)
	err := s.r.NewSelect().Model(a).Where("id = ?", id).Scan(ctx)
	return a, wrap(err, "load assignment %d", id)
}

// AssignmentsCovering lists the assignments in force for a team: those made
// to it or to any team above it, newest first.
func (s *Store) AssignmentsCovering(ctx context.Context, team *Team) ([]Assignment, error) {
	var as []Assignment
	err := s.r.NewSelect().Model(&as).
		ColumnExpr("a.*, c.title AS course_title, t.name AS team_name").
		Join("JOIN courses AS c ON c.id = a.course_id").
		Join("JOIN teams AS t ON t.id = a.team_id").
		Where("a.removed_at IS NULL").Where("a.team_id IN (?)", bun.In(ancestors(team.Path))).
		OrderExpr("a.created_at DESC, a.id DESC").Scan(ctx)
	return as, wrap(err, "list the assignments covering team %d", team.ID)
}
