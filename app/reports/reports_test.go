package reports_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// history is one random person × course: what happened, and the enrolment
// row learning would have written after each completion.
type history struct {
	h   courses.History
	row store.Enrolment
}

// simulate draws a history and writes the row as learning.completeIfDone
// does: Derive at each completion, LastCompleted and NextDue stored.
func simulate(rng *rand.Rand, sched courses.Schedule, base time.Time) history {
	var out history
	t := base
	if rng.IntN(3) == 0 {
		out.h.Assigned = t
		out.h.DueAt = t.AddDate(0, 0, 1+rng.IntN(60))
		out.row.AssignedAt, out.row.DueAt = out.h.Assigned, out.h.DueAt
	}
	for range rng.IntN(5) {
		t = t.Add(time.Duration(rng.IntN(500*24)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
		out.h.Completions = append(out.h.Completions, t)
		out.h.LastActivity = t
		st := courses.Derive(out.h, sched, t)
		out.row.LastCompletedAt, out.row.NextDueAt, out.row.Cycle = st.LastCompleted, st.NextDue, st.Cycle
	}
	if rng.IntN(2) == 0 {
		t = t.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
		out.h.LastActivity = t
	}
	out.row.LastActivityAt = out.h.LastActivity
	return out
}

var schedules = []string{"12 months/30 days", "1 year/2 months", "90 days/14 days", "6 months/1 month", "2 years/3 months", "1 month/1 week"}

func schedule(t *testing.T, s string, loc *time.Location) courses.Schedule {
	t.Helper()
	r, w, _ := strings.Cut(s, "/")
	ri, err := courses.ParseInterval(r)
	if err != nil {
		t.Fatal(err)
	}
	wi, err := courses.ParseInterval(w)
	if err != nil {
		t.Fatal(err)
	}
	return courses.Schedule{Refresher: ri, Window: wi, Location: loc}
}

// TestStatusFromTheEnrolmentRowEqualsDerive checks the rule the report SQL
// follows against courses.Derive over the whole history, for many random
// histories, schedules, zones (with daylight saving) and moments.
func TestStatusFromTheEnrolmentRowEqualsDerive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2023, 1, 31, 22, 30, 0, 0, time.UTC)
	for _, zone := range []string{"UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range schedules {
			sched := schedule(t, s, loc)
			for i := range 4000 {
				hi := simulate(rng, sched, base.Add(time.Duration(rng.IntN(400*24))*time.Hour))
				last := hi.h.LastActivity
				if last.IsZero() {
					last = base
				}
				now := last.Add(time.Duration(rng.IntN(900*24*60)) * time.Minute)
				want := courses.Derive(hi.h, sched, now).Status
				cut := reports.Cutoffs(now, loc, []reports.Course{{ID: 7, Schedule: sched}})
				if got := reports.Status(&hi.row, 7, cut); got != want {
					t.Fatalf("%s %s case %d at %s: row says %s, Derive says %s\nhistory %+v\nrow %+v", zone, s, i, now, got, want, hi.h, hi.row)
				}
			}
		}
	}
}

// TestReportSQLStateEqualsDerive stores random enrolment rows and checks the
// state each database computes in SQL against courses.Derive.
func TestReportSQLStateEqualsDerive(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		loc, _ := time.LoadLocation("Europe/London")
		rng := rand.New(rand.NewPCG(3, 4))
		base := time.Date(2024, 2, 29, 23, 15, 0, 0, time.UTC)
		var cs []reports.Course
		scheds := map[int64]courses.Schedule{}
		for i, s := range schedules {
			v, err := st.Publish(ctx, store.Publication{Slug: "c" + string(rune('a'+i)), Title: s, Refresher: "1 year", Window: "1 month",
				PassMark: 80, Source: "[]", Hash: s, Origin: store.OriginFile, At: base})
			if err != nil {
				t.Fatal(err)
			}
			scheds[v.CourseID] = schedule(t, s, loc)
			cs = append(cs, reports.Course{ID: v.CourseID, Schedule: scheds[v.CourseID]})
		}
		now := base.AddDate(2, 3, 7)
		type want struct {
			user, course int64
			status       courses.Status
		}
		var users []store.User
		for i := range 300 {
			users = append(users, store.User{Email: "p" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com", Name: "P", Role: "learner", Active: true, CreatedAt: base})
		}
		if err := st.InsertUsers(ctx, users); err != nil {
			t.Fatal(err)
		}
		var rows []store.Enrolment
		var wants []want
		seen := map[courses.Status]int{}
		for _, u := range users {
			c := cs[rng.IntN(len(cs))]
			hi := simulate(rng, c.Schedule, now.Add(-time.Duration(rng.IntN(800*24))*time.Hour))
			if hi.h.LastActivity.After(now) {
				continue
			}
			hi.row.UserID, hi.row.CourseID, hi.row.CreatedAt = u.ID, c.ID, base
			rows = append(rows, hi.row)
			w := courses.Derive(hi.h, c.Schedule, now).Status
			wants = append(wants, want{u.ID, c.ID, w})
			seen[w]++
		}
		if err := st.InsertEnrolments(ctx, rows); err != nil {
			t.Fatal(err)
		}
		for _, s := range reports.Statuses {
			if s != courses.NotStarted && seen[s] == 0 {
				t.Fatalf("the random rows never reach %s: %v", s, seen)
			}
		}
		cut := reports.Cutoffs(now, loc, cs)
		ids := make([]int64, 0, len(users))
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		courseIDs := make([]int64, 0, len(cs))
		for _, c := range cs {
			courseIDs = append(courseIDs, c.ID)
		}
		cells, err := st.Cells(ctx, ids, courseIDs, cut)
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]int64]courses.Status{}
		for _, c := range cells {
			got[[2]int64{c.UserID, c.CourseID}] = c.Status
		}
		for _, w := range wants {
			if g := got[[2]int64{w.user, w.course}]; g != w.status {
				t.Errorf("user %d course %d: SQL says %q, Derive says %q", w.user, w.course, g, w.status)
			}
		}
	})
}

func TestSafeCellDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1:A9)": "'=SUM(A1:A9)", "+1": "'+1", "-2": "'-2", "@cmd": "'@cmd", "\tx": "'\tx",
		"Zoë, \"Z\" Ng": "Zoë, \"Z\" Ng", "王芳": "王芳", "": "", "a=b": "a=b",
	} {
		if got := reports.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
