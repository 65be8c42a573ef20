package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestSlowQueryIsCancelledAtTheRequestDeadline runs a query that would take
// minutes behind the real request middleware with a 200 ms deadline: the
// query is cancelled and the person gets a 503 saying it took too long.
// (apptest imports this package, so the databases are opened here; the
// queries need no tables.)
func TestSlowQueryIsCancelledAtTheRequestDeadline(t *testing.T) {
	dbs := map[string]string{
		"sqlite": filepath.Join(t.TempDir(), "slow.db"),
		// Minutes of counting unless interrupted.
		"sqlite-query": `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000000) SELECT count(*) FROM n`,
	}
	if dsn := os.Getenv("FRONTLINE_TEST_POSTGRES"); dsn != "" {
		dbs["pg"], dbs["pg-query"] = dsn, `SELECT count(*) FROM (SELECT pg_sleep(600)) AS s`
	}
	for _, name := range []string{"sqlite", "pg"} {
		dsn, ok := dbs[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			db, err := database.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			v, err := loadViews(time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			s := &Server{views: v, Deps: Deps{Store: store.New(db), Config: &config.Config{RequestTimeout: 200 * time.Millisecond, Location: time.UTC},
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now}}
			app := fiber.New(fiber.Config{ErrorHandler: s.handleError})
			app.Use(s.logRequests, s.requestContext)
			var queryErr error
			app.Get("/slow", func(c *fiber.Ctx) error {
				var n int64
				queryErr = db.R.NewRaw(dbs[name+"-query"]).Scan(ctx(c), &n)
				return queryErr
			})
			res, err := app.Test(httptest.NewRequest("GET", "/slow", nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			if queryErr == nil {
				t.Fatal("the slow query finished: it was not cancelled")
			}
			if res.StatusCode != fiber.StatusServiceUnavailable || !strings.Contains(string(body), "took longer than the server allows") {
				t.Fatalf("status %d (query error %v)\n%s", res.StatusCode, queryErr, body)
			}
			// The connection is usable again: the cancel did not leave it
			// stuck in the query.
			if err := db.Ping(context.Background()); err != nil {
				t.Fatalf("after the cancel: %v", err)
			}
		})
	}
}

// TestExportsGetTheirOwnWriteTimeout: a CSV export may stream for longer
// than the server's write timeout for pages; nothing else may.
func TestExportsGetTheirOwnWriteTimeout(t *testing.T) {
	s := &Server{}
	for _, tc := range []struct {
		uri  string
		want time.Duration
	}{
		{"/manage/teams/7/matrix.csv?state=overdue", exportTimeout},
		{"/manage/teams/7/history.csv", exportTimeout},
		{"/admin/audit.csv?who=ana", exportTimeout},
		{"/manage/teams/7", 0},
		{"/courses/desk-basics?x=.csv", 0},
		{"/static/app.css", 0},
	} {
		var h fasthttp.RequestHeader
		h.SetRequestURI(tc.uri)
		if got := s.requestConfig(&h).WriteTimeout; got != tc.want {
			t.Errorf("%s: write timeout %v, want %v", tc.uri, got, tc.want)
		}
	}
}
