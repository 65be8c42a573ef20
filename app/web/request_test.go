package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/people"
)

// TestSecretTokensStayOutOfTheLog visits every page opened by a token in its
// URL — shown, submitted, refused, with the path in capitals — and checks
// that the log, debug lines included, names the route but never the token.
func TestSecretTokensStayOutOfTheLog(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		var log apptest.Buffer
		app := apptest.Start(t, db, apptest.Options{Content: fixture, Log: &log})
		ctx, now := context.Background(), app.Clock.Now()
		setupLink, err := app.People.SetupLink(ctx)
		if err != nil || setupLink == "" {
			t.Fatalf("setup link %q, %v", setupLink, err)
		}
		setup := strings.TrimPrefix(setupLink, app.URL)
		c := app.Client(t)
		c.Get("/login") // a CSRF cookie for the forms below
		// The setup link works only while nobody has an account: its pages
		// are visited before anyone is added.
		for _, r := range []struct {
			method, path string
			form         url.Values
		}{
			{"GET", setup, nil},
			{"POST", setup, url.Values{"name": {"Ada"}, "email": {"ada@example.com"}, "password": {"short"}, "confirm": {"other"}}},
			{"GET", strings.ToUpper(setup[:7]) + setup[7:], nil},
		} {
			var res apptest.Response
			if r.method == "GET" {
				res = c.Get(r.path)
			} else {
				res = c.Post(r.path, r.form)
			}
			if want := map[string]int{"GET": http.StatusOK, "POST": http.StatusUnprocessableEntity}[r.method]; res.Status != want {
				t.Errorf("%s %s: status %d, want %d", r.method, r.path, res.Status, want)
			}
		}
		admin := app.AddUser(t, "Ada Admin", "admin@example.com", auth.Admin, password)
		_, inviteLink, err := app.People.Add(ctx, &admin.ID, people.Person{Name: "Kofi Mensah", Email: "kofi@example.com", Role: auth.Learner})
		if err != nil {
			t.Fatal(err)
		}
		learner := app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		calendar, unsubscribe := auth.NewToken(), auth.NewToken()
		if _, err := app.Store.EnsureSettings(ctx, learner.ID, unsubscribe, now); err != nil {
			t.Fatal(err)
		}
		if err := app.Store.SetCalendarToken(ctx, learner.ID, calendar, now); err != nil {
			t.Fatal(err)
		}
		invite := strings.TrimPrefix(inviteLink, app.URL)
		unknown := "/invite/" + auth.NewToken()
		secrets := []string{setup[len("/setup/"):], invite[len("/invite/"):], calendar, unsubscribe, unknown[len("/invite/"):]}

		for _, r := range []struct {
			method, path string
			form         url.Values
			status       int
		}{
			{"GET", setup, nil, http.StatusNotFound}, // retired: someone has an account now
			{"GET", invite, nil, http.StatusOK},
			{"POST", invite, url.Values{"password": {"short"}, "confirm": {"short"}}, http.StatusUnprocessableEntity},
			{"GET", unknown, nil, http.StatusNotFound},
			{"GET", "/calendar/" + calendar + ".ics", nil, http.StatusOK},
			{"GET", "/calendar/" + calendar + "x.ics", nil, http.StatusNotFound},
			{"GET", "/unsubscribe/" + unsubscribe, nil, http.StatusOK},
			{"POST", "/unsubscribe/" + unsubscribe, url.Values{"List-Unsubscribe": {"One-Click"}, "_csrf": {""}}, http.StatusOK},
		} {
			var res apptest.Response
			if r.method == "GET" {
				res = c.Get(r.path)
			} else {
				res = c.Post(r.path, r.form)
			}
			if res.Status != r.status {
				t.Errorf("%s %s: status %d, want %d", r.method, r.path, res.Status, r.status)
			}
		}
		logged := log.String()
		for _, route := range []string{"route=/setup/:token", "route=/invite/:token", "route=/calendar/:token", "route=/unsubscribe/:token", "request refused"} {
			if !strings.Contains(logged, route) {
				t.Errorf("the log lacks %q, so it cannot show the tokens are kept out:\n%s", route, logged)
			}
		}
		for _, secret := range secrets {
			if strings.Contains(logged, secret) {
				t.Errorf("the log holds the token %s:\n%s", secret, logged)
			}
		}
	})
}

