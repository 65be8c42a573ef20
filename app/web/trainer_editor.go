package web

import (
	"errors"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// trainerEditorPage is the editor of one file of a draft: the Markdown on
// one side, the preview on the other (below on a phone), problems beside.
type trainerEditorPage struct {
	Slug     string
	Title    string
	Heading  string // the file's title: the module's, or "Course settings"
	File     *store.DraftFileInfo
	Files    []trainerModule
	Problems []trainerProblem
	Preview  template.HTML
	Line     int // where the cursor starts (?line=)
	Stale    bool
}

// trainerPreview is what the preview pane renders: the course page for
// course.md, the lesson and quiz for a module, with the same HTML the
// learner's pages use.
type trainerPreview struct {
	Course *courses.Course
	Module *courses.Module // nil for course.md
}

func (s *Server) trainerEditorShow(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	f, err := trainerFileParam(c, d)
	if errors.Is(err, fiber.ErrNotFound) {
		// A publish ends a draft and its files; the next edit opens a new
		// draft. An editor address kept from before (a bookmark, the back
		// button) leads to the course's current draft, not a dead end.
		return c.Redirect("/trainer/courses/"+d.Slug+"?moved=1", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	info, err := s.Store.DraftFileByID(ctx(c), d.ID, f.ID)
	if err != nil {
		return err
	}
	course, problems, err := s.Catalog.Check(ctx(c), d)
	if err != nil {
		return err
	}
	p := trainerEditorPage{Slug: d.Slug, Title: d.Title, File: info, Problems: trainerProblems(d.Slug, d, problems)}
	p.Line, _ = strconv.Atoi(c.Query("line"))
	for _, df := range d.Files {
		t := catalog.FileTitle(df.Body)
		if df.Name == catalog.CourseFile {
			t = "Course settings"
		}
		p.Files = append(p.Files, trainerModule{ID: df.ID, Name: df.Name, Slug: catalog.ModuleSlug(df.Name), Title: t})
		if df.ID == f.ID {
			p.Heading = t
		}
	}
	if p.Heading == "" {
		p.Heading = f.Name
	}
	if row, err := s.Store.CourseAnyState(ctx(c), d.Slug); err == nil && row.CurrentVersionID != 0 {
		p.Stale = d.BaseVersionID != row.CurrentVersionID
	}
	if course == nil {
		// Errors stop a publish, not the preview: show what can be built.
		course, _ = courses.ParseDraft(d.Slug, catalog.DraftFiles(d))
	}
	html, err := s.trainerFragment("trainer_editor", "preview", previewOf(course, f.Name))
	if err != nil {
		return err
	}
	p.Preview = template.HTML(html) // built from sanitised fragments by html/template
	return s.render(c, "trainer_editor", p.Heading+" · "+d.Title, p)
}

func previewOf(course *courses.Course, file string) trainerPreview {
	p := trainerPreview{Course: course}
	for _, m := range course.Modules {
		if m.File == file {
			p.Module = m
		}
	}
	return p
}

// trainerFileSave is the editor's autosave. It answers JSON: the new
// revision and the problems, or 409 with the other person's text when the
// file changed since this editor loaded it.
func (s *Server) trainerFileSave(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	f, err := trainerFileParam(c, d)
	if err != nil && wantsJSON(c) {
		return c.Status(fiber.StatusConflict).JSON(fiber.Map{"conflict": true, "theirs": "", "revision": 0,
			"message": "This draft was published or discarded after you opened it, so your text was not saved. " +
				"Copy it from the editor, then open the course again and paste it in."})
	} else if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("revision"))
	if err != nil {
		return badRequest{"The save is missing its revision. Reload the editor."}
	}
	text := clone(c.FormValue("text"))
	saved, problems, err := s.Catalog.SaveFile(ctx(c), d, f.ID, base, text, trainerActor(c), s.Now())
	if errors.Is(err, store.ErrStale) && saved != nil {
		if !wantsJSON(c) {
			return fiber.NewError(fiber.StatusConflict, "Someone else saved this file after you opened it, so your text was not saved. Go back, copy your text, reload the editor and merge the two.")
		}
		who := saved.ByName
		if who == "" {
			who = "Someone"
		}
		return c.Status(fiber.StatusConflict).JSON(fiber.Map{
			"conflict": true,
			"message": who + " saved this file at " + saved.UpdatedAt.In(s.Config.Location).Format("15:04") +
				", after you opened it. Your text was not saved. Compare the two below, then keep yours or take theirs.",
			"theirs": saved.Body, "revision": saved.Revision, "by": saved.ByName,
		})
	} else if err != nil {
		return err
	}
	if !wantsJSON(c) { // the form without JavaScript
		return c.Redirect(trainerFileURL(d.Slug, f.ID), fiber.StatusSeeOther)
	}
	errs := len(problems.Errors())
	return c.JSON(fiber.Map{"revision": saved.Revision, "problems": trainerProblems(d.Slug, d, problems),
		"errors": errs, "warnings": len(problems) - errs,
		"savedAt": saved.UpdatedAt.In(s.Config.Location).Format("15:04:05")})
}

// trainerFilePreview checks and renders the text being typed, without
// saving it: the draft's other files as saved, this one as sent.
func (s *Server) trainerFilePreview(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	f, err := trainerFileParam(c, d)
	if err != nil {
		return err
	}
	files := catalog.DraftFiles(d)
	for i := range files {
		if files[i].Name == f.Name {
			files[i].Text = clone(c.FormValue("text"))
		}
	}
	// The preview goes on while there are errors (they are listed beside
	// it); only publishing needs a course without any.
	course, problems := courses.ParseDraft(d.Slug, files)
	out := fiber.Map{"ok": true, "problems": trainerProblems(d.Slug, d, problems), "errors": len(problems.Errors())}
	html, err := s.trainerFragment("trainer_editor", "preview", previewOf(course, f.Name))
	if err != nil {
		return err
	}
	out["html"] = html
	return c.JSON(out)
}
