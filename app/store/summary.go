package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/courses"
)

// The organisation summary reads precomputed totals: counting a million
// enrolments per view took seconds. BuildSummary counts every team's own
// members in one pass over the enrolments (conditional aggregation with the
// state rules of statusExpr) and adds each team into its ancestors, so every
// team holds its whole subtree. Any scope — the organisation, a top-level
// team, the teams one manager manages — is then a sum of a few rows, because
// a person is a member of one team at most and subtrees add up exactly.

// SummaryTotal is one team's subtree on one course (the states of the
// enrolled people) or, with CourseID 0, on all of them (People: active
// members; Overdue: members overdue on at least one course).
type SummaryTotal struct {
	bun.BaseModel `bun:"table:summary_totals,alias:su"`

	ID         int64     `bun:"id,pk,autoincrement"`
	TakenAt    time.Time `bun:"taken_at,notnull"`
	TeamID     int64     `bun:"team_id,notnull"`
	CourseID   int64     `bun:"course_id,nullzero"`
	People     int       `bun:"people,notnull"`
	Overdue    int       `bun:"overdue,notnull"`
	DueSoon    int       `bun:"due_soon,notnull"`
	InProgress int       `bun:"in_progress,notnull"`
	NotStarted int       `bun:"not_started,notnull"`
	Completed  int       `bun:"completed,notnull"`
}

// Enrolled is the number of people with an enrolment on the course.
func (t *SummaryTotal) Enrolled() int {
	return t.Overdue + t.DueSoon + t.InProgress + t.NotStarted + t.Completed
}

// Totals returns the per-state counts of a course row in the form the team
// page's totals use.
func (t *SummaryTotal) Totals() []Total {
	out := make([]Total, 0, 5)
	for _, p := range []struct {
		status courses.Status
		n      int
	}{{courses.Overdue, t.Overdue}, {courses.DueSoon, t.DueSoon}, {courses.InProgress, t.InProgress}, {courses.NotStarted, t.NotStarted}, {courses.Completed, t.Completed}} {
		if p.n > 0 {
			out = append(out, Total{CourseID: t.CourseID, TeamID: t.TeamID, Status: p.status, People: p.n})
		}
	}
	return out
}

func (t *SummaryTotal) add(o *SummaryTotal) {
	t.People += o.People
	t.Overdue += o.Overdue
	t.DueSoon += o.DueSoon
	t.InProgress += o.InProgress
	t.NotStarted += o.NotStarted
	t.Completed += o.Completed
}

// teamStates counts the enrolments of each team's own members (not
// subtrees) per course and state, in one pass.
func (s *Store) teamStates(ctx context.Context, sc Scope, courseIDs []int64, cut StateCutoffs) ([]SummaryTotal, error) {
	var ts []SummaryTotal
	if len(courseIDs) == 0 {
		return nil, nil
	}
	err := s.r.NewRaw(`SELECT x.team_id, x.course_id,
  SUM(CASE WHEN x.st = 'overdue' THEN 1 ELSE 0 END) AS overdue,
  SUM(CASE WHEN x.st = 'due_soon' THEN 1 ELSE 0 END) AS due_soon,
  SUM(CASE WHEN x.st = 'in_progress' THEN 1 ELSE 0 END) AS in_progress,
  SUM(CASE WHEN x.st = 'not_started' THEN 1 ELSE 0 END) AS not_started,
  SUM(CASE WHEN x.st = 'completed' THEN 1 ELSE 0 END) AS completed
FROM (SELECT m.team_id, e.course_id, ? AS st
  FROM `+members+`
  JOIN enrolments AS e ON e.user_id = m.user_id
  WHERE m.role = 'member' AND u.active = ? AND ? AND e.course_id IN (?)) AS x
GROUP BY x.team_id, x.course_id`, s.statusExpr(cut), true, sc.cond(), bun.In(courseIDs)).Scan(ctx, &ts)
	return ts, wrap(err, "count states per team and course")
}

// peoplePerTeam counts each team's own active members.
func (s *Store) peoplePerTeam(ctx context.Context, sc Scope) (map[int64]int, error) {
	var rows []struct {
		TeamID int64 `bun:"team_id"`
		People int   `bun:"people"`
	}
	err := s.r.NewRaw(`SELECT m.team_id, COUNT(*) AS people FROM `+members+`
WHERE m.role = 'member' AND u.active = ? AND ?
GROUP BY m.team_id`, true, sc.cond()).Scan(ctx, &rows)
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.TeamID] = r.People
	}
	return out, wrap(err, "count people per team")
}

