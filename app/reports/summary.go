package reports

import (
	"context"
	"time"

	"github.com/frontline-lms/frontline/app/store"
)

// RefreshSummary computes the organisation summary's totals over courseIDs
// at cut, stores them in place of the previous snapshot and, the first time
// in month ("2026-03"), records the people overdue per team: the point of
// the 12-month line. It returns the totals it stored. The scheduler calls
// it every few minutes; the summary page only when no snapshot exists yet.
func RefreshSummary(ctx context.Context, st *store.Store, courseIDs []int64, cut store.StateCutoffs, month string) ([]store.SummaryTotal, error) {
	rows, overdue, err := st.BuildSummary(ctx, store.Scope{All: true}, courseIDs, cut)
	if err != nil {
		return nil, err
	}
	if err := st.ReplaceSummary(ctx, rows); err != nil {
		return nil, err
	}
	ok, err := st.HasSnapshot(ctx, month)
	if err != nil || ok {
		return rows, err
	}
	// Every team gets its month, nobody overdue included: a month with no
	// row is one nobody recorded (the summary shows a gap), and a month
	// where no one was late must read 0, not "not recorded".
	var snaps []store.OverdueSnapshot
	for _, r := range rows {
		if r.CourseID == 0 {
			snaps = append(snaps, store.OverdueSnapshot{Month: month, TeamID: r.TeamID, People: overdue[r.TeamID]})
		}
	}
	return rows, st.SaveSnapshots(ctx, snaps)
}

// TeamRate is one top-level team's line of the summary.
type TeamRate struct {
	Team     store.Team
	Enrolled int
	Done     int
	Overdue  int
	Rate     int
}

// MonthCount is how many people were overdue at the start of a month.
type MonthCount struct {
	Month  time.Time // the first day of the month, in the organisation's zone
	People int
	Known  bool // false: no snapshot was taken that month
}

// Summary is the organisation summary of one scope.
type Summary struct {
	Courses    []CourseTotal
	Teams      []TeamRate
	People     int
	OverdueNow int
	Months     []MonthCount // the last 12, this month last (from the latest totals)
	NoTeams    bool
	AsOf       time.Time     // when the totals were taken
	Next       time.Time     // when they are taken again, at the latest
	Every      time.Duration // how often they are taken
}

// SummaryEvery is how often the scheduler takes the summary's totals again.
// The page says so: an assignment made since shows at the next taking.
const SummaryEvery = 10 * time.Minute

// Summary reads the completion rate per course and per top-level team and
// the people overdue now and over the last 12 months. The numbers come from
// the totals the scheduler stores every few minutes (store.SummaryTotal:
// every team's subtree), so it reads a few rows whatever the size of the
// organisation, and says when they were taken.
func (s *Service) Summary(ctx context.Context, sc Scope, now time.Time) (*Summary, error) {
	p := &Summary{NoTeams: len(sc.Roots) == 0}
	if p.NoTeams {
		return p, nil
	}
	rc, err := s.Courses(ctx, now)
	if err != nil {
		return nil, err
	}
	// Top-level teams: the roots of the scope, or the children of the one
	// root when there is just one (the organisation itself).
	tops := sc.Roots
	if len(tops) == 1 {
		kids, err := s.Store.ChildTeams(ctx, tops[0].ID)
		if err != nil {
			return nil, err
		}
		if len(kids) > 0 {
			tops = kids
		}
	}
	rows, err := s.summaryTotals(ctx, sc, tops, rc, now)
	if err != nil {
		return nil, err
	}
	byTeam := map[int64][]store.SummaryTotal{}
	for _, r := range rows {
		byTeam[r.TeamID] = append(byTeam[r.TeamID], r)
		if r.CourseID == 0 && (p.AsOf.IsZero() || r.TakenAt.Before(p.AsOf)) {
			p.AsOf = r.TakenAt
		}
	}
	p.AsOf = p.AsOf.In(s.Location)
	p.Next, p.Every = p.AsOf.Add(SummaryEvery), SummaryEvery
	published := map[int64]bool{}
	for _, id := range rc.IDs {
		published[id] = true
	}
	var totals []store.Total
	for _, root := range sc.Roots {
		for _, r := range byTeam[root.ID] {
			if r.CourseID == 0 {
				p.People += r.People
				p.OverdueNow += r.Overdue
				continue
			}
			totals = append(totals, r.Totals()...)
		}
	}
	p.Courses = RollUp(rc.Rows, totals)
	p.Teams = make([]TeamRate, len(tops))
	for i, t := range tops {
		tr := &p.Teams[i]
		tr.Team = t
		for _, r := range byTeam[t.ID] {
			switch {
			case r.CourseID == 0:
				tr.Overdue = r.Overdue
			case published[r.CourseID]:
				tr.Enrolled += r.Enrolled()
				tr.Done += r.Completed + r.DueSoon
			}
		}
		if tr.Enrolled > 0 {
			tr.Rate = tr.Done * 100 / tr.Enrolled
		}
	}

	local := now.In(s.Location)
	first := time.Date(local.Year(), local.Month()-11, 1, 0, 0, 0, 0, s.Location)
	byMonth, err := s.Store.OverdueByMonth(ctx, sc.Scope, first.Format("2006-01"))
	if err != nil {
		return nil, err
	}
	for i := range 12 {
		m := first.AddDate(0, i, 0)
		n, ok := byMonth[m.Format("2006-01")]
		if i == 11 {
			n, ok = p.OverdueNow, true // this month: the latest totals
		}
		p.Months = append(p.Months, MonthCount{Month: m, People: n, Known: ok})
	}
	return p, nil
}

// summaryTotals returns the stored totals of the scope's roots and of tops.
// With no snapshot yet (a new installation) it computes and stores one, as
// the scheduler would. A team newer than the snapshot has no row: as a
// manager's root it is computed live, unsaved (a manager's subtree is small,
// and access must follow the teams they manage now); as a top-level line of
// a snapshot taken before it existed it shows zeros until the next refresh,
// like every other number on the page.
func (s *Service) summaryTotals(ctx context.Context, sc Scope, tops []store.Team, rc Courses, now time.Time) ([]store.SummaryTotal, error) {
	ids := make([]int64, 0, len(sc.Roots)+len(tops))
	for _, t := range sc.Roots {
		ids = append(ids, t.ID)
	}
	for _, t := range tops {
		ids = append(ids, t.ID)
	}
	rows, err := s.Store.SummaryOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		ok, err := s.Store.HasSummary(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			return RefreshSummary(ctx, s.Store, rc.IDs, rc.Cut, now.In(s.Location).Format("2006-01"))
		}
	}
	if sc.All {
		return rows, nil
	}
	have := map[int64]bool{}
	for _, r := range rows {
		have[r.TeamID] = true
	}
	for _, t := range sc.Roots {
		if !have[t.ID] {
			rows, _, err = s.Store.BuildSummary(ctx, sc.Scope, rc.IDs, rc.Cut)
			return rows, err
		}
	}
	return rows, nil
}
