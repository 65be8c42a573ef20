package jobs

import (
	"context"
	"time"

	"github.com/frontline-lms/frontline/app/reports"
)

// Summary refreshes the organisation summary's totals (and takes the
// month's overdue snapshot when it is the first run of the month) at now.
func (s *Scheduler) Summary(ctx context.Context, now time.Time) error {
	rows, err := s.Store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(rows))
	cs := make([]reports.Course, 0, len(rows))
	for i := range rows {
		sched, err := s.Learning.Schedule(&rows[i])
		if err != nil {
			return err
		}
		ids = append(ids, rows[i].ID)
		cs = append(cs, reports.Course{ID: rows[i].ID, Schedule: sched})
	}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	start := time.Now()
	totals, err := reports.RefreshSummary(ctx, s.Store, ids, reports.Cutoffs(now, loc, cs), now.In(loc).Format("2006-01"))
	if err != nil {
		return err
	}
	s.Log.Info("summary refreshed", "rows", len(totals), "took", time.Since(start))
	return nil
}
