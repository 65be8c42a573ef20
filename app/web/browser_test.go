package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/courses"
)

// greetingCourse is a small course in the shipped format: two modules, a
// single-answer and a multiple-answer question, every question explained.
var greetingCourse = fstest.MapFS{
	"greeting-customers/course.md": {Data: []byte(`---
title: Greeting customers
summary: Say hello, use their name, and close the conversation well.
refresher: 12 months
window: 30 days
pass: 80
---

A short course about the first and the last minute of every conversation.
`)},
	"greeting-customers/01-greeting.md": {Data: []byte(`---
title: The first minute
minutes: 3
---

Look up, smile and say hello before the customer has to ask for your attention.

## Quiz

### A customer walks up while you are stocking a shelf. What do you do first? {#first-move}

- [ ] Finish the shelf so nothing is left in the aisle
- [x] Stop, turn to them and say hello
- [ ] Point them towards the information desk

> A greeting first tells the customer they matter more than the task.

### Which of these make a greeting feel personal? {#personal-greeting}

- [x] Using the name on their booking
- [x] Making eye contact
- [ ] Reading the standard script word for word

> A name and eye contact show you see this person; a script shows you see a queue.
`)},
	"greeting-customers/02-closing.md": {Data: []byte(`---
title: The last minute
minutes: 2
---

Before the customer leaves, check that everything they came for is done.

## Quiz

### The customer has what they asked for. How do you close? {#close-well}

- [ ] Say "next, please" to the queue
- [x] Ask whether there is anything else, then thank them by name

> Asking once more catches the second problem before it becomes a second visit.
`)},
}

