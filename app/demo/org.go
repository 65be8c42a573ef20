package demo

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// noMaterial is the material publishes of every demo course: the demo
// imports each course once, so there are none.
var noMaterial []time.Time

// The organisation tree: Demo Organisation → regions → sites → teams. A
// team is teamSize people and a site siteTeams teams (about 200 people, the
// size of one manager's report); regions split the sites.
const (
	rootName    = "Demo Organisation"
	teamSize    = 20
	siteTeams   = 10
	regionSites = 100
)

var regionNames = []string{"North", "South", "East", "West", "Central", "Coast", "Highlands", "Islands", "Metro", "Valley"}
var siteNames = []string{"Leeds", "Porto", "Lagos", "Kraków", "Osaka", "Cork", "Bremen", "Hanoi", "Malmö", "Nairobi", "İzmir", "Valencia", "Penang", "Chennai", "Rabat"}

// variants returns content with extra generated courses up to n in all:
// copies of the shipped courses under new slugs and titles, each refreshed
// on its own schedule, so a large demo can have more than the shipped seven.
func variants(content fs.FS, n int) (fs.FS, error) {
	loaded, err := courses.LoadTree(content)
	if err != nil {
		return nil, err
	}
	var slugs []string
	for _, l := range loaded {
		if l.Course != nil {
			slugs = append(slugs, l.Slug)
		}
	}
	if n <= len(slugs) || len(slugs) == 0 {
		return content, nil
	}
	out := fstest.MapFS{}
	err = fs.WalkDir(content, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := fs.ReadFile(content, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		return nil, err
	}
	schedules := []string{"refresher: 12 months\nwindow: 30 days", "refresher: 6 months\nwindow: 21 days", "refresher: 90 days\nwindow: 14 days"}
	for i := len(slugs); i < n; i++ {
		src := slugs[i%len(slugs)]
		slug := fmt.Sprintf("%s-refresher-%d", src, i/len(slugs)+1)
		for path, f := range out {
			if rest, ok := strings.CutPrefix(path, src+"/"); ok && !strings.Contains(rest, "/") {
				data := string(f.Data)
				if rest == "course.md" {
					data = retitle(data, fmt.Sprintf(" (edition %d)", i/len(slugs)+1), schedules[i%len(schedules)])
				}
				out[slug+"/"+rest] = &fstest.MapFile{Data: []byte(data)}
			}
		}
	}
	return out, nil
}

// retitle appends suffix to the title in a course.md and replaces its
// refresher and window lines.
func retitle(src, suffix, schedule string) string {
	lines := strings.Split(src, "\n")
	var out []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "title:"):
			out = append(out, l+suffix)
		case strings.HasPrefix(l, "refresher:"):
			out = append(out, strings.Split(schedule, "\n")[0])
		case strings.HasPrefix(l, "window:"):
			out = append(out, strings.Split(schedule, "\n")[1])
		default:
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// teamOf is the team index of roster person i (staff belong to none).
func teamOf(i int) int { return (i - staff) / teamSize }

// buildOrg creates the team tree, puts every learner in their team, makes
// the demo manager the manager of the first site and assigns every course
// to the whole organisation 20 days ago, due 30 days after. It does nothing
// when the tree exists (a second run).
func buildOrg(ctx context.Context, o Options, people []Person, ids map[string]int64, cs []course, snaps map[int]map[string]int, now time.Time) error {
	roots, err := o.Store.ChildTeams(ctx, 0)
	if err != nil {
		return err
	}
	for _, r := range roots {
		if r.Name == rootName {
			return assignAll(ctx, o, r.ID, cs, now) // the tree exists: finish what a cut-short run left
		}
	}
	learners := len(people) - staff
	if learners <= 0 {
		return nil
	}
	teams := (learners + teamSize - 1) / teamSize
	sites := (teams + siteTeams - 1) / siteTeams
	regions := (sites + regionSites - 1) / regionSites
	report := func(done int) {
		if o.Progress != nil {
			o.Progress(Progress{Stage: "teams", People: done, Total: teams})
		}
	}
	teamIDs := make([]int64, teams)
	var firstSite int64
	err = o.Store.Tx(ctx, func(tx *store.Store) error {
		root, err := tx.CreateTeam(ctx, 0, rootName, now)
		if err != nil {
			return err
		}
		var region, site *store.Team
		for ti := range teams {
			si := ti / siteTeams
			if ti%(siteTeams*regionSites) == 0 {
				name := regionNames[(si/regionSites)%len(regionNames)]
				if regions > len(regionNames) {
					name = fmt.Sprintf("%s %d", name, si/regionSites/len(regionNames)+1)
				}
				if region, err = tx.CreateTeam(ctx, root.ID, name, now); err != nil {
					return err
				}
			}
			if ti%siteTeams == 0 {
				name := fmt.Sprintf("%s %d", siteNames[si%len(siteNames)], si/len(siteNames)+1)
				if site, err = tx.CreateTeam(ctx, region.ID, name, now); err != nil {
					return err
				}
				if firstSite == 0 {
					firstSite = site.ID
				}
			}
			t, err := tx.CreateTeam(ctx, site.ID, fmt.Sprintf("Team %02d", ti%siteTeams+1), now)
			if err != nil {
				return err
			}
			teamIDs[ti] = t.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	members := make([][]int64, teams)
	for i := staff; i < len(people); i++ {
		members[teamOf(i)] = append(members[teamOf(i)], ids[people[i].Email])
	}
	for from := 0; from < teams; from += 100 {
		err := o.Store.Tx(ctx, func(tx *store.Store) error {
			for ti := from; ti < min(from+100, teams); ti++ {
				if err := tx.SetTeams(ctx, teamIDs[ti], members[ti], now, o.Location); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		report(min(from+100, teams))
	}
	for _, p := range people {
		if p.Role == "manager" {
			if err := o.Store.SetManager(ctx, firstSite, ids[p.Email], true, now); err != nil {
				return err
			}
			break
		}
	}
	root, err := o.Store.ChildTeams(ctx, 0)
	if err != nil {
		return err
	}
	idx := slices.IndexFunc(root, func(t store.Team) bool { return t.Name == rootName })
	if err := assignAll(ctx, o, root[idx].ID, cs, now); err != nil {
		return err
	}
	var rows []store.OverdueSnapshot
	for ti, months := range snaps {
		if ti < teams {
			for m, n := range months {
				rows = append(rows, store.OverdueSnapshot{Month: m, TeamID: teamIDs[ti], People: n})
			}
		}
	}
	return o.Store.SaveSnapshots(ctx, rows)
}

// snapshotMonths are the first days of the 11 months before now's month:
// the past points of the summary's overdue line (the current one is live).
func snapshotMonths(now time.Time, loc *time.Location) []time.Time {
	n := now.In(loc)
	var out []time.Time
	for k := 11; k >= 1; k-- {
		out = append(out, time.Date(n.Year(), n.Month()-time.Month(k), 1, 0, 0, 0, 0, loc))
	}
	return out
}

// countOverdue adds, for each person of a batch, the months they were
// overdue on at least one course at the start of, derived with
// courses.Derive from the history just generated, to their team's counts.
func countOverdue(out *rows, cs []course, index map[int64]int, months []time.Time, snaps map[int]map[string]int) {
	type key struct{ user, course int64 }
	byPair := map[key][]store.Completion{}
	for _, c := range out.completions {
		k := key{c.UserID, c.CourseID}
		byPair[k] = append(byPair[k], c)
	}
	for user, i := range index {
		ti := teamOf(i)
		for _, m := range months {
			for ci := range cs {
				done := byPair[key{user, cs[ci].row.ID}]
				if len(done) == 0 {
					continue
				}
				h := learning.History(nil, done, noMaterial)
				if courses.Derive(h, cs[ci].sched, m).Status == courses.Overdue {
					if snaps[ti] == nil {
						snaps[ti] = map[string]int{}
					}
					snaps[ti][m.Format("2006-01")]++
					break
				}
			}
		}
	}
}

// assignAll assigns every course not yet assigned to the organisation's
// root, as made 20 days ago and due 30 days after.
func assignAll(ctx context.Context, o Options, rootID int64, cs []course, now time.Time) error {
	root, err := o.Store.Team(ctx, rootID)
	if err != nil {
		return err
	}
	have, err := o.Store.AssignmentsCovering(ctx, root)
	if err != nil {
		return err
	}
	for i, c := range cs {
		if slices.ContainsFunc(have, func(a store.Assignment) bool { return a.CourseID == c.row.ID }) {
			continue
		}
		if o.Progress != nil {
			o.Progress(Progress{Stage: "assignments", People: i, Total: len(cs)})
		}
		a := &store.Assignment{CourseID: c.row.ID, TeamID: rootID, DueDays: 30, CreatedAt: now.AddDate(0, 0, -20)}
		if _, err := (&reports.Service{Store: o.Store, Location: o.Location}).Assign(ctx, a, ""); err != nil {
			return err
		}
	}
	return nil
}
