package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// Browser tests of the trainer's path: writing a course in the editor,
// restoring a version, and Markdown that must never run script.

func trSignIn(b *tab, app *apptest.App, email string) {
	b.t.Helper()
	b.follow("open the sign-in page", chromedp.Navigate(app.URL+"/login"))
	b.step("type "+email, chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.follow("sign in as "+email, chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
}

func trSignOut(b *tab) {
	b.t.Helper()
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
}

// trWaitFor polls a JavaScript condition until it holds (or the step times out).
func trWaitFor(b *tab, what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		b.t.Fatalf("waiting for %s (%s): %v\n%s", what, expr, err, b.text("main"))
	}
}

func trJSString(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}

// trTypeSource replaces the editor's text the way a paste does, then types a
// last newline with the keyboard, so the page sees real input.
func trTypeSource(b *tab, text string) {
	b.t.Helper()
	text = strings.TrimSuffix(text, "\n")
	run[bool](b, fmt.Sprintf(`(() => { const s = document.getElementById("source"); s.value = %s; s.focus(); s.setSelectionRange(s.value.length, s.value.length); return true })()`, trJSString(text)))
	b.step("type in the editor", chromedp.SendKeys(chromedp.CSS("#source"), "\n"))
}

// TestBrowserTrainerWritesACourseThatALearnerThenSees: a trainer creates a
// course, types a question with no correct answer, sees the error with its
// line, jumps to it, fixes it, sees the preview, publishes; a learner then
// finds the new course.
func TestBrowserTrainerWritesACourseThatALearnerThenSees(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	app.AddUser(t, "Priya Raman", "priya@example.com", auth.Trainer, password)
	app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, password)
	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}

	trSignIn(b, app, "priya@example.com")
	b.follow("open the course list", chromedp.Navigate(app.URL+"/trainer/courses"))
	b.wantText("table.trainer-courses", "Greeting customers", "version 1")
	b.screenshot("0-course-list")
	b.step("name the course", chromedp.SendKeys(chromedp.CSS("#course-title"), "Handling refunds"))
	b.follow("create the course", chromedp.Click(chromedp.CSS(`#new-course button[type="submit"]`)))
	b.wantPathPrefix("/trainer/courses/handling-refunds/files/")
	b.wantText("h1", "First module", "01-first-module.md")
	trWaitFor(b, "the starting preview", `document.querySelector("#preview h1") !== null`)

	trTypeSource(b, trBrokenQuestion)
	trWaitFor(b, "the error", `document.getElementById("problems").innerText.includes("no correct choice")`)
	b.wantText("#problems", "handling-refunds/01-first-module.md:8", "no correct choice")
	b.wantText("#preview-state", "once it has no errors")
	// "Saved" is not "done": the status line counts the problems (this
	// error, and the summary and introduction course.md still has from the
	// template) and the first one is on screen without scrolling, on a phone.
	trWaitFor(b, "the problem count", `(n => n > 1 && new RegExp("^Line \\d+, column \\d+ · Saved at .+ · " + n + " problems$").test(document.getElementById("editor-status").innerText.trim()))(document.querySelectorAll("#problems li").length)`)
	b.wantText("#first-problem", "handling-refunds/01-first-module.md:8", "no correct choice")
	if !run[bool](b, `window.scrollTo(0, 0), (r => r.top >= 0 && r.bottom <= innerHeight)(document.getElementById("first-problem").getBoundingClientRect())`) {
		t.Errorf("the first problem is below the fold: %s", run[string](b, `JSON.stringify(document.getElementById("first-problem").getBoundingClientRect())`))
	}
	b.screenshot("1-error")
	b.step("choose the problem", chromedp.Click(chromedp.CSS("#problems a.problem-link")))
	b.wantText("#cursor", "Line 8,")
	if got := run[string](b, `document.activeElement.id`); got != "source" {
		t.Fatalf("focus on %q after choosing the problem, want the editor", got)
	}

	trTypeSource(b, trFixedQuestion)
	trWaitFor(b, "no error", `!document.getElementById("problems").innerText.includes("no correct choice")`)
	trWaitFor(b, "only warnings left", `(n => n > 0 && document.getElementById("problem-count").innerText.trim() === "· " + n + (n === 1 ? " problem" : " problems"))(document.querySelectorAll("#problems li.warning").length)`)
	b.wantText("#first-problem", "handling-refunds/course.md:3", "warning", "template")
	trWaitFor(b, "the preview", `document.getElementById("preview").innerText.includes("A customer has no receipt")`)
	b.wantText("#preview", "Check the receipt", "Offer an exchange or store credit")
	trWaitFor(b, "the autosave", `document.getElementById("save-state").innerText.startsWith("Saved at")`)
	b.screenshot("2-fixed")

	// Work is in the database: a reload shows the saved text.
	b.follow("reload the editor", chromedp.Reload())
	if got := run[string](b, `document.getElementById("source").value`); !strings.Contains(got, "Offer an exchange") {
		t.Fatalf("after a reload the editor holds:\n%s", got)
	}

	b.follow("go to publish", chromedp.Click(b.linkText("Publish…")))
	b.wantText("#problems-title", "Checks")
	b.wantText("#problems", "warning", "new course template")
	b.wantNoText("#problems", "no correct choice")
	b.screenshot("3-course-page")
	b.step("write a note", chromedp.SendKeys(chromedp.CSS("#note"), "First version"))
	b.follow("publish", chromedp.Click(chromedp.CSS(`#publish button[type="submit"]`)))
	b.wantText("#published", "Version 1 is published")
	b.wantText("ol.versions", "Priya Raman", "the editor", "First version")
	b.screenshot("4-published")
	trSignOut(b)

	trSignIn(b, app, "amara@example.com")
	b.wantText("main", "Handling refunds")
	b.follow("open the new course", chromedp.Click(b.linkText("Handling refunds")))
	b.follow("open its module", chromedp.Click(chromedp.CSS(`ol.modules li:nth-child(1) a`)))
	b.wantText("article.lesson", "Check the receipt")
	b.wantText("section.quiz", "A customer has no receipt", "Offer an exchange or store credit")
	b.screenshot("5-learner")
}