// TestBrowserLearnerCompletesCourse walks a learner's main path in a real
// browser at phone size: sign in, take a course, fail a quiz, retake it,
// finish the course, and see the refresher date on the dashboard.
func TestBrowserLearnerCompletesCourse(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, "a long enough password")
	tab := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}

	// Signing in.
	tab.follow("open the site", chromedp.Navigate(app.URL+"/"))
	tab.wantPath("/login")
	tab.step("type the email and password",
		chromedp.SendKeys(chromedp.CSS("#email"), "amara@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"))
	tab.follow("sign in", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	tab.wantPath("/")
	tab.wantText("h1", "Your courses")
	tab.wantText("li.course", "Greeting customers", "Not started")
	// A new starter is welcomed and shown where to start.
	tab.wantText("#next-up", "Welcome, Amara Osei", "Greeting customers", "Start")
	tab.screenshot("0-new-starter")

	// The course, then module 1.
	tab.follow("open the course", chromedp.Click(chromedp.CSS(`li.course h3 a`)))
	tab.wantText("h1", "Greeting customers")
	tab.follow("open module 1", chromedp.Click(chromedp.CSS(`ol.modules li:nth-child(1) a`)))
	tab.wantText("h1", "The first minute")
	tab.wantText("article.lesson", "Look up, smile and say hello")
	quiz := tab.html()
	if strings.Contains(quiz, "[x]") {
		t.Errorf("the quiz page before submission contains [x]")
	}
	if strings.Contains(quiz, "A greeting first tells") {
		t.Errorf("the quiz page before submission contains an explanation")
	}
	tab.screenshot("1-quiz")

	// Wrong answers: the single-answer question wrong, and only one of the
	// two right choices of the multiple-answer question.
	tab.choose("first-move", "Finish the shelf so nothing is left in the aisle")
	tab.choose("personal-greeting", "Making eye contact")
	tab.wantChecked(2)
	tab.follow("submit wrong answers", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantPathPrefix("/attempts/")
	tab.wantText("section.result", "Not passed yet", "0 of 2 right")
	tab.wantText("ol.answers", "A greeting first tells the customer they matter more than the task.",
		"A name and eye contact show you see this person")
	tab.screenshot("2-not-passed")

	// Retake, right this time.
	tab.follow("retake the quiz", chromedp.Click(tab.linkText("Retake the quiz")))
	tab.wantText("h1", "The first minute")
	tab.wantChecked(0)
	tab.choose("first-move", "Stop, turn to them and say hello")
	tab.choose("personal-greeting", "Using the name on their booking")
	tab.choose("personal-greeting", "Making eye contact")
	tab.wantChecked(3)
	tab.follow("submit right answers", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantText("section.result", "Passed", "2 of 2 right")
	tab.wantNoText("section.result", "Not passed")
	// The next step first, near the top; Retake second.
	tab.wantText("#result-actions a.button:first-child", "Next module: The last minute")
	tab.wantText("#result-actions a.button:nth-child(2)", "Retake the quiz")

	// The dashboard's next step is module 2, with no welcome now.
	tab.follow("the dashboard", chromedp.Navigate(app.URL+"/"))
	tab.wantText("#next-up", "Greeting customers", "1 of 2 modules done", "Continue to module 2")
	tab.wantNoText("#next-up", "Welcome")
	tab.follow("continue", chromedp.Click(chromedp.CSS(`#next-up a.next-action`)))
	tab.wantText("h1", "The last minute")

	// Module 2 completes the course.
	tab.wantText("article.lesson", "check that everything they came for is done")
	tab.choose("close-well", "Ask whether there is anything else, then thank them by name")
	tab.wantChecked(1)
	tab.follow("submit module 2", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantText("section.result", "Passed")
	// apptest's clock reads 10 Mar 2026 and the refresher is 12 months.
	tab.wantText("#course-complete", "Course completed", "10 Mar 2027")
	tab.screenshot("3-course-completed")

	// The dashboard agrees.
	tab.follow("back to my courses", chromedp.Click(tab.linkText("Back to my courses")))
	tab.wantPath("/")
	tab.wantText("main h2", "Completed")
	tab.wantText("li.course", "Greeting customers", "Completed", "next due 10 Mar 2027")
	tab.screenshot("4-dashboard")

	// The certificate prints on one sheet, A4 or Letter.
	tab.follow("open the certificate", chromedp.Click(chromedp.CSS(`li.course a.certificate-link`)))
	tab.wantText("#certificate", "Certificate of completion", "Amara Osei", "Greeting customers", "Valid until")
	tab.screenshot("5-certificate")
	for _, paper := range []struct {
		name string
		w, h float64 // inches
	}{{"A4", 8.27, 11.69}, {"Letter", 8.5, 11}} {
		if n := tab.printedPages(paper.w, paper.h); n != 1 {
			t.Errorf("the certificate prints on %d %s pages, want 1", n, paper.name)
		}
	}
	// On paper only the certificate: no site header, buttons or footer.
	ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if shown := run[string](tab, `["header.top", "p.actions", "footer.foot", "nav.crumbs"].filter(s => getComputedStyle(document.querySelector(s)).display !== "none").join(" ")`); shown != "" {
		t.Errorf("printed with the certificate: %s", shown)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
}

// printedPages prints the page as the browser's Print does (print styles,
// the given paper) and counts the pages, with poppler's pdfinfo; without it
// the test is skipped.
func (b *tab) printedPages(w, h float64) int {
	b.t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		b.t.Skip("pdfinfo not installed: printed pages are not counted")
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: w, PaperHeight: h})
	if err != nil {
		b.t.Fatalf("print: %v", err)
	}
	file := filepath.Join(b.dir, fmt.Sprintf("print-%.2fx%.2f.pdf", w, h))
	if err := os.WriteFile(file, res.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		b.t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		b.t.Fatalf("pdfinfo says no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// mustBeValid fails the test when the fixture itself is broken, so a change
// to the course format shows up here and not as a missing course.
func mustBeValid(t *testing.T, fsys fstest.MapFS) {
	t.Helper()
	loaded, err := courses.LoadTree(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range loaded {
		for _, p := range l.Problems.Errors() {
			t.Errorf("fixture: %s", p)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// stepTimeout bounds one step; apptest.BrowserTimeout bounds the whole test.
const stepTimeout = 15 * time.Second

// tab drives one browser tab and fails the test on the first step that does
// not work. Every page it arrives on is checked for horizontal scrolling.
type tab struct {
	t   *testing.T
	ctx context.Context
	dir string // where screenshots go
	// workers are DevTools sessions on service workers, kept so that
	// going back online reaches every session that was taken offline.
	workers []context.Context
}

// step runs actions that do not leave the page.
func (b *tab) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
}

// follow runs an action that loads a new page (a click on a link or a submit
// button), waits until that page has loaded and checks that it answered 200
// (after any redirect) and fits the phone's width.
func (b *tab) follow(name string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	if res.Status != 200 {
		b.t.Fatalf("%s: %s answered %d\n%s", name, res.URL, res.Status, b.text("main"))
	}
	b.fitsPhone()
}

// run evaluates a JavaScript expression on the current page.
func run[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *tab) fitsPhone() {
	b.t.Helper()
	w := run[int](b, `document.documentElement.scrollWidth`)
	if w > apptest.PhoneWidth {
		b.t.Errorf("%s scrolls sideways on a phone: scrollWidth %d > %d", run[string](b, `location.pathname`), w, apptest.PhoneWidth)
	}
}

func (b *tab) wantPath(want string) {
	b.t.Helper()
	if path := run[string](b, `location.pathname`); path != want {
		b.t.Fatalf("at %s, want %s\n%s", path, want, b.text("main"))
	}
}

func (b *tab) wantPathPrefix(prefix string) {
	b.t.Helper()
	if path := run[string](b, `location.pathname`); !strings.HasPrefix(path, prefix) {
		b.t.Fatalf("at %s, want %s…\n%s", path, prefix, b.text("main"))
	}
}

// text returns the visible text of every element matching the CSS selector,
// joined by newlines.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return run[string](b, fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.innerText).join("\n")`, sel))
}

func (b *tab) wantText(sel string, want ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Fatalf("%s on %s: want %q in\n%s", sel, run[string](b, `location.pathname`), w, got)
		}
	}
}

func (b *tab) wantNoText(sel, unwanted string) {
	b.t.Helper()
	if got := b.text(sel); strings.Contains(got, unwanted) {
		b.t.Errorf("%s: want no %q in\n%s", sel, unwanted, got)
	}
}

func (b *tab) html() string {
	b.t.Helper()
	return run[string](b, `document.documentElement.outerHTML`)
}

// choose clicks the label of the question's choice whose text is text, as a
// person would: choice values are opaque IDs.
func (b *tab) choose(questionID, text string) {
	b.t.Helper()
	xpath := fmt.Sprintf(`//fieldset[contains(@class,"question")][.//input[@name=%s]]//label[contains(@class,"choice")][normalize-space(.)=%s]`,
		xpathString("q."+questionID), xpathString(text))
	b.step(fmt.Sprintf("choose %q for %s", text, questionID), chromedp.Click(chromedp.Search(xpath)))
}

func (b *tab) wantChecked(n int) {
	b.t.Helper()
	if got := run[int](b, `document.querySelectorAll('fieldset.question input:checked').length`); got != n {
		b.t.Fatalf("%d choices checked, want %d", got, n)
	}
}

// linkText selects the link or button-styled link whose text is text.
func (b *tab) linkText(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//main//a[normalize-space(.)=%s]`, xpathString(text)))
}

// screenshot saves the whole page as a PNG in the test's temp folder and,
// when FRONTLINE_SCREENSHOTS names a folder, there too.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	file := strings.ToLower(b.t.Name()) + "-" + name + ".png"
	dirs := []string{b.dir}
	if d := os.Getenv("FRONTLINE_SCREENSHOTS"); d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dirs = append(dirs, d)
		}
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, file), png, 0o644); err != nil {
			b.t.Errorf("screenshot %s: %v", name, err)
		}
	}
}

// xpathString quotes s as an XPath string literal (the fixture's texts
// never hold both kinds of quote).
func xpathString(s string) string {
	if strings.Contains(s, `"`) {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}
