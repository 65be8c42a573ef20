package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/courses"
)

// TestPageGallery renders every page state a person can reach, in the
// organisation TestEveryViewRendersEveryState builds, to PNG at 1,280 and
// 390 px wide, and the learner's pages in the dark scheme too, so a reviewer
// sees every page at once. It takes a few minutes, so it runs only when
// FRONTLINE_GALLERY names a folder:
//
//	FRONTLINE_GALLERY=$PWD/docs/screenshots go test ./app/web -run TestPageGallery
//
// Each page must answer and render; the files are named person-page-width.
func TestPageGallery(t *testing.T) {
	dir := os.Getenv("FRONTLINE_GALLERY")
	if dir == "" {
		t.Skip("FRONTLINE_GALLERY is not set: no gallery")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	o := newStateOrg(t, apptest.NewSQLite(t))
	team := func(id int64) string { return "/manage/teams/" + strconv.FormatInt(id, 10) }
	type shot struct{ name, path string }
	// person signs in and takes shots; dark adds the phone width in the dark scheme.
	type person struct {
		email string
		shots []shot
		dark  bool
	}
	var people []person
	for _, st := range []courses.Status{courses.NotStarted, courses.InProgress, courses.Completed, courses.DueSoon, courses.Overdue} {
		people = append(people, person{o.people[st].Email, []shot{{"dashboard", "/"}, {"course", "/courses/desk-basics"}}, st == courses.InProgress})
	}
	people = append(people,
		person{"ines@example.com", []shot{{"module-quiz", "/courses/desk-basics/greeting"}, {"result-not-passed", o.attempt}}, true},
		person{"dev@example.com", []shot{{"refresher", "/refresher/desk-basics"}, {"refresher-result", o.refresh}, {"practice", "/practice"}}, false},
		person{"zoe@example.com", []shot{{"certificate", o.certs["zoe"]}, {"settings", "/settings"}}, true},
		person{o.expired.Email, []shot{{"certificate-expired", o.certs["eli"]}}, false},
		person{"nora@example.com", []shot{{"manage", "/manage"}, {"team-due", team(o.north.ID) + "/due"}, {"summary", "/manage/summary"}}, false},
		person{"tara@example.com", []shot{{"trainer-courses", "/trainer/courses"}, {"trainer-course", "/trainer/courses/desk-basics"},
			{"trainer-versions", "/trainer/courses/desk-basics/versions"}, {"trainer-stats", "/trainer/courses/desk-basics/stats"}}, false},
		person{"admin@example.com", []shot{{"team-matrix", team(o.acme.ID)}, {"person", "/manage/people/" + strconv.FormatInt(o.expired.ID, 10)},
			{"people", "/admin/people"}, {"org-chart", "/admin/teams"}, {"import", "/admin/import"}, {"outbox", "/admin/outbox"}, {"audit", "/admin/audit"}}, false},
	)

	tab := &tab{t: t, ctx: apptest.BrowserFor(t, 10*time.Minute), dir: t.TempDir()}
	take := func(who, name string, width int64, dark bool) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
		defer cancel()
		scheme := "light"
		if dark {
			scheme = "dark"
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		file := fmt.Sprintf("%s-%s-%d", who, name, width)
		if dark {
			file += "-dark"
		}
		if err := os.WriteFile(filepath.Join(dir, file+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	visit := func(path string, width int64) {
		t.Helper()
		tab.step("viewport", chromedp.EmulateViewport(width, 900))
		ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
		defer cancel()
		res, err := chromedp.RunResponse(ctx, chromedp.Navigate(o.app.URL+path))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if res.Status != 200 {
			t.Fatalf("%s answered %d", path, res.Status)
		}
	}

	tab.follow("the sign-in page", chromedp.Navigate(o.app.URL+"/login"))
	for _, w := range []int64{1280, apptest.PhoneWidth} {
		visit("/login", w)
		take("anyone", "sign-in", w, false)
		visit("/verify", w)
		take("anyone", "verify", w, false)
	}
	for _, l := range people {
		tab.step("viewport", chromedp.EmulateViewport(apptest.PhoneWidth, apptest.PhoneHeight))
		trSignIn(tab, o.app, l.email)
		who := l.email[:len(l.email)-len("@example.com")]
		for _, s := range l.shots {
			for _, w := range []int64{1280, apptest.PhoneWidth} {
				visit(s.path, w)
				take(who, s.name, w, false)
				if l.dark && w == apptest.PhoneWidth {
					take(who, s.name, w, true)
				}
			}
		}
		tab.step("viewport", chromedp.EmulateViewport(apptest.PhoneWidth, apptest.PhoneHeight))
		trSignOut(tab)
	}
}
