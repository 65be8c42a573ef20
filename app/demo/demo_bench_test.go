package demo_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/demo"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/content"
)

// BenchmarkRun builds a 2,000-person demo with 10 courses into a fresh
// database per iteration, on SQLite and (with FRONTLINE_TEST_POSTGRES) on
// PostgreSQL. The full-size figure (--staff 100000) is measured with the
// command itself; see the README.
//
//	go test ./app/demo -run xxx -bench Run -benchtime 3x
func BenchmarkRun(b *testing.B) {
	const people = 2000
	dbs := map[string]func(testing.TB) *database.DB{"sqlite": apptest.NewSQLite}
	if dsn := apptest.PostgresDSN(); dsn != "" {
		dbs["pg"] = func(t testing.TB) *database.DB { return apptest.NewPostgres(t, dsn) }
	}
	for _, name := range []string{"sqlite", "pg"} {
		open, ok := dbs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
			for range b.N {
				b.StopTimer()
				db := open(b)
				st := store.New(db)
				cat := catalog.New(st, slog.New(slog.DiscardHandler), &learning.Service{Store: st, Location: time.UTC})
				b.StartTimer()
				if _, err := demo.Run(ctx, demo.Options{Store: st, Catalog: cat, Content: content.FS,
					Learners: people, Courses: 10, Seed: 1, Now: now}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(people*b.N)/b.Elapsed().Seconds(), "people/s")
		})
	}
}
