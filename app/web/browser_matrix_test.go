package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// matrixGeometry is where the matrix's header row and first column sit
// after its region was scrolled down and right, relative to the region.
type matrixGeometry struct {
	Region     bool    `json:"region"` // a focusable region with a name
	Name       string  `json:"name"`
	ScrollTop  float64 `json:"scrollTop"`
	ScrollLeft float64 `json:"scrollLeft"`
	HeadTop    float64 `json:"headTop"`   // a header cell's top
	FirstLeft  float64 `json:"firstLeft"` // a person cell's left
	PageWidth  int     `json:"pageWidth"` // the document's scrollWidth
}

const measureMatrix = `(() => {
  const w = document.querySelector(".matrix-wrap");
  w.scrollTop = 400; w.scrollLeft = 300;
  const r = w.getBoundingClientRect();
  const head = w.querySelector("thead th:nth-child(2)").getBoundingClientRect();
  const first = w.querySelector("tbody tr:nth-child(15) th").getBoundingClientRect();
  const label = document.getElementById(w.getAttribute("aria-labelledby"));
  return JSON.stringify({region: w.getAttribute("role") === "region" && w.tabIndex === 0, name: label ? label.textContent : "",
    scrollTop: w.scrollTop, scrollLeft: w.scrollLeft, headTop: head.top - r.top, firstLeft: first.left - r.left,
    pageWidth: document.documentElement.scrollWidth});
})()`

// TestBrowserManagerMatrixStaysReadableAndAssignFormKeepsMistakes: a
// manager's matrix of 30 people and three courses scrolls inside its own
// focusable region, at 1,280 and at 390 px, with the header row and the
// people column staying in view and the page never scrolling sideways; an
// assignment with a bad number of days comes back on the same form, the
// message beside the field and the number kept, and once corrected assigns.
func TestBrowserManagerMatrixStaysReadableAndAssignFormKeepsMistakes(t *testing.T) {
	content := twoCourses()
	for k, v := range greetingCourse {
		content[k] = v
	}
	mustBeValid(t, fstest.MapFS(content))
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: content})
	ctx := context.Background()
	desk, err := app.Store.CreateTeam(ctx, 0, "Front desk", app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	nora := app.AddUser(t, "Nora Lindqvist", "nora@example.com", auth.Manager, password)
	if err := app.Store.SetManager(ctx, desk.ID, nora.ID, true, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		// Invited, no password: hashing 30 would only slow the test.
		u := &store.User{Name: fmt.Sprintf("Learner number %02d with a long name", i), Email: fmt.Sprintf("l%02d@example.com", i),
			Role: string(auth.Learner), Active: true, CreatedAt: app.Clock.Now()}
		if err := app.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := app.Store.SetTeam(ctx, u.ID, desk.ID, app.Clock.Now(), app.Config.Location); err != nil {
			t.Fatal(err)
		}
	}
	// Two widths and 30 rows take longer than one phone page.
	b := &tab{t: t, ctx: apptest.BrowserFor(t, 3*time.Minute), dir: t.TempDir()}
	trSignIn(b, app, "nora@example.com")
	team := fmt.Sprintf("%s/manage/teams/%d", app.URL, desk.ID)

	check := func(width string, horizontal bool) {
		t.Helper()
		var g matrixGeometry
		if err := json.Unmarshal([]byte(run[string](b, measureMatrix)), &g); err != nil {
			t.Fatal(err)
		}
		if !g.Region || g.Name == "" {
			t.Errorf("%s px: the matrix's scrolling region is not a focusable, named region: %+v", width, g)
		}
		if g.ScrollTop < 100 || g.HeadTop < 0 || g.HeadTop > 2 {
			t.Errorf("%s px: scrolled %v down, the header row is %v px below the region's top, want it stuck there", width, g.ScrollTop, g.HeadTop)
		}
		if horizontal && (g.ScrollLeft < 100 || g.FirstLeft < 0 || g.FirstLeft > 2) {
			t.Errorf("%s px: scrolled %v right, the people column is %v px from the region's left, want it stuck there", width, g.ScrollLeft, g.FirstLeft)
		}
		b.screenshot("matrix-" + width)
	}

	// A phone: the region scrolls both ways, the page not at all.
	b.follow("open the team", chromedp.Navigate(team))
	b.wantText("table.matrix", "Learner number 00", "Desk basics", "Greeting customers", "Phone basics")
	check("390", true)

	// A laptop: the matrix uses the width of the screen.
	b.step("widen to 1,280 px", chromedp.EmulateViewport(1280, 800))
	b.step("reload", chromedp.Reload())
	if w := run[float64](b, `document.querySelector(".matrix-wrap").getBoundingClientRect().width`); w < 1100 {
		t.Errorf("at 1,280 px the matrix is %v px wide, want the width of the screen", w)
	}
	check("1280", false)
	if w := run[int](b, `document.documentElement.scrollWidth`); w > 1280 {
		t.Errorf("at 1,280 px the page scrolls sideways: %d", w)
	}

	// A mistake in the assignment form, at phone size.
	b.step("back to a phone", chromedp.EmulateViewport(apptest.PhoneWidth, apptest.PhoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.follow("reload at phone size", chromedp.Reload())
	b.step("type too many days", chromedp.SendKeys(chromedp.CSS("#a-days"), "9999"))
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`form.assign-form button[type="submit"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 422 {
		t.Fatalf("a bad form answered %d, want 422", res.Status)
	}
	b.fitsPhone()
	b.wantText("#assign-error", "Nothing was assigned")
	b.wantText("#a-days + .field-error", "The number of days must be between 1 and 3650.")
	if got := run[string](b, `document.getElementById("a-days").value + " " + document.getElementById("a-days").getAttribute("aria-invalid")`); got != "9999 true" {
		t.Errorf("days field after the mistake: %q, want the number typed, marked invalid", got)
	}
	b.screenshot("assign-error")
	b.step("correct the days", chromedp.Evaluate[chromedp.Void](`document.getElementById("a-days").value = ""`), chromedp.SendKeys(chromedp.CSS("#a-days"), "14"))
	b.follow("assign", chromedp.Click(chromedp.CSS(`form.assign-form button[type="submit"]`)))
	b.wantText("main", "Assigned to 30 people")
}