// TestBadInputIsRefusedNotAServerError: text that is not text (a NUL byte,
// invalid UTF-8) in a path, query parameter, form field or file name, and an
// id in the address that names nothing, are the sender's mistake: 400 or 404
// with a message, never a 500.
func TestBadInputIsRefusedNotAServerError(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		admin := o.client(t, "admin@example.com")
		anon := o.app.Client(t)
		anon.Get("/login")
		north := "/manage/teams/" + strconv.FormatInt(o.north.ID, 10)
		missing := "/admin/teams/" + strconv.FormatInt(o.south.ID+1000, 10)
		notText := "something that is not text"

		multipartForm := func(field, value, filename string) (string, *bytes.Buffer) {
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			if filename != "" {
				fw, _ := w.CreateFormFile("file", filename)
				fw.Write([]byte("name,email,team,role\nAmara,amara@example.com,Acme,learner\n"))
			}
			if field != "" {
				w.WriteField(field, value)
			}
			w.Close()
			return w.FormDataContentType(), &body
		}

		for _, tc := range []struct {
			name    string
			client  *apptest.Client
			method  string
			path    string
			ctype   string
			body    string
			status  int
			message string
		}{
			{"NUL in a query parameter", admin, "GET", north + "?course=%00", "", "", 400, notText},
			{"invalid UTF-8 in a query parameter", admin, "GET", north + "?after_name=%FF%FE&after_id=1", "", "", 400, notText},
			{"NUL in a public page's query", anon, "GET", "/verify?code=AB%00CD", "", "", 400, notText},
			{"raw invalid UTF-8 in the path", admin, "GET", "/courses/desk-basics\xff", "", "", 400, notText},
			{"NUL in a sign-in form", anon, "POST", "/login", "application/x-www-form-urlencoded", "email=a%00@example.com&password=x", 400, notText},
			{"NUL in a person's name", admin, "POST", "/admin/people", "application/x-www-form-urlencoded", "name=Bad%00Name&email=bad@example.com&role=learner", 400, notText},
			{"invalid UTF-8 in a team name", admin, "POST", "/admin/teams", "application/x-www-form-urlencoded", "name=%C3%28", 400, notText},
			{"NUL in a form field's name", admin, "POST", "/admin/teams", "application/x-www-form-urlencoded", "na%00me=West", 400, notText},
			{"a missing team's members", admin, "POST", missing + "/members", "application/x-www-form-urlencoded", "email=zoe@example.com", 404, "There is nothing at this address"},
			{"a missing team's managers", admin, "POST", missing + "/managers", "application/x-www-form-urlencoded", "email=nora@example.com", 404, "There is nothing at this address"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := tc.client.Send(tc.method, tc.path, tc.ctype, strings.NewReader(tc.body))
				if res.Status != tc.status || !strings.Contains(res.Body, tc.message) {
					t.Fatalf("status %d, want %d with %q\n%s", res.Status, tc.status, tc.message, res.Body)
				}
			})
		}
		for _, tc := range []struct{ name, field, value, filename string }{
			{"NUL in a multipart field", "csv", "name,email,team,role\nA\x00,a@example.com,Acme,learner\n", ""},
			{"invalid UTF-8 in a file name", "", "", "staff-\xff.csv"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctype, body := multipartForm(tc.field, tc.value, tc.filename)
				res := admin.Send("POST", "/admin/import", ctype, body)
				if res.Status != 400 || !strings.Contains(res.Body, notText) {
					t.Fatalf("status %d, want 400\n%s", res.Status, res.Body)
				}
			})
		}
	})
}
