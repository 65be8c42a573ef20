package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// TestDatabaseOutageAnswers503AndRecovers puts a relay between the app and
// PostgreSQL, cuts it, and checks that pages answer 503 (not 500, not a hang)
// and that the same app serves again once the database is back, without a
// restart.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	dsn := apptest.PostgresDSN()
	if dsn == "" {
		t.Skip("FRONTLINE_TEST_POSTGRES is not set: an outage needs a database server to lose")
	}
	schemaDSN := apptest.PostgresSchema(t, dsn)
	u, _ := url.Parse(schemaDSN)
	proxy := apptest.NewProxy(t, u.Host)
	u.Host = proxy.Addr
	db, err := database.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	app := apptest.Start(t, db, apptest.Options{Content: fixture})
	app.AddUser(t, "Amara Okafor", "amara@example.com", auth.Learner, password)
	c := app.Client(t)
	c.SignIn("amara@example.com", password)
	mustStatus(t, "before", c.Get("/courses/desk-basics"), http.StatusOK)

	proxy.Cut()
	res := c.Get("/courses/desk-basics")
	mustStatus(t, "during the outage", res, http.StatusServiceUnavailable)
	mustContain(t, "503 page", res.Body, "cannot reach its database")
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	mustStatus(t, "readyz during the outage", c.Get("/readyz"), http.StatusServiceUnavailable)
	mustStatus(t, "healthz during the outage", c.Get("/healthz"), http.StatusOK)

	proxy.Restore()
	mustStatus(t, "after", c.Get("/courses/desk-basics"), http.StatusOK)
	mustStatus(t, "readyz after", c.Get("/readyz"), http.StatusOK)
}
