package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
)

// axeEnv names the file holding axe-core's source (axe.min.js). .ci/run
// installs axe-core with npm and sets it; the browser tests never fetch it.
const axeEnv = "FRONTLINE_AXE"

// axeTags are the rule sets checked: every WCAG 2.0, 2.1 and 2.2 rule at
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// widths are the two screens every page is checked on: a laptop and a phone.
var widths = []struct {
	name          string
	width, height int64
	mobile        bool
}{{"1280", 1280, 800, false}, {"390", apptest.PhoneWidth, apptest.PhoneHeight, true}}

// axeSource reads axe-core's source from the file FRONTLINE_AXE names. With
// FRONTLINE_TEST_BROWSER=1 (CI) a missing file fails the test: an
// accessibility check that quietly does not run is worse than none.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv(axeEnv)
	if path == "" {
		msg := axeEnv + " is not set: install axe-core (npm install --no-save --prefix DIR axe-core@4) and set it to DIR/node_modules/axe-core/axe.min.js"
		if os.Getenv("FRONTLINE_TEST_BROWSER") == "1" {
			t.Fatal(msg + " (FRONTLINE_TEST_BROWSER=1 requires it)")
		}
		t.Skip(msg)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", axeEnv, err)
	}
	return string(src)
}

// TestBrowserEveryPageIsAccessibleAndFits replays, in a real browser, every
// page TestEveryViewRendersEveryState renders by GET, as the person who saw
// it, at 1,280 and 390 px, and requires of each: zero axe-core violations of
// the WCAG 2.2 A and AA rules, and no sideways scrolling of the page itself.
// axe is injected through the DevTools protocol, which the page's CSP (no
// inline or foreign scripts) does not govern.
func TestBrowserEveryPageIsAccessibleAndFits(t *testing.T) {
	axe := axeSource(t)
	pages := everyPageState(t, apptest.NewSQLite(t))
	ctx := apptest.BrowserFor(t, 10*time.Minute)
	base := pages[0].client.Base()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	views := map[string]bool{}
	checked := 0
	for _, w := range widths {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
		if w.mobile {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height, opts...)); err != nil {
			t.Fatal(err)
		}
		var signedIn *apptest.Client
		for _, p := range pages {
			if p.status != 200 {
				// The browser logs a failed load as an error, which the
				// browser watch reports; error.html is checked through
				// the 200 pages that share its layout.
				continue
			}
			if p.client != signedIn {
				signIn(t, ctx, u, p.client)
				signedIn = p.client
			}
			where := fmt.Sprintf("%s at %s px (%s)", p.path, w.name, p.view)
			stepCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			res, err := chromedp.Run(stepCtx, chromedp.NavigateResponse(base+p.path))
			if err != nil {
				cancel()
				t.Fatalf("%s: %v", where, err)
			}
			if res.Status != 200 {
				t.Errorf("%s answered %d in the browser", where, res.Status)
			}
			if sw, err := chromedp.Run(stepCtx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil {
				t.Errorf("%s: %v", where, err)
			} else if sw > int(w.width) {
				t.Errorf("%s scrolls sideways: document scrollWidth %d > %d", where, sw, w.width)
			}
			for _, v := range runAxe(t, stepCtx, axe) {
				t.Errorf("%s: axe %s (%s): %s\n    %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
			}
			cancel()
			views[p.view] = true
			checked++
		}
	}
	t.Logf("checked %d page states (%d views) at %d widths", checked, len(views), len(widths))
	if len(views) < 25 {
		t.Errorf("only %d views checked: the walk lost pages", len(views))
	}
}

// signIn gives the browser the session c holds, and nothing else.
func signIn(t *testing.T, ctx context.Context, u *url.URL, c *apptest.Client) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, struct{}{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fl_session", "fl_csrf"} {
		v := c.Cookie(name)
		if v == "" {
			continue
		}
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: v, URL: u.String(), Path: "/"}); err != nil {
			t.Fatal(err)
		}
	}
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe injects axe (once per page: a navigation drops it) and returns the
// violations on the current page, each with the elements it names.
func runAxe(t *testing.T, ctx context.Context, src string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined" || (function(){`+src+`
;return true})()`)); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	tags, _ := json.Marshal(axeTags)
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]}).then(r =>
  JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe results: %v\n%s", err, out)
	}
	return vs
}
