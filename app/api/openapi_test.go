package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/api"
	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

type operation struct {
	Method, Path string // Path as the document writes it, under /api/v1
	Scope        auth.Scope
}

// documentedOperations reads the operations of openapi.json with the
// scope each says it needs.
func documentedOperations(t *testing.T) []operation {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []operation
	for p, item := range doc.Paths {
		for m, raw := range item {
			if m == "parameters" {
				continue
			}
			var o struct {
				Scope string `json:"x-scope"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatal(err)
			}
			out = append(out, operation{Method: strings.ToUpper(m), Path: "/api/v1" + p, Scope: auth.Scope(o.Scope)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path+out[i].Method < out[j].Path+out[j].Method })
	return out
}

// TestOpenAPIDocumentCoversEveryRoute: the document is valid OpenAPI 3.1,
// every /api/v1 route the API mounts is in it with the same method, and
// every operation in it is mounted.
func TestOpenAPIDocumentCoversEveryRoute(t *testing.T) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.json is %s, want 3.1", doc.OpenAPI)
	}
	cfg, err := config.Load(nil, func(k string) string { return map[string]string{"FRONTLINE_DATABASE_URL": "unused"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := api.New(api.Deps{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	a.Mount(app)
	mounted := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead || !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" || r.Path == "/api/v1/reference" {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		mounted[r.Method+" "+strings.Join(parts, "/")] = true
	}
	documented := map[string]bool{}
	for _, op := range documentedOperations(t) {
		documented[op.Method+" "+op.Path] = true
		if !mounted[op.Method+" "+op.Path] {
			t.Errorf("%s %s is documented but not mounted", op.Method, op.Path)
		}
		if !slices.Contains(auth.Scopes, op.Scope) {
			t.Errorf("%s %s names no known scope (x-scope %q)", op.Method, op.Path, op.Scope)
		}
	}
	for r := range mounted {
		if !documented[r] {
			t.Errorf("%s is mounted but not in openapi.json", r)
		}
	}
}

// validator checks real requests and answers against the document the
// running app serves.
type validator struct {
	t      *testing.T
	router routers.Router
	seen   map[string]bool // "METHOD /path" of operations answered
}

func newValidator(t *testing.T, f *fixture) *validator {
	res, _ := f.do("GET", "/api/v1/openapi.json", "", nil)
	mustStatus(t, "openapi.json", res, http.StatusOK)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &validator{t: t, router: r, seen: map[string]bool{}}
}

// call sends a request and validates it and its answer (status included)
// against the document.
func (v *validator) call(f *fixture, method, path, token string, body any, want int, header ...string) response {
	v.t.Helper()
	res, req := f.do(method, path, token, body, header...)
	if res.Status != want {
		v.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, res.Status, want, short(res.Body))
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Fatalf("%s %s is not in the document: %v", method, path, err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if want < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			v.t.Fatalf("%s %s: the request does not match the document: %v", method, path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.Status, Header: res.Header, Options: opts}
	out.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		v.t.Fatalf("%s %s: the answer does not match the document: %v\n%s", method, path, err, short(res.Body))
	}
	v.seen[method+" /api/v1"+route.Path] = true
	return res
}

// TestAPIAnswersAsDocumented calls every documented operation on a small
// organisation and validates each real request and answer — successes and
// errors — against the OpenAPI document with kin-openapi.
func TestAPIAnswersAsDocumented(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		ctx := context.Background()
		tok, _ := f.token(auth.PeopleRead, auth.PeopleWrite, auth.ReportsRead, auth.CoursesRead)
		v := newValidator(t, f)

		var acme, west struct{ ID int64 }
		v.call(f, "POST", "/api/v1/teams", tok, map[string]any{"name": "Acme"}, http.StatusCreated).json(t, &acme)
		v.call(f, "POST", "/api/v1/teams", tok, map[string]any{"name": "West", "parent_id": acme.ID}, http.StatusCreated).json(t, &west)
		v.call(f, "POST", "/api/v1/teams", tok, map[string]any{"name": "West", "parent_id": acme.ID}, http.StatusConflict)
		v.call(f, "POST", "/api/v1/teams", tok, map[string]any{"name": ""}, http.StatusUnprocessableEntity)
		var east struct{ ID int64 }
		v.call(f, "POST", "/api/v1/teams", tok, map[string]any{"name": "East"}, http.StatusCreated).json(t, &east)
		v.call(f, "POST", "/api/v1/teams/"+id(east.ID)+"/move", tok, map[string]any{"parent_id": acme.ID}, http.StatusOK)
		v.call(f, "POST", "/api/v1/teams/"+id(acme.ID)+"/move", tok, map[string]any{"parent_id": east.ID}, http.StatusConflict)
		var tree struct {
			Data []struct {
				Name     string
				Children []struct{ Name string }
			}
		}
		v.call(f, "GET", "/api/v1/teams", tok, nil, http.StatusOK).json(t, &tree)
		if len(tree.Data) != 1 || len(tree.Data[0].Children) != 2 {
			t.Fatalf("tree %+v", tree)
		}
		v.call(f, "GET", "/api/v1/teams/"+id(acme.ID), tok, nil, http.StatusOK)
		v.call(f, "GET", "/api/v1/teams/999999", tok, nil, http.StatusNotFound)

		var dev struct {
			ID            int64
			TeamID        *int64 `json:"team_id"`
			InvitationURL string `json:"invitation_url"`
		}
		res := v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "Dev Patel", "email": "Dev@Example.com", "team_id": west.ID, "external_id": "E-1"}, http.StatusCreated)
		res.json(t, &dev)
		if dev.TeamID == nil || *dev.TeamID != west.ID || !strings.Contains(dev.InvitationURL, "/invite/") || res.Header.Get("Location") != "/api/v1/people/"+id(dev.ID) {
			t.Fatalf("created %+v, location %q", dev, res.Header.Get("Location"))
		}
		var invalid struct{ Errors map[string]string }
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "", "email": "not an address", "role": "boss"}, http.StatusUnprocessableEntity).json(t, &invalid)
		if len(invalid.Errors) != 3 {
			t.Fatalf("errors %v, want name, email and role", invalid.Errors)
		}
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "Dev Two", "email": "dev@example.com"}, http.StatusUnprocessableEntity)
		v.call(f, "POST", "/api/v1/people", tok, `{"name": "Typo", "emial": "x@example.com"}`, http.StatusBadRequest)
		v.call(f, "POST", "/api/v1/people", tok, `{"name": "Nul\u0000Byte", "email": "nul@example.com"}`, http.StatusBadRequest)
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "Ines Ruiz", "email": "ines@example.com", "team_id": east.ID}, http.StatusCreated)
		v.call(f, "GET", "/api/v1/people/"+id(dev.ID), tok, nil, http.StatusOK)
		v.call(f, "GET", "/api/v1/people/424242", tok, nil, http.StatusNotFound)
		v.call(f, "PATCH", "/api/v1/people/"+id(dev.ID), tok, map[string]any{"name": "Dev K. Patel", "role": "manager", "team_id": east.ID}, http.StatusOK)
		v.call(f, "PATCH", "/api/v1/people/"+id(f.admin.ID), tok, map[string]any{"active": false}, http.StatusConflict)

		// Keyset pages: two people a page, filtered by team.
		var p1, p2 struct {
			Data []struct{ Email string }
			Next string
		}
		v.call(f, "GET", "/api/v1/people?limit=2", tok, nil, http.StatusOK).json(t, &p1)
		if len(p1.Data) != 2 || p1.Next == "" {
			t.Fatalf("first page %+v", p1)
		}
		v.call(f, "GET", "/api/v1/people?limit=2&after="+p1.Next, tok, nil, http.StatusOK).json(t, &p2)
		if len(p2.Data) != 1 || p2.Next != "" {
			t.Fatalf("second page %+v", p2)
		}
		v.call(f, "GET", "/api/v1/people?team_id="+id(east.ID)+"&active=true&email=dev@example.com", tok, nil, http.StatusOK).json(t, &p1)
		if len(p1.Data) != 1 || p1.Data[0].Email != "dev@example.com" {
			t.Fatalf("filtered %+v", p1)
		}
		v.call(f, "GET", "/api/v1/people?active=maybe", tok, nil, http.StatusBadRequest)

		// Courses, an assignment, and the states it makes.
		var courses struct {
			Data []struct {
				ID   int64
				Slug string
			}
		}
		v.call(f, "GET", "/api/v1/courses", tok, nil, http.StatusOK).json(t, &courses)
		if len(courses.Data) == 0 {
			t.Fatal("no courses")
		}
		course := courses.Data[0].ID
		v.call(f, "GET", "/api/v1/courses/"+id(course), tok, nil, http.StatusOK)
		var src struct{ Files []struct{ Name, Text string } }
		v.call(f, "GET", "/api/v1/courses/"+id(course)+"/versions/1/source", tok, nil, http.StatusOK).json(t, &src)
		if len(src.Files) < 2 || !slices.ContainsFunc(src.Files, func(f struct{ Name, Text string }) bool { return f.Name == "course.md" }) {
			t.Fatalf("source %d files, want course.md among them", len(src.Files))
		}
		v.call(f, "GET", "/api/v1/courses/"+id(course)+"/versions/99/source", tok, nil, http.StatusNotFound)

		var as struct{ ID int64 }
		v.call(f, "POST", "/api/v1/assignments", tok, map[string]any{"course_id": course, "team_id": acme.ID, "due_days": 14}, http.StatusCreated).json(t, &as)
		v.call(f, "POST", "/api/v1/assignments", tok, map[string]any{"course_id": course, "team_id": acme.ID, "person_id": dev.ID}, http.StatusUnprocessableEntity)
		v.call(f, "POST", "/api/v1/assignments", tok, map[string]any{"course_id": 987654, "team_id": acme.ID, "due_days": 3}, http.StatusNotFound)
		v.call(f, "GET", "/api/v1/assignments/"+id(as.ID), tok, nil, http.StatusOK)
		v.call(f, "GET", "/api/v1/teams/"+id(west.ID)+"/assignments", tok, nil, http.StatusOK)

		var matrix struct {
			Courses []struct{ ID int64 }
			Data    []struct {
				Person     struct{ Email string }
				Enrolments []struct {
					CourseID int64 `json:"course_id"`
					State    string
					Assigned bool
				}
			}
		}
		v.call(f, "GET", "/api/v1/teams/"+id(acme.ID)+"/enrolments", tok, nil, http.StatusOK).json(t, &matrix)
		if len(matrix.Data) != 2 {
			t.Fatalf("matrix %+v", matrix)
		}
		for _, row := range matrix.Data {
			for _, e := range row.Enrolments {
				if e.CourseID == course && (e.State != "not_started" || !e.Assigned) {
					t.Fatalf("%s on the assigned course: %+v", row.Person.Email, e)
				}
			}
		}
		v.call(f, "GET", "/api/v1/teams/"+id(acme.ID)+"/enrolments?state=overdue", tok, nil, http.StatusBadRequest)
		// Fifteen days on, both are overdue: the same state the matrix shows.
		f.app.Clock.Advance(15 * 24 * time.Hour)
		v.call(f, "GET", "/api/v1/courses/"+id(course)+"/enrolments?state=overdue&limit=1", tok, nil, http.StatusOK).json(t, &matrix)
		if len(matrix.Data) != 1 {
			t.Fatalf("overdue page %+v", matrix)
		}
		var personStates struct {
			Data []struct {
				CourseID int64 `json:"course_id"`
				State    string
			}
		}
		v.call(f, "GET", "/api/v1/people/"+id(dev.ID)+"/enrolments", tok, nil, http.StatusOK).json(t, &personStates)
		found := false
		for _, e := range personStates.Data {
			if e.CourseID == course {
				found = e.State == "overdue"
			}
		}
		if !found {
			t.Fatalf("Dev's states %+v, want overdue on course %d", personStates, course)
		}

		// A completion with its certificate, verified.
		co := &store.Completion{UserID: dev.ID, CourseID: course, VersionID: firstVersion(t, f, course), CompletedAt: f.app.Clock.Now(), Score: 90}
		if err := f.app.Store.InsertCompletion(ctx, co); err != nil {
			t.Fatal(err)
		}
		cert, err := f.app.Store.EnsureCertificate(ctx, co.ID, "K7QM-3XRP-WD9A", f.app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		v.call(f, "GET", "/api/v1/people/"+id(dev.ID)+"/completions", tok, nil, http.StatusOK)
		v.call(f, "GET", "/api/v1/certificates/"+strings.ToLower(cert.Code), tok, nil, http.StatusOK)
		v.call(f, "GET", "/api/v1/certificates/NOPE-NOPE-NOPE", tok, nil, http.StatusNotFound)

		v.call(f, "DELETE", "/api/v1/assignments/"+id(as.ID), tok, nil, http.StatusNoContent)
		v.call(f, "DELETE", "/api/v1/assignments/"+id(as.ID), tok, nil, http.StatusNotFound)
		v.call(f, "POST", "/api/v1/people/"+id(dev.ID)+"/deactivate", tok, nil, http.StatusOK)

		// The readable reference lists every operation; an unknown path
		// under /api is a problem, not the web's sign-in page.
		ref, _ := f.do("GET", "/api/v1/reference", "", nil)
		mustStatus(t, "reference", ref, http.StatusOK)
		for _, op := range documentedOperations(t) {
			if !strings.Contains(string(ref.Body), op.Method+" "+op.Path) {
				t.Errorf("the reference page lacks %s %s", op.Method, op.Path)
			}
		}
		for _, m := range []string{"GET", "POST"} {
			res, _ := f.do(m, "/api/v1/nothing-here", tok, nil)
			if res.Status != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("%s of an unknown API path: %d %s %s", m, res.Status, res.Header.Get("Content-Type"), short(res.Body))
			}
		}
		res, _ = f.do("POST", "/api/v1/teams", tok, nil, "Content-Type", "application/x-www-form-urlencoded")
		mustStatus(t, "a form body", res, http.StatusUnsupportedMediaType)

		for _, op := range documentedOperations(t) {
			if !v.seen[op.Method+" "+op.Path] {
				t.Errorf("%s %s was never called: the test must answer every documented operation", op.Method, op.Path)
			}
		}
	})
}

func firstVersion(t *testing.T, f *fixture, course int64) int64 {
	t.Helper()
	c, err := f.app.Store.CourseByID(context.Background(), course)
	if err != nil {
		t.Fatal(err)
	}
	return c.CurrentVersionID
}

// TestAPIPeopleWithUsernames: the people resource creates, finds, changes
// and shows a person by username, with or without an email, as documented.
func TestAPIPeopleWithUsernames(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		tok, _ := f.token(auth.PeopleRead, auth.PeopleWrite)
		v := newValidator(t, f)
		var kai struct {
			ID            int64
			Email         *string
			Username      *string
			InvitationURL string `json:"invitation_url"`
		}
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "Kai Till", "username": "Kai.Till"}, http.StatusCreated).json(t, &kai)
		if kai.Email != nil || kai.Username == nil || *kai.Username != "kai.till" || !strings.Contains(kai.InvitationURL, "/invite/") {
			t.Fatalf("created %+v", kai)
		}
		var invalid struct{ Errors map[string]string }
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "Kai Two", "username": "KAI.TILL"}, http.StatusUnprocessableEntity).json(t, &invalid)
		if invalid.Errors["username"] == "" {
			t.Fatalf("errors %v, want one for the username", invalid.Errors)
		}
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "No One"}, http.StatusUnprocessableEntity)
		v.call(f, "POST", "/api/v1/people", tok, map[string]any{"name": "At Sign", "username": "a@b"}, http.StatusUnprocessableEntity)

		var found struct {
			Data []struct {
				ID       int64
				Username *string
			}
		}
		v.call(f, "GET", "/api/v1/people?username=KAI.TILL", tok, nil, http.StatusOK).json(t, &found)
		if len(found.Data) != 1 || found.Data[0].ID != kai.ID {
			t.Fatalf("found %+v", found)
		}
		// An email added, then the username changed; then the email taken
		// away again, which a username allows.
		v.call(f, "PATCH", "/api/v1/people/"+id(kai.ID), tok, map[string]any{"email": "kai@example.com", "username": "kai.t"}, http.StatusOK).json(t, &kai)
		if kai.Email == nil || *kai.Email != "kai@example.com" || *kai.Username != "kai.t" {
			t.Fatalf("after the change %+v", kai)
		}
		v.call(f, "PATCH", "/api/v1/people/"+id(kai.ID), tok, map[string]any{"email": ""}, http.StatusOK).json(t, &kai)
		if kai.Email != nil {
			t.Fatalf("after removing the email %+v", kai)
		}
		// Without a username the email cannot go.
		v.call(f, "PATCH", "/api/v1/people/"+id(f.admin.ID), tok, map[string]any{"email": ""}, http.StatusUnprocessableEntity)
	})
}
