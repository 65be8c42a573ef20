package reports

import (
	"context"

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
