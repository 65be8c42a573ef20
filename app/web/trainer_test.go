package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// trAuthor is an HTTP client for the trainer's pages, which also speak JSON
// (autosave, preview) and take uploads: apptest.Client only posts forms.
type trAuthor struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

var trAuthorCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func trNewAuthor(t *testing.T, app *apptest.App, email string) *trAuthor {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	a := &trAuthor{t: t, base: app.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if email != "" {
		a.get("/login")
		res := a.form("/login", url.Values{"email": {email}, "password": {password}}, false)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("sign in as %s: %d", email, res.Status)
		}
		a.get("/")
	}
	return a
}

func (a *trAuthor) do(req *http.Request) apptest.Response {
	a.t.Helper()
	if a.csrf != "" {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	res, err := a.http.Do(req)
	// A body over the server's limit is refused by its length, unread, and
	// closing a socket with unread bytes may reset the connection before
	// the client reads the 413: sent again, the answer usually arrives.
	for try := 0; err != nil && try < 5 && req.GetBody != nil &&
		(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)); try++ {
		if req.Body, err = req.GetBody(); err != nil {
			break
		}
		res, err = a.http.Do(req)
	}
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := trAuthorCSRF.FindSubmatch(b); m != nil {
		a.csrf = string(m[1])
	}
	return apptest.Response{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

func (a *trAuthor) get(path string) apptest.Response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.base+path, nil)
	return a.do(req)
}

