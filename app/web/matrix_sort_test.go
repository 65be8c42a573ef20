package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

var (
	rowNameRE = regexp.MustCompile(`<th scope="row"><a href="/manage/people/\d+">([^<]+)</a>`)
	nextRE    = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// TestMatrixSortsByAnyCourseColumn: the matrix sorted by a course puts the
// most urgent first (overdue, due soon, in progress, not started,
// completed, never enrolled), by name within a state, the reverse when
// asked, through the column heading's link and across pages (keyset paging
// on the rank, name and ID), without JavaScript.
func TestMatrixSortsByAnyCourseColumn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newStateOrg(t, db)
		ctx := context.Background()
		// 55 newcomers to South, enrolled by Acme's assignment and not
		// started: the matrix needs a second page.
		for i := range 55 {
			u := &store.User{Name: fmt.Sprintf("Zz newcomer %02d", i), Email: fmt.Sprintf("new%02d@example.com", i),
				Role: string(auth.Learner), Active: true, CreatedAt: o.app.Clock.Now()}
			if err := o.app.Store.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := o.app.Store.SetTeam(ctx, u.ID, o.south.ID, o.app.Clock.Now(), o.app.Config.Location); err != nil {
				t.Fatal(err)
			}
		}
		admin := o.client(t, "admin@example.com")
		acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
		desk := strconv.FormatInt(o.courseID, 10)
		// Overdue, due soon, in progress, then not started ("=…" sorts
		// before "Zz…"), then completed.
		urgent := []string{"Eli Okoro", "Omar Haddad", "Dev Patel", "Ines Duarte", o.learnerTwo.Name}
		want := slices.Clone(urgent)
		for i := range 55 {
			want = append(want, fmt.Sprintf("Zz newcomer %02d", i))
		}
		want = append(want, o.learner.Name)

		// walk reads every page from path on, following "Next page".
		walk := func(path string) []string {
			t.Helper()
			var names []string
			for pages := 0; path != ""; pages++ {
				if pages > 3 {
					t.Fatalf("more pages than people")
				}
				res := admin.Get(path)
				mustStatus(t, path, res, http.StatusOK)
				for _, m := range rowNameRE.FindAllStringSubmatch(res.Body, -1) {
					names = append(names, html.UnescapeString(m[1]))
				}
				path = ""
				if m := nextRE.FindStringSubmatch(res.Body); m != nil {
					path = html.UnescapeString(m[1])
				}
			}
			return names
		}

		// The heading of Desk basics links to the sort.
		page := admin.Get(acme).Body
		link := regexp.MustCompile(`<th scope="col"><a href="([^"]+)">Desk basics</a></th>`).FindStringSubmatch(page)
		if link == nil || html.UnescapeString(link[1]) != acme+"?sort=course%3A"+desk {
			t.Fatalf("Desk basics heading links to %v", link)
		}
		if got := walk(html.UnescapeString(link[1])); !slices.Equal(got, want) {
			t.Errorf("sorted by Desk basics:\n got %q\nwant %q", got, want)
		}
		sorted := admin.Get(acme + "?sort=course:" + desk).Body
		mustContain(t, "sorted page", sorted, `<th scope="col" aria-sort="ascending"><a href="`+acme+`?sort=-course%3A`+desk+`" aria-current="true">Desk basics</a></th>`,
			`<option value="course:`+desk+`" selected>Desk basics: most urgent first</option>`)
		reverse := slices.Clone(want)
		slices.Reverse(reverse)
		if got := walk(acme + "?sort=-course:" + desk); !slices.Equal(got, reverse) {
			t.Errorf("sorted by Desk basics, least urgent first:\n got %q\nwant %q", got, reverse)
		}
		// Filters and sort together: only the overdue, most urgent first.
		if got := walk(acme + "?state=overdue&sort=course:" + desk); !slices.Equal(got, urgent[:2]) {
			t.Errorf("overdue, sorted: %q", got)
		}
		mustStatus(t, "sort by a course that is not one", admin.Get(acme+"?sort=course:999999"), http.StatusBadRequest)
		mustStatus(t, "sort by nonsense", admin.Get(acme+"?sort=course:x"), http.StatusBadRequest)
	})
}
