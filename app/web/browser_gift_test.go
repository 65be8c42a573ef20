package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// TestBrowserTrainerImportsGIFTQuestions: from a module's editor a trainer
// opens the GIFT import, pastes a Moodle bank with an essay in it, sees
// what was skipped and why, and finds the imported question in the
// editor's preview.
func TestBrowserTrainerImportsGIFTQuestions(t *testing.T) {
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: fixture})
	app.AddUser(t, "Priya Raman", "priya@example.com", auth.Trainer, password)
	d, err := app.Catalog.OpenDraft(context.Background(), "desk-basics", nil, app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	var notes int64
	for _, f := range d.Files {
		if f.Name == "02-notes.md" {
			notes = f.ID
		}
	}
	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	trSignIn(b, app, "priya@example.com")
	b.follow("open the module's editor", chromedp.Navigate(fmt.Sprintf("%s/trainer/courses/desk-basics/files/%d", app.URL, notes)))
	b.follow("open the GIFT import", chromedp.Click(chromedp.CSS("#gift-import-link")))
	b.wantText("h1", "Import questions into 02-notes.md")
	b.step("paste a Moodle bank", chromedp.SendKeys(chromedp.CSS("#gift"),
		"::Mood:: How was your shift? {}\n\n::notes-first:: When do you read the shift notes? {=Before the shift starts#Yes. ~At the end of the shift#Too late. ####They list the promised call-backs.}"))
	b.fitsPhone()
	b.screenshot("gift-import")
	b.follow("import", chromedp.Click(chromedp.CSS(`form[action$="/gift"] button[type="submit"]`)))
	b.wantText("#gift-imported", "1 question added to the draft")
	b.wantText("#gift-skipped", "Line 1", "essay question")
	b.follow("back to the editor", chromedp.Click(b.linkText("Open the editor")))
	trWaitFor(b, "the imported question in the preview", `document.querySelector("#preview-q-notes-first") !== null`)
	b.wantText("#preview-q-notes-first", "When do you read the shift notes?", "Before the shift starts", "They list the promised call-backs.")
	trWaitFor(b, "the question's Markdown in the editor", `document.getElementById("source").value.includes("### When do you read the shift notes? {#notes-first}")`)
}
