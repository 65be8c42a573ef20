package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

// fixture is a running app with an admin and a token per need.
type fixture struct {
	t     *testing.T
	app   *apptest.App
	admin *store.User
}

func newFixture(t *testing.T, db *database.DB, env map[string]string) *fixture {
	app := apptest.Start(t, db, apptest.Options{Env: env})
	admin := app.AddUser(t, "Ada Admin", "ada@example.com", auth.Admin, "correct horse battery")
	return &fixture{t: t, app: app, admin: admin}
}

// token makes a token through the service the admin page uses.
func (f *fixture) token(scopes ...auth.Scope) (string, *store.APIToken) {
	f.t.Helper()
	names := make([]string, len(scopes))
	for i, s := range scopes {
		names[i] = string(s)
	}
	tok, secret, err := f.app.People.CreateAPIToken(context.Background(), store.Actor{ID: f.admin.ID},
		people.NewAPIToken{Name: "test " + strings.Join(names, " "), Scopes: names})
	if err != nil {
		f.t.Fatal(err)
	}
	return secret, tok
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%v in %s", err, r.Body)
	}
}

// do sends a request; body is marshalled as JSON unless it is a string.
func (f *fixture) do(method, path, token string, body any, header ...string) (response, *http.Request) {
	f.t.Helper()
	var rd io.Reader
	var raw []byte
	if body != nil {
		if s, ok := body.(string); ok {
			raw = []byte(s)
		} else {
			var err error
			if raw, err = json.Marshal(body); err != nil {
				f.t.Fatal(err)
			}
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.app.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	// The request again, with its body readable, for the validator.
	if raw != nil {
		req.Body = io.NopCloser(bytes.NewReader(raw))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}, req
}

func mustStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, want, short(r.Body))
	}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// TestAPITokensAreCheckedOnEveryRoute tries every token-protected route of
// the document with no token, a wrong one, a revoked one, an expired one
// and one without the route's scope: each is refused as a problem, before
// anything runs.
func TestAPITokensAreCheckedOnEveryRoute(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		ctx := context.Background()
		revoked, rt := f.token(auth.Scopes...)
		if err := f.app.People.RevokeAPIToken(ctx, store.Actor{ID: f.admin.ID}, rt.ID); err != nil {
			t.Fatal(err)
		}
		_, expiring, err := f.app.People.CreateAPIToken(ctx, store.Actor{ID: f.admin.ID},
			people.NewAPIToken{Name: "short", Scopes: []string{"people:read", "people:write", "reports:read", "courses:read", "scim"}, Expires: "1"})
		if err != nil {
			t.Fatal(err)
		}
		f.app.Clock.Advance(25 * time.Hour)
		ops := documentedOperations(t)
		if len(ops) < 20 {
			t.Fatalf("only %d operations documented", len(ops))
		}
		ops = append(ops, scimOperations...)
		for _, op := range ops {
			path := strings.NewReplacer("{id}", "1", "{number}", "1", "{code}", "ABCD").Replace(op.Path)
			others := []auth.Scope{}
			for _, s := range auth.Scopes {
				if s != op.Scope {
					others = append(others, s)
				}
			}
			wrongScope, _ := f.token(others...)
			for _, c := range []struct {
				name, token string
				want        int
			}{
				{"no token", "", http.StatusUnauthorized},
				{"a wrong token", "flt_not-a-token-anyone-made", http.StatusUnauthorized},
				{"a revoked token", revoked, http.StatusUnauthorized},
				{"an expired token", expiring, http.StatusUnauthorized},
				{"the wrong scope", wrongScope, http.StatusForbidden},
			} {
				res, _ := f.do(op.Method, path, c.token, map[string]any{})
				if res.Status != c.want {
					t.Errorf("%s %s with %s: %d, want %d\n%s", op.Method, path, c.name, res.Status, c.want, short(res.Body))
					continue
				}
				ct := res.Header.Get("Content-Type")
				if !strings.HasPrefix(ct, "application/problem+json") && !strings.HasPrefix(ct, "application/scim+json") {
					t.Errorf("%s %s with %s: content type %q", op.Method, path, c.name, ct)
				}
				if c.want == http.StatusUnauthorized && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s %s with %s: no Bearer challenge", op.Method, path, c.name)
				}
			}
		}
		// Nothing was changed by any of it: Ada is still the only person.
		if n, err := f.app.Store.CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("%d people after refused requests, %v", n, err)
		}
	})
}

// short keeps a failure message readable: a course's source is long.
func short(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
