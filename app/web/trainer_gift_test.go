package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses/gift"
)

// giftBank has an essay (skipped), a question whose name is an ID the
// course already uses, and a true/false question with feedback.
const giftBank = `// from Moodle
$CATEGORY: desk/notes

::Feelings:: How do you feel about notes? {}

::phone-and-guest:: Where are call-back promises written? {
	=In the shift notes#Yes: read them first.
	~On a sticky note
}

The shift notes can wait until the first quiet moment.{F#They tell you who was promised a call.#Right: read them before you start.}
`

func draftFile(t *testing.T, app *apptest.App, name string) store.DraftFile {
	t.Helper()
	d, err := app.Catalog.OpenDraft(context.Background(), "desk-basics", nil, app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range d.Files {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no %s in the draft", name)
	return store.DraftFile{}
}

func TestTrainerImportsGIFTIntoAModule(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Tara", "tara@example.com", auth.Trainer, password)
		a := trNewAuthor(t, app, "tara@example.com")
		notes := draftFile(t, app, "02-notes.md")
		path := fmt.Sprintf("/trainer/courses/desk-basics/files/%d/gift", notes.ID)

		editor := a.get(fmt.Sprintf("/trainer/courses/desk-basics/files/%d", notes.ID))
		mustContain(t, "editor", editor.Body, `href="`+path+`"`)
		form := a.get(path)
		mustStatus(t, "import form", form, http.StatusOK)
		mustContain(t, "import form", form.Body, `name="revision" value="1"`)

		// Nothing importable: the module is unchanged, the text comes back.
		res := a.form(path, url.Values{"gift": {"::Feelings:: How do you feel? {}"}, "revision": {"1"}}, false)
		mustStatus(t, "only an essay", res, http.StatusUnprocessableEntity)
		mustContain(t, "only an essay", res.Body, "No question could be imported", `Line 1: question &#34;Feelings&#34; is an essay question`, "::Feelings:: How do you feel? {}</textarea>")
		res = a.form(path, url.Values{"gift": {""}, "revision": {"1"}}, false)
		mustStatus(t, "nothing sent", res, http.StatusUnprocessableEntity)
		mustContain(t, "nothing sent", res.Body, "Paste GIFT questions")
		if f := draftFile(t, app, "02-notes.md"); f.Revision != 1 {
			t.Fatalf("a failed import saved the module: revision %d", f.Revision)
		}

		res = a.upload(path, "file", "bank.gift", []byte(giftBank), url.Values{"revision": {"1"}, "gift": {""}})
		mustStatus(t, "import", res, http.StatusOK)
		mustContain(t, "import", res.Body, "2 questions added to the draft", "Line 4: question &#34;Feelings&#34; is an essay question")
		f := draftFile(t, app, "02-notes.md")
		if f.Revision != 2 {
			t.Errorf("after the import the module is at revision %d, want 2", f.Revision)
		}
		for _, want := range []string{
			"Read the shift notes before you start: they tell you which guests were promised a call back.\n\n## Quiz\n\n",
			"### Where are call-back promises written? {#phone-and-guest-2}\n\n- [x] In the shift notes\n\n  Yes: read them first.\n\n- [ ] On a sticky note\n",
			"### The shift notes can wait until the first quiet moment. {#the-shift-notes-can-wait-until-the-first-quiet-moment} {fixed}\n\n- [ ] True\n\n  They tell you who was promised a call.\n\n- [x] False\n\n  Right: read them before you start.\n",
		} {
			if !strings.Contains(f.Body, want) {
				t.Errorf("the module lacks\n%s\nit reads:\n%s", want, f.Body)
			}
		}
		// The draft still checks out, so it can be published at once.
		course := a.get("/trainer/courses/desk-basics")
		mustStatus(t, "course page", course, http.StatusOK)
		pub := a.form("/trainer/courses/desk-basics/publish", url.Values{"note": {"Imported from Moodle"}}, false)
		if pub.Status != http.StatusSeeOther {
			t.Fatalf("publish after the import: %d\n%.600s", pub.Status, pub.Body)
		}

		// A stale revision imports nothing and keeps the text.
		notes = draftFile(t, app, "02-notes.md")
		path = fmt.Sprintf("/trainer/courses/desk-basics/files/%d/gift", notes.ID)
		res = a.form(path, url.Values{"gift": {"Q? {=a ~b}"}, "revision": {"0"}}, false)
		mustStatus(t, "stale import", res, http.StatusConflict)
		mustContain(t, "stale import", res.Body, "Someone saved this module", "Q? {=a ~b}</textarea>", fmt.Sprintf(`name="revision" value="%d"`, notes.Revision))

		// Questions go into a module, never course.md.
		settings := draftFile(t, app, "course.md")
		res = a.get(fmt.Sprintf("/trainer/courses/desk-basics/files/%d/gift", settings.ID))
		mustStatus(t, "course.md", res, http.StatusBadRequest)
	})
}

func TestTrainerExportsQuestionsAsGIFT(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Tara", "tara@example.com", auth.Trainer, password)
		a := trNewAuthor(t, app, "tara@example.com")
		mustContain(t, "course page", a.get("/trainer/courses/desk-basics").Body, `href="/trainer/courses/desk-basics/gift"`)
		res := a.get("/trainer/courses/desk-basics/gift")
		mustStatus(t, "export", res, http.StatusOK)
		if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="desk-basics.gift.txt"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		mustContain(t, "export", res.Body, "$CATEGORY: desk-basics/greeting\n", "::phone-and-guest::[markdown]", "\t~%50%Eye contact\n", "\t~%-100%Asking for the booking number before hello\n")
		im := gift.Parse(res.Body)
		if len(im.Questions) != 3 || len(im.Skipped) != 0 {
			t.Errorf("the export reads back as %d questions, skipped %v", len(im.Questions), im.Skipped)
		}

		// A draft with errors cannot be exported; the message says why.
		notes := draftFile(t, app, "02-notes.md")
		a.get(fmt.Sprintf("/trainer/courses/desk-basics/files/%d", notes.ID))
		save := a.form(fmt.Sprintf("/trainer/courses/desk-basics/files/%d", notes.ID), url.Values{"revision": {"1"}, "text": {"---\ntitle: Shift notes\n---\n## Quiz\n\n### Broken {#broken}\n\n- [ ] only\n"}}, true)
		mustStatus(t, "broken save", save, http.StatusOK)
		res = a.get("/trainer/courses/desk-basics/gift?draft=1")
		mustStatus(t, "export of a broken draft", res, http.StatusBadRequest)
		mustContain(t, "export of a broken draft", res.Body, "The draft has errors")
	})
}
