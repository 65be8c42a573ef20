package reports_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// Benchmarks against an organisation built by
//
//	frontline demo --staff 100000 --courses 10
//
// named by FRONTLINE_BENCH_DATABASE (an SQLite path or a postgres:// URL);
// skipped without it. Each runs the queries of one page as the handler
// does and reports the 95th percentile besides the mean.
func benchDB(b *testing.B) (*store.Store, []int64, store.StateCutoffs) {
	b.Helper()
	dsn := os.Getenv("FRONTLINE_BENCH_DATABASE")
	if dsn == "" {
		b.Skip("set FRONTLINE_BENCH_DATABASE to a database made by frontline demo --staff 100000")
	}
	db, err := database.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	st := store.New(db)
	rows, err := st.PublishedCourses(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	svc := &learning.Service{Store: st, Location: time.UTC}
	var ids []int64
	var cs []reports.Course
	for i := range rows {
		sched, err := svc.Schedule(&rows[i])
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, rows[i].ID)
		cs = append(cs, reports.Course{ID: rows[i].ID, Schedule: sched})
	}
	return st, ids, reports.Cutoffs(time.Now(), time.UTC, cs)
}

// site is a team of about 200 people: the first site of the demo.
func site(b *testing.B, st *store.Store) *store.Team {
	ts, err := st.Teams(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for i := range ts {
		if ts[i].Depth() == 3 {
			return &ts[i]
		}
	}
	b.Fatal("no site in the database")
	return nil
}

func timed(b *testing.B, fn func() error) {
	b.Helper()
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkTeamPage: the matrix page of a site (~200 people): a page of 50
// people, their cells, per-course totals and the head count.
func BenchmarkTeamPage(b *testing.B) {
	st, ids, cut := benchDB(b)
	ctx, t := context.Background(), site(b, st)
	sc := store.Scope{Paths: []string{t.Path}}
	timed(b, func() error {
		ps, _, err := st.MatrixPeople(ctx, store.MatrixQuery{Scope: sc, Courses: ids, Limit: 50, Cut: cut})
		if err != nil {
			return err
		}
		uids := make([]int64, len(ps))
		for i, p := range ps {
			uids[i] = p.ID
		}
		if _, err := st.Cells(ctx, uids, ids, cut); err != nil {
			return err
		}
		if _, err := st.CourseTotals(ctx, sc, ids, cut); err != nil {
			return err
		}
		_, err = st.CountPeople(ctx, sc)
		return err
	})
}

// BenchmarkSummary: the organisation summary for an admin (everyone).
func BenchmarkSummary(b *testing.B) {
	st, ids, cut := benchDB(b)
	ctx, sc := context.Background(), store.Scope{All: true}
	timed(b, func() error {
		if _, err := st.CourseTotals(ctx, sc, ids, cut); err != nil {
			return err
		}
		if _, err := st.TeamTotals(ctx, sc, ids, cut); err != nil {
			return err
		}
		if _, err := st.OverduePeople(ctx, sc, ids, cut); err != nil {
			return err
		}
		if _, err := st.OverdueByMonth(ctx, sc, "2000-01"); err != nil {
			return err
		}
		_, err := st.CountPeople(ctx, sc)
		return err
	})
}

// BenchmarkSummarySnapshot: the organisation summary for an admin read from
// the stored totals, as the handler does: the roots, their children, the
// totals of both and the 12-month line.
func BenchmarkSummarySnapshot(b *testing.B) {
	st, ids, cut := benchDB(b)
	ctx := context.Background()
	if ok, err := st.HasSummary(ctx); err != nil {
		b.Fatal(err)
	} else if !ok {
		if _, err := reports.RefreshSummary(ctx, st, ids, cut, cut.Now.Format("2006-01")); err != nil {
			b.Fatal(err)
		}
	}
	timed(b, func() error {
		roots, err := st.ChildTeams(ctx, 0)
		if err != nil {
			return err
		}
		teams := slices.Clone(roots)
		if len(roots) == 1 {
			kids, err := st.ChildTeams(ctx, roots[0].ID)
			if err != nil {
				return err
			}
			teams = append(teams, kids...)
		}
		tids := make([]int64, len(teams))
		for i, t := range teams {
			tids[i] = t.ID
		}
		rows, err := st.SummaryOf(ctx, tids)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return fmt.Errorf("no summary totals")
		}
		_, err = st.OverdueByMonth(ctx, store.Scope{All: true}, "2000-01")
		return err
	})
}

// BenchmarkSummaryRefresh: the scheduler's refresh of the summary totals:
// one pass over the enrolments, the roll-up, and the replacement.
func BenchmarkSummaryRefresh(b *testing.B) {
	st, ids, cut := benchDB(b)
	ctx := context.Background()
	month := cut.Now.Format("2006-01")
	timed(b, func() error {
		_, err := reports.RefreshSummary(ctx, st, ids, cut, month)
		return err
	})
}

// BenchmarkOverdueList: the overdue and due-in-30-days lists of a site.
func BenchmarkOverdueList(b *testing.B) {
	st, ids, cut := benchDB(b)
	ctx, t := context.Background(), site(b, st)
	sc := store.Scope{Paths: []string{t.Path}}
	timed(b, func() error {
		if _, _, err := st.DueBetween(ctx, sc, ids, time.Time{}, cut.Today, 500, cut); err != nil {
			return err
		}
		_, _, err := st.DueBetween(ctx, sc, ids, cut.Today, cut.Today.AddDate(0, 0, 31), 500, cut)
		return err
	})
}

// BenchmarkExportAll streams the whole organisation's matrix (people ×
// courses, about a million rows) as CSV, and reports rows per second and
// the process's peak resident memory.
func BenchmarkExportAll(b *testing.B) {
	st, ids, cut := benchDB(b)
	ctx := context.Background()
	q := store.MatrixQuery{Scope: store.Scope{All: true}, Courses: ids, Cut: cut}
	var rows int
	start := time.Now()
	for b.Loop() {
		w, _ := reports.NewCSV(io.Discard)
		if err := st.ExportMatrix(ctx, q, func(r *store.ExportRow) error {
			rows++
			return w.Row(r.Name, r.Email, r.Team, r.Course, string(r.Status), r.LastCompleted.Format("2006-01-02"), r.DueAt.Format("2006-01-02"))
		}); err != nil {
			b.Fatal(err)
		}
		w.Flush()
	}
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

// peakRSSMB reads the process's high-water mark of resident memory (Linux).
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}
