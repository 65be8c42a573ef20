package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// SearchPeople pages by (name, id) without gaps or repeats, also across
// people who share a name; it matches a substring of the name or email
// without regard to case, takes % and _ literally, and filters by role and
// by a team with the teams below it.
func TestSearchPeoplePagesAndFilters(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		var us []store.User
		for i := range 25 {
			name := "Sam Jones" // five share a name, so the keyset's id breaks the tie
			if i >= 5 {
				name = fmt.Sprintf("Person %02d", i)
			}
			us = append(us, store.User{Name: name, Email: fmt.Sprintf("p%d@example.com", i), Role: "learner", Active: true, CreatedAt: t0})
		}
		us[20].Email, us[21].Role, us[22].Name = "under_score@example.com", "manager", "100% Sure"
		if err := st.InsertUsers(ctx, us); err != nil {
			t.Fatal(err)
		}
		org := team(t, st, 0, "Acme")
		north := team(t, st, org.ID, "North")
		for i, tm := range map[int]*store.Team{3: org, 7: north} {
			if err := st.SetTeam(ctx, us[i].ID, tm.ID, t0, time.UTC); err != nil {
				t.Fatal(err)
			}
		}

		var all []string
		f := store.PeopleFilter{Limit: 4}
		for pages := 0; ; pages++ {
			got, next, err := st.SearchPeople(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range got {
				all = append(all, u.Name+"#"+strconv.FormatInt(u.ID, 10))
			}
			if next == nil {
				if pages != 6 {
					t.Fatalf("%d pages", pages+1)
				}
				break
			}
			f.After = next
		}
		if len(all) != 25 || !slices.IsSorted(all[5:]) || slices.Compact(slices.Clone(all)) == nil {
			t.Fatalf("pages: %v", all)
		}
		seen := map[string]bool{}
		for _, n := range all {
			if seen[n] {
				t.Fatalf("%s twice: %v", n, all)
			}
			seen[n] = true
		}

		for _, c := range []struct {
			f    store.PeopleFilter
			want []string
		}{
			{store.PeopleFilter{Query: "PERSON 1"}, []string{"Person 10", "Person 11", "Person 12", "Person 13", "Person 14", "Person 15", "Person 16", "Person 17", "Person 18", "Person 19"}},
			{store.PeopleFilter{Query: "p24@EXAMPLE"}, []string{"Person 24"}},
			{store.PeopleFilter{Query: "_"}, []string{"Person 20"}},
			{store.PeopleFilter{Query: "0%"}, []string{"100% Sure"}},
			{store.PeopleFilter{Role: "manager"}, []string{"Person 21"}},
			{store.PeopleFilter{Team: north}, []string{"Person 07"}},
			{store.PeopleFilter{Team: org}, []string{"Person 07", "Sam Jones"}},
			{store.PeopleFilter{Team: org, Query: "jones"}, []string{"Sam Jones"}},
		} {
			got, _, err := st.SearchPeople(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range got {
				names = append(names, u.Name)
			}
			if !slices.Equal(names, c.want) {
				t.Errorf("%+v: got %v, want %v", c.f, names, c.want)
			}
		}
	})
}

// BenchmarkSearchPeople: the people page's query over 100,000 people (made
// here, in teams of 200): the first page, a deep page, a search by part of
// a name, one by an email that matches one person, and a team. On SQLite
// always; on PostgreSQL too when FRONTLINE_TEST_POSTGRES is set.
func BenchmarkSearchPeople(b *testing.B) {
	dbs := map[string]func(testing.TB) *database.DB{"sqlite": apptest.NewSQLite}
	if dsn := apptest.PostgresDSN(); dsn != "" {
		dbs["postgresql"] = func(t testing.TB) *database.DB { return apptest.NewPostgres(t, dsn) }
	}
	for name, open := range dbs {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			ctx, st := context.Background(), store.New(db)
			const n = 100_000
			r := rand.New(rand.NewPCG(1, 2))
			first := []string{"Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kai", "Lin", "Mo", "Ned", "Ola", "Pia"}
			last := []string{"Lee", "Chen", "Diaz", "Okoro", "Smith", "Haddad", "Tan", "Novak", "Silva", "Kaur", "Ito", "Berg"}
			us := make([]store.User, n)
			for i := range us {
				us[i] = store.User{Name: fmt.Sprintf("%s %s %d", first[r.IntN(len(first))], last[r.IntN(len(last))], i),
					Email: fmt.Sprintf("staff%06d@example.com", i), Role: "learner", Active: true, CreatedAt: t0}
			}
			if err := st.InsertUsers(ctx, us); err != nil {
				b.Fatal(err)
			}
			org, err := st.CreateTeam(ctx, 0, "Org", t0)
			if err != nil {
				b.Fatal(err)
			}
			var site *store.Team
			for i := 0; i < 5; i++ {
				tm, err := st.CreateTeam(ctx, org.ID, "Site "+strconv.Itoa(i), t0)
				if err != nil {
					b.Fatal(err)
				}
				site = tm
				for j := i * 200; j < (i+1)*200; j++ {
					if err := st.SetTeam(ctx, us[j].ID, tm.ID, t0, time.UTC); err != nil {
						b.Fatal(err)
					}
				}
			}
			if err := db.Optimize(ctx, true); err != nil {
				b.Fatal(err)
			}
			_, deep, err := st.SearchPeople(ctx, store.PeopleFilter{Limit: n / 2})
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name string
				f    store.PeopleFilter
			}{
				{"first-page", store.PeopleFilter{}},
				{"deep-page", store.PeopleFilter{After: deep}},
				{"name", store.PeopleFilter{Query: "okoro"}},
				{"email-one", store.PeopleFilter{Query: "staff099999@"}},
				{"team", store.PeopleFilter{Team: site}},
				{"role-none", store.PeopleFilter{Role: "admin"}},
			} {
				c.f.Limit = 50
				b.Run(c.name, func(b *testing.B) {
					timed(b, func() error {
						_, _, err := st.SearchPeople(ctx, c.f)
						return err
					})
				})
			}
		})
	}
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
