package apptest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Phone is the viewport browser tests use: a common phone held upright.
const (
	PhoneWidth  = 390
	PhoneHeight = 844
)

// BrowserTimeout bounds a whole browser test, start-up included: a stuck
// page fails the test instead of hanging the run.
const BrowserTimeout = 60 * time.Second

// browserNames are the executables tried, in order. Debian ships chromium.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// Browser starts a headless Chromium of the test's own, with a fresh profile
// and a phone-sized viewport, and returns the context of its one tab: pass it
// to chromedp.Do and chromedp.Run. The context ends after BrowserTimeout.
//
// Without an installed browser the test is skipped, unless
// FRONTLINE_TEST_BROWSER=1 (CI sets it), where a missing browser is a
// failure. The browser never downloads anything: it is the system's.
//
// Every JavaScript dialog (alert, confirm, prompt) is dismissed and fails the
// test, and so does every console error, uncaught exception and browser log
// error: our pages have no reason to raise either, and an alert is what an
// XSS payload does first.
func Browser(t *testing.T) context.Context {
	t.Helper()
	return BrowserFor(t, BrowserTimeout)
}

// BrowserFor is Browser for a test that walks many pages and needs longer
// than BrowserTimeout (the page gallery, the accessibility sweep): the
// context ends after timeout.
func BrowserFor(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := browserPath()
	if path == "" {
		msg := "no Chromium found (tried " + strings.Join(browserNames, ", ") + "); install Debian's chromium to run browser tests"
		if os.Getenv("FRONTLINE_TEST_BROWSER") == "1" {
			t.Fatal(msg + " (FRONTLINE_TEST_BROWSER=1 requires one)")
		}
		t.Skip(msg)
	}

	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(PhoneWidth, PhoneHeight),
	)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	// Cleanups run last-in first-out: report, then close the tab, then stop
	// the browser and wait for it, before TempDir removes its profile.
	t.Cleanup(cancelTimeout)
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelTab)

	// The first Do starts the browser: its life is bound to ctx.
	if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(PhoneWidth, PhoneHeight,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}

	w := &watch{}
	if err := chromedp.Listen(tabCtx, w.event(tabCtx)); err != nil {
		t.Fatalf("listen to the browser: %v", err)
	}
	t.Cleanup(func() {
		for _, p := range w.seen() {
			t.Errorf("browser: %s", p)
		}
	})
	return tabCtx
}

// browserPath finds the system's Chromium or Chrome, or returns "".
func browserPath() string {
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// watch collects what the page must never do. Listen calls event on the
// tab's read loop, before the reply to the command that caused it, so a
// problem is recorded by the time the step that caused it returns.
type watch struct {
	mu       sync.Mutex
	problems []string
}

func (w *watch) add(format string, args ...any) {
	w.mu.Lock()
	w.problems = append(w.problems, fmt.Sprintf(format, args...))
	w.mu.Unlock()
}

func (w *watch) seen() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

func (w *watch) event(ctx context.Context) func(any) {
	return func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			w.add("JavaScript %s dialog opened on %s: %q", ev.Type, ev.URL, ev.Message)
			// A dialog blocks the page until it is answered; the listener may
			// not send commands, so answer from another goroutine.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			w.add("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				w.add("console.%s: %s", ev.Type, consoleArgs(ev.Args))
			}
		case *log.EventEntryAdded:
			// The browser asks for /favicon.ico on its own, whenever it likes;
			// its 404 says nothing about the page and would make tests flaky.
			// A 422 is the app's answer to an unfinished form, sent back as a
			// page to correct; Chromium logs it like any failed load, and the
			// test that sends one checks the status itself.
			// A 503 from /login is sign-in turned away during a rush, with
			// Retry-After; the page tries again by itself.
			// A 401 from /passkey/signin is a passkey that signs nobody in
			// (removed, say): passkey.js shows the answer's message.
			if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && !isFavicon(e.URL) &&
				!(e.Source == log.EntrySourceNetwork && strings.Contains(e.Text, "status of 401") && isPath(e.URL, "/passkey/signin")) &&
				!(e.Source == log.EntrySourceNetwork && strings.Contains(e.Text, "status of 422")) &&
				!(e.Source == log.EntrySourceNetwork && strings.Contains(e.Text, "status of 503") && isSignIn(e.URL)) {
				w.add("browser log (%s) %s: %s", e.Source, e.URL, e.Text)
			}
		}
	}
}

func isSignIn(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && u.Path == "/login"
}

func isPath(rawURL, path string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && u.Path == path
}

func isFavicon(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && u.Path == "/favicon.ico"
}

func consoleArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}