// TestBrowserTrainerRestoresAnOldVersion: version 2 changed the lesson; the
// trainer compares it with version 1 and restores version 1 as version 3.
func TestBrowserTrainerRestoresAnOldVersion(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	app.AddUser(t, "Tomás Silva", "tomas@example.com", auth.Trainer, password)
	ctx := context.Background()
	d, err := app.Catalog.OpenDraft(ctx, "greeting-customers", nil, app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	f := d.Files[0]
	if _, _, err := app.Catalog.SaveFile(ctx, d, f.ID, f.Revision, strings.Replace(f.Body, "Look up, smile", "Wave from afar", 1), nil, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Catalog.PublishDraft(ctx, d, "a worse opening", false, nil, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}

	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	trSignIn(b, app, "tomas@example.com")
	b.follow("open the versions", chromedp.Navigate(app.URL+"/trainer/courses/greeting-customers/versions"))
	b.wantText("#v2", "Version 2", "current", "a worse opening")
	b.wantText("#v1", "content files")
	b.follow("compare 1 with 2", chromedp.Click(chromedp.CSS(`form.compare button`)))
	b.wantText("h1", "Version 1 → version 2")
	b.wantText(".diff-line.del", "Look up, smile")
	b.wantText(".diff-line.add", "Wave from afar")
	b.screenshot("1-diff")
	b.follow("back to the versions", chromedp.Click(b.linkText("Versions")))
	b.step("say why", chromedp.SendKeys(chromedp.CSS("#restore-note-1"), "back to the tested opening"))
	b.follow("restore version 1", chromedp.Click(chromedp.CSS(`#v1 form.restore button`)))
	b.wantText("#published", "Version 3 is published")
	b.wantText("#v3", "current", "a restore", "back to the tested opening", "Tomás Silva")
	b.wantText("ul.audit", "Restored: version 1 restored as version 3", "Published: version 3 from restore")
	b.screenshot("2-restored")
	b.follow("read the module as a learner", chromedp.Navigate(app.URL+"/courses/greeting-customers/greeting"))
	b.wantText("article.lesson", "Look up, smile")
	b.wantNoText("article.lesson", "Wave from afar")
}

// trXSSLesson tries every way we know to get script into a lesson.
const trXSSLesson = `---
title: Careful links
---
<script>alert("script tag")</script>

<img src="/static/app.css" onerror="alert('onerror')" onload="alert('onload')">

<svg onload="alert('svg')"><script>alert('svg script')</script></svg>

<a href="javascript:alert('html link')">html link</a>

[markdown link](javascript:alert('markdown%20link'))

[mixed case](JaVaScRiPt:alert('case'))

[entity](&#106;avascript:alert('entity'))

[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![data image](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=)

<iframe src="javascript:alert('iframe')"></iframe>

<div style="background:url(javascript:alert('style'))" onclick="alert('click')" onmouseover="alert('hover')">hover me</div>

<details open ontoggle="alert('toggle')"><summary>x</summary>y</details>

<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>

<form action="javascript:alert('form')"><button>go</button></form>

<object data="javascript:alert('object')"></object><embed src="javascript:alert('embed')">

Plain text after the attempts, still readable.

## Quiz

### Which link is safe? <img src=x onerror=alert('prompt')> {#safe-link}

- [x] One to [our help page](https://example.com/help)
- [ ] One to <a href="javascript:alert('choice')">this</a>

> <script>alert('explanation')</script> Only http and https links are kept.
`

// TestBrowserLessonMarkdownNeverRunsScript publishes a lesson full of XSS
// attempts through the editor and opens it as a learner: apptest's browser
// fails the test on any dialog, console error or exception, and the page is
// checked for anything that could run.
func TestBrowserLessonMarkdownNeverRunsScript(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	app.AddUser(t, "Priya Raman", "priya@example.com", auth.Trainer, password)
	app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, password)

	// Publish through the editor's HTTP endpoints.
	a := trNewAuthor(t, app, "priya@example.com")
	d, err := app.Catalog.OpenDraft(context.Background(), "greeting-customers", nil, app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	f := d.Files[0]
	editor := fmt.Sprintf("/trainer/courses/greeting-customers/files/%d", f.ID)
	a.get(editor)
	if out := trDecode(t, a.form(editor, url.Values{"text": {trXSSLesson}, "revision": {fmt.Sprint(f.Revision)}}, true)); out["errors"] != float64(0) {
		t.Fatalf("save = %v", out)
	}
	mustStatus(t, "publish", a.form("/trainer/courses/greeting-customers/publish", url.Values{"note": {"xss"}}, false), http.StatusSeeOther)

	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	// The trainer's editor preview puts server HTML into the page with
	// innerHTML: it must be as inert as the learner's page.
	trSignIn(b, app, "priya@example.com")
	d, _ = app.Catalog.OpenDraft(context.Background(), "greeting-customers", nil, app.Clock.Now())
	b.follow("open the editor", chromedp.Navigate(app.URL+fmt.Sprintf("/trainer/courses/greeting-customers/files/%d", d.Files[0].ID)))
	b.step("hover the preview", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#preview *").forEach(e => { e.dispatchEvent(new MouseEvent("mouseover", {bubbles: true})); e.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true})); })`))
	trTypeSource(b, strings.Replace(trXSSLesson, "Plain text after", "Typed again. Plain text after", 1))
	trWaitFor(b, "the live preview", `document.getElementById("preview").innerText.includes("Typed again.")`)
	b.trWantInert("#preview")
	trSignOut(b)

	trSignIn(b, app, "amara@example.com")
	b.follow("open the lesson", chromedp.Navigate(app.URL+"/courses/greeting-customers/greeting"))
	b.wantText("article.lesson", "Plain text after the attempts, still readable.", "markdown link")
	b.trWantInert("article.lesson")
	b.trWantInert("fieldset.question")
	// Hovering and clicking everything in the lesson runs nothing either
	// (links are clicked only when they lead nowhere).
	b.step("hover and click", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("article.lesson *").forEach(e => {
		e.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
		if (!(e instanceof HTMLAnchorElement && e.getAttribute("href"))) e.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
	})`))
	b.wantPath("/courses/greeting-customers/greeting")
	b.screenshot("learner")
}

// trWantInert checks that nothing under sel can run script: no script-capable
// elements, no event-handler attributes, no javascript: or data: URLs.
func (b *tab) trWantInert(sel string) {
	b.t.Helper()
	bad := run[[]string](b, fmt.Sprintf(`(() => {
		const out = [];
		document.querySelectorAll(%q).forEach(root => root.querySelectorAll("*").forEach(e => {
			const tag = e.tagName.toLowerCase();
			if (["script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta", "link"].includes(tag)) out.push("element " + tag);
			for (const at of e.attributes) {
				const v = at.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
				if (at.name.startsWith("on")) out.push(tag + " " + at.name);
				if (at.name === "style") out.push(tag + " style");
				if (["href", "src", "action", "formaction", "data", "xlink:href"].includes(at.name) && (v.startsWith("javascript:") || v.startsWith("data:") || v.startsWith("vbscript:"))) out.push(tag + " " + at.name + "=" + at.value);
			}
		}));
		return out;
	})()`, sel))
	if len(bad) > 0 {
		b.t.Errorf("%s holds what could run script: %v", sel, bad)
	}
	if title := run[string](b, `document.title`); !strings.HasSuffix(title, "· Frontline") {
		b.t.Errorf("the page title changed to %q", title)
	}
}