// BuildSummary computes the summary totals of every team in scope at cut:
// one all-courses row per team (even an empty one, so that a team missing
// from a snapshot is known to be newer than it) and one row per course with
// enrolments. It also returns the people overdue per team (own members
// only), the monthly overdue snapshot's numbers.
func (s *Store) BuildSummary(ctx context.Context, sc Scope, courseIDs []int64, cut StateCutoffs) ([]SummaryTotal, map[int64]int, error) {
	var teams []Team
	var err error
	if sc.All {
		teams, err = s.Teams(ctx)
	} else if len(sc.Paths) > 0 {
		teams, err = s.Teams(ctx, sc.Paths...)
	}
	if err != nil || len(teams) == 0 {
		return nil, nil, err
	}
	states, err := s.teamStates(ctx, sc, courseIDs, cut)
	if err != nil {
		return nil, nil, err
	}
	people, err := s.peoplePerTeam(ctx, sc)
	if err != nil {
		return nil, nil, err
	}
	overdue := map[int64]int{}
	if len(courseIDs) > 0 {
		if overdue, err = s.OverduePeople(ctx, sc, courseIDs, cut); err != nil {
			return nil, nil, err
		}
	}

	type key struct{ team, course int64 }
	taken := Now(cut.Now)
	sums := make(map[key]*SummaryTotal, len(teams)*(len(courseIDs)+1))
	var out []*SummaryTotal
	at := func(k key) *SummaryTotal {
		t := sums[k]
		if t == nil {
			t = &SummaryTotal{TakenAt: taken, TeamID: k.team, CourseID: k.course}
			sums[k] = t
			out = append(out, t)
		}
		return t
	}
	inScope := make(map[int64][]int64, len(teams)) // team → itself and its ancestors in scope
	for i := range teams {
		at(key{teams[i].ID, 0})
	}
	for i := range teams {
		for _, id := range teams[i].Ancestors() {
			if _, ok := sums[key{id, 0}]; ok {
				inScope[teams[i].ID] = append(inScope[teams[i].ID], id)
			}
		}
	}
	for i := range states {
		for _, id := range inScope[states[i].TeamID] {
			at(key{id, states[i].CourseID}).add(&states[i])
		}
	}
	for team, n := range people {
		for _, id := range inScope[team] {
			at(key{id, 0}).People += n
		}
	}
	for team, n := range overdue {
		for _, id := range inScope[team] {
			at(key{id, 0}).Overdue += n
		}
	}
	rows := make([]SummaryTotal, len(out))
	for i, t := range out {
		rows[i] = *t
	}
	return rows, overdue, nil
}

// ReplaceSummary swaps the stored summary totals for rows in one
// transaction: readers see the old snapshot or the new one, never a mix.
func (s *Store) ReplaceSummary(ctx context.Context, rows []SummaryTotal) error {
	return s.Tx(ctx, func(tx *Store) error {
		if tx.dialect == database.Postgres {
			// Two writers (the job and a first view) must not interleave
			// their deletes and inserts; readers are not blocked.
			if _, err := tx.w.ExecContext(ctx, "LOCK TABLE summary_totals IN EXCLUSIVE MODE"); err != nil {
				return wrap(err, "lock the summary totals")
			}
		}
		if _, err := tx.w.NewDelete().Model((*SummaryTotal)(nil)).Where("1 = 1").Exec(ctx); err != nil {
			return wrap(err, "delete the summary totals")
		}
		return chunks(rows, batchRows, func(part []SummaryTotal) error {
			_, err := tx.w.NewInsert().Model(&part).Exec(ctx)
			return wrap(err, "save %d summary totals", len(part))
		})
	})
}

// SummaryOf returns the stored totals of teams (empty when there is no
// snapshot, or the teams are newer than it).
func (s *Store) SummaryOf(ctx context.Context, teamIDs []int64) ([]SummaryTotal, error) {
	if len(teamIDs) == 0 {
		return nil, nil
	}
	var ts []SummaryTotal
	err := s.r.NewSelect().Model(&ts).Where("team_id IN (?)", bun.In(teamIDs)).Scan(ctx)
	return ts, wrap(err, "read the summary totals of %d teams", len(teamIDs))
}

// HasSummary reports whether a summary snapshot was stored.
func (s *Store) HasSummary(ctx context.Context) (bool, error) {
	ok, err := s.r.NewSelect().Model((*SummaryTotal)(nil)).Exists(ctx)
	return ok, wrap(err, "look for the summary totals")
}
