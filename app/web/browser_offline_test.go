package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// network switches the tab, and the service worker that controls it, off
// the network or back on, as DevTools' "Offline" does: requests fail and
// navigator.onLine follows (which fires the page's online/offline events).
func (b *tab) network(online bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	offline := !online
	var rules []*network.Conditions
	if offline {
		rules = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	// The worker fetches on its own connection, a target of its own: it
	// is switched too, as DevTools does.
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		b.t.Fatalf("list targets: %v", err)
	}
	// A session of its own each time: a worker that was stopped and started
	// again leaves the old session dead. Sessions still alive keep their
	// emulation, so each one made is switched, and a dead one is skipped.
	found := false
	for _, ti := range targets {
		if ti.Type == "service_worker" {
			// The session lives as long as the context of its first call:
			// the tab's, not a step's.
			w, _ := chromedp.NewContext(b.ctx, chromedp.WithTargetID(ti.TargetID))
			if _, err := chromedp.Call(w, network.Enable, network.EnableParams{}); err != nil {
				b.t.Fatalf("attach to the service worker: %v", err)
			}
			b.workers = append(b.workers, w)
			found = true
		}
	}
	if !found {
		b.t.Fatal("no service worker is running")
	}
	for _, w := range b.workers {
		c, cancel := context.WithTimeout(w, 3*time.Second)
		_, err := chromedp.Call(c, network.Enable, network.EnableParams{})
		cancel()
		if err != nil {
			continue // a session of a worker that stopped
		}
		b.emulate(w, offline, rules)
	}
	b.emulate(ctx, offline, rules)
}

func (b *tab) emulate(ctx context.Context, offline bool, rules []*network.Conditions) {
	b.t.Helper()
	{
		c, cancel := context.WithTimeout(ctx, stepTimeout)
		if _, err := chromedp.Call(c, network.Enable, network.EnableParams{}); err != nil {
			b.t.Fatalf("enable the network domain: %v", err)
		}
		if _, err := chromedp.Call(c, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline, MatchedNetworkConditions: rules}); err != nil {
			b.t.Fatalf("emulate offline=%t: %v", offline, err)
		}
		if _, err := chromedp.Call(c, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			b.t.Fatalf("navigator offline=%t: %v", offline, err)
		}
		cancel()
	}
}

// await polls an expression that yields a promise of a boolean until it is
// true, or fails the test at the step's deadline.
func (b *tab) await(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waiting for %s: %v (%s)\n%s", what, err, expr, b.text("main"))
		}
		// Let the page and its worker run between looks.
		ctx, cancel = context.WithTimeout(b.ctx, time.Second)
		_, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 100))`, chromedp.EvalAwaitPromise))
		cancel()
	}
}

const keptJS = `caches.open("frontline-pages-v1").then(c => c.match(location.origin + %q)).then(r => r !== undefined)`

// TestBrowserOfflineReadingAndQuiz: on a phone, a learner passes module 1
// online; the dashboard's next step (module 2, never opened) is kept on the
// device. Offline, module 2 opens from the device, and its quiz, submitted,
// is kept with a clear message. Back online it is sent by itself, once, and
// completes the course. Signing out leaves no page of theirs on the device.
func TestBrowserOfflineReadingAndQuiz(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	u := app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, password)
	tab := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	trSignIn(tab, app, "amara@example.com")
	tab.await("the service worker to control the page", `Promise.resolve(navigator.serviceWorker.controller !== null)`)
	if got := run[string](tab, `document.querySelector('link[rel="manifest"]').href`); got != app.URL+"/manifest.webmanifest" {
		t.Fatalf("manifest link %q", got)
	}

	tab.follow("open module 1", chromedp.Navigate(app.URL+"/courses/greeting-customers/greeting"))
	tab.choose("first-move", "Stop, turn to them and say hello")
	tab.choose("personal-greeting", "Using the name on their booking")
	tab.choose("personal-greeting", "Making eye contact")
	tab.follow("submit module 1", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantText("#result-actions a.button:first-child", "Next module: The last minute")

	tab.follow("back to the dashboard", chromedp.Navigate(app.URL+"/"))
	tab.wantText("#next-up", "Greeting customers", "Continue to module 2")
	tab.await("module 2 kept for offline reading", fmt.Sprintf(keptJS, "/courses/greeting-customers/closing"))
	// Keeping it is not opening it: module 2 has no view recorded.
	ps, err := app.Store.Progress(context.Background(), u.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ModuleSlug == "closing" {
			t.Fatalf("keeping module 2 for offline reading recorded a view: %+v", p)
		}
	}

	row, err := app.Store.CourseBySlug(context.Background(), "greeting-customers")
	if err != nil {
		t.Fatal(err)
	}
	courseID := row.ID
	tab.network(false)
	tab.follow("open module 2 offline", chromedp.Navigate(app.URL+"/courses/greeting-customers/closing"))
	tab.wantText("article.lesson", "check that everything they came for is done")
	tab.screenshot("1-offline-lesson")
	tab.choose("close-well", "Ask whether there is anything else, then thank them by name")
	tab.follow("submit module 2 offline", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantText("#offline-saved", "saved on this device, and will be sent when you are online")
	tab.screenshot("2-saved-offline")
	if as, err := app.Store.AttemptsOfUser(context.Background(), u.ID, courseID, 100); err != nil || len(as) != 1 {
		t.Fatalf("offline, the server has %d attempts (%v), want module 1's only", len(as), err)
	}

	tab.network(true)
	tab.await("the saved answers to be sent", `Promise.resolve(document.querySelector("#offline-status a") !== null)`)
	tab.wantText("#offline-status", "were sent")
	tab.follow("see the result", chromedp.Click(chromedp.CSS("#offline-status a")))
	tab.wantPathPrefix("/attempts/")
	tab.wantText("#course-complete", "Course completed", "View your certificate")
	tab.screenshot("3-sent-and-completed")
	if as, err := app.Store.AttemptsOfUser(context.Background(), u.ID, courseID, 100); err != nil || len(as) != 2 {
		t.Fatalf("after sending, %d attempts (%v), want 2", len(as), err)
	}

	trSignOut(tab)
	tab.await("every kept page gone", `caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys())))).then(ls => ls.every(l => l.every(r => !new URL(r.url).pathname.startsWith("/courses/") && new URL(r.url).pathname !== "/")))`)
}
