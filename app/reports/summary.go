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
	snaps := make([]store.OverdueSnapshot, 0, len(overdue))
	for id, n := range overdue {
		snaps = append(snaps, store.OverdueSnapshot{Month: month, TeamID: id, People: n})
	}
	if len(snaps) == 0 {
		return rows, nil
	}
	return rows, st.SaveSnapshots(ctx, snaps)
}