// form posts a form; asJSON asks for JSON as the editor's script does.
func (a *trAuthor) form(path string, v url.Values, asJSON bool) apptest.Response {
	a.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if _, ok := v["_csrf"]; !ok {
		v.Set("_csrf", a.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, a.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if asJSON {
		req.Header.Set("Accept", "application/json")
	}
	return a.do(req)
}

func (a *trAuthor) upload(path, field, filename string, data []byte, extra url.Values) apptest.Response {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", a.csrf)
	for k, vs := range extra {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	w, _ := mw.CreateFormFile(field, filename)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, a.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	return a.do(req)
}

func trDecode(t *testing.T, res apptest.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
		t.Fatalf("not JSON (%d): %s", res.Status, res.Body)
	}
	return m
}

// TestTrainerPagesAreForTrainersAndAdminsOnly asks every trainer route as
// each role: trainers and admins get through, learners and managers are
// refused, and someone signed out is sent to sign in.
func TestTrainerPagesAreForTrainersAndAdminsOnly(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		for _, r := range auth.Roles {
			app.AddUser(t, string(r), string(r)+"@example.com", r, password)
		}
		d, err := app.Catalog.OpenDraft(context.Background(), "desk-basics", nil, app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		file := fmt.Sprint(d.Files[1].ID)
		routes := []struct{ method, path string }{
			{"GET", "/trainer/courses"},
			{"POST", "/trainer/courses"},
			{"GET", "/trainer/import"},
			{"POST", "/trainer/import"},
			{"POST", "/trainer/images"},
			{"GET", "/trainer/courses/desk-basics"},
			{"POST", "/trainer/courses/desk-basics/modules"},
			{"POST", "/trainer/courses/desk-basics/modules/" + file + "/rename"},
			{"POST", "/trainer/courses/desk-basics/modules/" + file + "/move"},
			{"GET", "/trainer/courses/desk-basics/files/" + file},
			{"POST", "/trainer/courses/desk-basics/files/" + file},
			{"POST", "/trainer/courses/desk-basics/files/" + file + "/preview"},
			{"GET", "/trainer/courses/desk-basics/files/" + file + "/gift"},
			{"POST", "/trainer/courses/desk-basics/files/" + file + "/gift"},
			{"GET", "/trainer/courses/desk-basics/gift"},
			{"GET", "/trainer/courses/desk-basics/versions"},
			{"GET", "/trainer/courses/desk-basics/diff?from=1&to=1"},
			{"POST", "/trainer/courses/desk-basics/versions/1/restore"},
			{"GET", "/trainer/courses/desk-basics/preview"},
			{"GET", "/trainer/courses/desk-basics/preview/greeting"},
			{"POST", "/trainer/courses/desk-basics/preview/greeting"},
			{"GET", "/trainer/courses/desk-basics/export"},
			{"GET", "/trainer/courses/desk-basics/stats"},
			{"POST", "/trainer/courses/desk-basics/publish"},
			{"POST", "/trainer/courses/desk-basics/modules/" + file + "/delete"},
			{"POST", "/trainer/courses/desk-basics/discard"},
			{"POST", "/trainer/courses/desk-basics/delete"},
		}
		call := func(a *trAuthor, method, path string) apptest.Response {
			if method == "GET" {
				return a.get(path)
			}
			return a.form(path, nil, false)
		}
		for _, role := range []auth.Role{"", auth.Learner, auth.Manager} {
			email := ""
			if role != "" {
				email = string(role) + "@example.com"
			}
			a := trNewAuthor(t, app, email)
			if role == "" {
				a.get("/login") // a CSRF cookie, so posts reach the role check
			}
			for _, r := range routes {
				res := call(a, r.method, r.path)
				switch {
				case role == "" && (res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/login")):
					t.Errorf("signed out %s %s: %d %s, want a redirect to sign in", r.method, r.path, res.Status, res.Location)
				case role != "" && res.Status != http.StatusForbidden:
					t.Errorf("%s %s %s: %d, want 403", role, r.method, r.path, res.Status)
				}
			}
		}
		for _, role := range []auth.Role{auth.Trainer, auth.Admin} {
			a := trNewAuthor(t, app, string(role)+"@example.com")
			for _, r := range routes {
				res := call(a, r.method, r.path)
				if res.Status == http.StatusForbidden || res.Status >= 500 || strings.HasPrefix(res.Location, "/login") {
					t.Errorf("%s %s %s: %d %s\n%.400s", role, r.method, r.path, res.Status, res.Location, res.Body)
				}
			}
		}
	})
}

const trBrokenQuestion = `---
title: Refunds
---
Check the receipt, then refund to the card used.

## Quiz

### A customer has no receipt. What do you do? {#no-receipt}

- [ ] Refuse: the policy needs a receipt
- [ ] Refund in cash
`

// trFixedQuestion is trBrokenQuestion with a right answer and an explanation:
// no errors and no warnings.
var trFixedQuestion = strings.Replace(trBrokenQuestion, "- [ ] Refund in cash", "- [x] Offer an exchange or store credit", 1) +
	"\n> Store credit keeps the customer and the shop whole without a receipt.\n"

// TestTrainerWritesChecksAndPublishesACourse goes through the authoring
// path over HTTP: create, autosave with a stale revision refused, preview,
// publish refused with errors then done, history, diff, restore, export and
// import, images, and a learner preview that records nothing.
func TestTrainerWritesChecksAndPublishesACourse(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Priya Raman", "priya@example.com", auth.Trainer, password)
		app.AddUser(t, "Olek Nowak", "olek@example.com", auth.Trainer, password)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		priya := trNewAuthor(t, app, "priya@example.com")

		res := priya.form("/trainer/courses", url.Values{"title": {"Refunds done right"}}, false)
		mustStatus(t, "create", res, http.StatusSeeOther)
		editor := res.Location
		if !strings.HasPrefix(editor, "/trainer/courses/refunds-done-right/files/") {
			t.Fatalf("create went to %q", editor)
		}
		mustStatus(t, "create twice", priya.form("/trainer/courses", url.Values{"title": {"Refunds done right"}}, false), http.StatusUnprocessableEntity)
		page := priya.get(editor)
		mustStatus(t, "editor", page, http.StatusOK)
		mustContain(t, "editor", page.Body, `id="source"`, `name="revision" id="revision" value="1"`, "/static/editor.js", "What would you do first?")

		// Autosave: revision 1 -> 2, problems with their line.
		out := trDecode(t, priya.form(editor, url.Values{"text": {trBrokenQuestion}, "revision": {"1"}}, true))
		if out["revision"] != float64(2) || out["errors"] != float64(1) {
			t.Fatalf("save = %v", out)
		}
		problems := out["problems"].([]any)
		if p := problems[0].(map[string]any); p["line"] != float64(8) || !strings.Contains(p["message"].(string), "no correct choice") {
			t.Fatalf("problem = %v", p)
		}
		// Olek saves from revision 1 too: refused, with Priya's text.
		olek := trNewAuthor(t, app, "olek@example.com")
		olek.get(editor)
		res = olek.form(editor, url.Values{"text": {"Olek's text"}, "revision": {"1"}}, true)
		mustStatus(t, "stale save", res, http.StatusConflict)
		if c := trDecode(t, res); c["theirs"] != trBrokenQuestion || c["by"] != "Priya Raman" || !strings.Contains(c["message"].(string), "Priya Raman saved this file") {
			t.Fatalf("conflict = %v", c)
		}
		// Publishing with an error is refused and names the line.
		res = priya.form("/trainer/courses/refunds-done-right/publish", url.Values{"note": {"first"}}, false)
		mustStatus(t, "publish broken", res, http.StatusUnprocessableEntity)
		mustContain(t, "publish broken", res.Body, "refunds-done-right/01-first-module.md:8", "no correct choice")

		// While the text has an error the preview still shows the lesson,
		// and the error is listed beside it.
		pv := trDecode(t, priya.form(editor+"/preview", url.Values{"text": {trBrokenQuestion}}, true))
		if pv["html"] == nil || !strings.Contains(pv["html"].(string), "Check the receipt") || pv["errors"] != float64(1) {
			t.Fatalf("preview of text with an error = %v", pv)
		}

		// The preview checks unsaved text and renders it with the lesson renderer.
		fixed := trFixedQuestion + "\n<script>alert(1)</script>\n"
		pv = trDecode(t, priya.form(editor+"/preview", url.Values{"text": {fixed}}, true))
		if pv["ok"] != true || !strings.Contains(pv["html"].(string), "Check the receipt") || strings.Contains(pv["html"].(string), "<script") {
			t.Fatalf("preview = %v", pv)
		}
		out = trDecode(t, priya.form(editor, url.Values{"text": {fixed}, "revision": {"2"}}, true))
		if out["errors"] != float64(0) {
			t.Fatalf("fixed save = %v", out)
		}

		// Preview as a learner: grading works and records nothing.
		mustContain(t, "learner preview", priya.get("/trainer/courses/refunds-done-right/preview/first-module").Body, "A customer has no receipt")
		res = priya.form("/trainer/courses/refunds-done-right/preview/first-module", url.Values{"q.no-receipt": {"00000000"}}, false)
		mustStatus(t, "preview quiz with a made-up choice", res, http.StatusBadRequest)

		res = priya.form("/trainer/courses/refunds-done-right/publish", url.Values{"note": {"First version"}, "material": {"on"}}, false)
		mustStatus(t, "publish", res, http.StatusSeeOther)
		v1, err := app.Store.LatestVersion(context.Background(), "refunds-done-right", "")
		if err != nil || v1.Origin != store.OriginEditor || !v1.Material || v1.Note != "First version" {
			t.Fatalf("version 1 = %+v, %v", v1, err)
		}
		mustContain(t, "versions", priya.get(res.Location).Body, "Version 1 is published", "Priya Raman", "First version", "material change")
		// The editor's address from before the publish leads to the new draft.
		res = priya.get(editor)
		mustStatus(t, "old editor address", res, http.StatusSeeOther)
		if res.Location != "/trainer/courses/refunds-done-right?moved=1" {
			t.Fatalf("old editor address went to %q", res.Location)
		}
		mustContain(t, "after the old address", priya.get(res.Location).Body, "was published since", "01-first-module.md")

		// A learner sees it.
		mei := app.Client(t)
		mei.SignIn("mei@example.com", password)
		mustContain(t, "learner dashboard", mei.Get("/").Body, "Refunds done right")
		mustContain(t, "learner module", mei.Get("/courses/refunds-done-right/first-module").Body, "Check the receipt")

		// Version 2, then the diff and a restore of version 1.
		page = priya.get("/trainer/courses/refunds-done-right")
		mustContain(t, "course page", page.Body, "Refunds", "Publish")
		d, _ := app.Store.DraftBySlug(context.Background(), "refunds-done-right")
		f := d.Files[0]
		out = trDecode(t, priya.form(fmt.Sprintf("/trainer/courses/refunds-done-right/files/%d", f.ID),
			url.Values{"text": {strings.Replace(f.Body, "Check the receipt", "Look at the receipt", 1)}, "revision": {fmt.Sprint(f.Revision)}}, true))
		if out["errors"] != float64(0) {
			t.Fatalf("edit = %v", out)
		}
		mustStatus(t, "publish 2", priya.form("/trainer/courses/refunds-done-right/publish", url.Values{"note": {"wording"}}, false), http.StatusSeeOther)
		diff := priya.get("/trainer/courses/refunds-done-right/diff?from=1&to=2")
		mustStatus(t, "diff", diff, http.StatusOK)
		mustContain(t, "diff", diff.Body, "01-first-module.md", `diff-line del`, "Check the receipt, then", `diff-line add`, "Look at the receipt, then")
		mustStatus(t, "restore", priya.form("/trainer/courses/refunds-done-right/versions/1/restore", nil, false), http.StatusSeeOther)
		v3, _ := app.Store.LatestVersion(context.Background(), "refunds-done-right", "")
		if v3.Number != 3 || v3.Origin != store.OriginRestore || v3.Hash != v1.Hash {
			t.Fatalf("restored = %+v", v3)
		}
		mustContain(t, "learner after restore", mei.Get("/courses/refunds-done-right/first-module").Body, "Check the receipt")

		// Export is a zip in the content/ layout; importing it changes nothing.
		exp := priya.get("/trainer/courses/refunds-done-right/export")
		mustStatus(t, "export", exp, http.StatusOK)
		zr, err := zip.NewReader(strings.NewReader(exp.Body), int64(len(exp.Body)))
		if err != nil || len(zr.File) != 2 || zr.File[0].Name != "refunds-done-right/01-first-module.md" || zr.File[1].Name != "refunds-done-right/course.md" {
			t.Fatalf("export zip: %v", err)
		}
		res = priya.upload("/trainer/import", "zip", "refunds.zip", []byte(exp.Body), nil)
		mustStatus(t, "import", res, http.StatusOK)
		mustContain(t, "import", res.Body, "Already up to date: refunds-done-right")

		// Images: a PNG is stored and served for good; an SVG is refused.
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
		res = priya.upload("/trainer/images", "image", "photo.svg", png, url.Values{"alt": {"A till"}})
		mustStatus(t, "upload", res, http.StatusOK)
		img := trDecode(t, res)
		if !strings.HasPrefix(img["markdown"].(string), "![A till](/media/") || img["type"] != "image/png" {
			t.Fatalf("upload = %v", img)
		}
		got := mei.Get(img["url"].(string))
		if got.Status != http.StatusOK || got.Header.Get("Content-Type") != "image/png" || !strings.Contains(got.Header.Get("Cache-Control"), "immutable") || got.Body != string(png) {
			t.Fatalf("image: %d %v", got.Status, got.Header)
		}
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`)
		mustStatus(t, "svg upload", priya.upload("/trainer/images", "image", "x.png", svg, nil), http.StatusBadRequest)
		// An image over the limit is refused with the limit in the message,
		// whether the request body limit or the image limit stops it.
		big := append(append([]byte{}, png...), make([]byte, 3<<19)...)
		res = priya.upload("/trainer/images", "image", "big.png", big, nil)
		mustStatus(t, "big upload", res, http.StatusRequestEntityTooLarge)
		if msg, _ := trDecode(t, res)["error"].(string); !strings.Contains(msg, "at most 1 MB") {
			t.Errorf("a too large image is told %q, want the limit", msg)
		}

		// Statistics render from SQL counts, and the audit log has every publish.
		mustContain(t, "stats", priya.get("/trainer/courses/refunds-done-right/stats").Body, "A customer has no receipt", "Median time")
		audit, _ := app.Store.AuditFor(context.Background(), "refunds-done-right", 20)
		var actions []string
		for _, e := range audit {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"course.create", "course.publish", "course.restore"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit lacks %s: %v", want, actions)
			}
		}
		// The learner preview wrote no attempt.
		var n int
		if err := db.R.NewSelect().TableExpr("attempts").ColumnExpr("COUNT(*)").Scan(context.Background(), &n); err != nil || n != 0 {
			t.Fatalf("attempts after previews: %d, %v", n, err)
		}
	})
}
