package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/store"
)

// trainerModule is one module file of a draft as the course page lists it.
type trainerModule struct {
	ID    int64
	Name  string
	Slug  string
	Title string
}

// trainerCoursePage is a course's authoring home: its draft's modules and
// problems, publishing, and links to history, preview, export and numbers.
type trainerCoursePage struct {
	Slug          string
	Title         string
	Row           *store.Course // nil until first published
	Current       int           // the published version's number, 0 when none
	Draft         *store.Draft
	CourseFileID  int64
	Modules       []trainerModule
	Problems      []trainerProblem
	Errors        int
	Stale         bool // a version was published after the draft started
	PublishFailed bool
	Message       string
	Moved         bool // arrived from an editor address of a draft since published
}

func (s *Server) trainerCourseShow(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	return s.renderTrainerCourse(c, d, "", false)
}

func (s *Server) renderTrainerCourse(c *fiber.Ctx, d *store.Draft, msg string, failed bool) error {
	_, problems, err := s.Catalog.Check(ctx(c), d)
	if err != nil {
		return err
	}
	p := trainerCoursePage{Slug: d.Slug, Title: d.Title, Draft: d, Problems: trainerProblems(d.Slug, d, problems),
		Errors: len(problems.Errors()), Message: msg, PublishFailed: failed, Moved: c.Query("moved") == "1"}
	if row, err := s.Store.CourseAnyState(ctx(c), d.Slug); err == nil {
		p.Row = row
		if row.CurrentVersionID != 0 {
			if v, err := s.Store.Version(ctx(c), row.CurrentVersionID); err == nil {
				p.Current = v.Number
			}
			p.Stale = d.BaseVersionID != row.CurrentVersionID
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, f := range d.Files {
		if f.Name == catalog.CourseFile {
			p.CourseFileID = f.ID
			continue
		}
		p.Modules = append(p.Modules, trainerModule{ID: f.ID, Name: f.Name, Slug: catalog.ModuleSlug(f.Name), Title: catalog.FileTitle(f.Body)})
	}
	return s.render(c, "trainer_course", d.Title, p)
}

func (s *Server) trainerModuleAdd(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	title := clone(c.FormValue("title"))
	if title == "" {
		title = "New module"
	}
	id, err := s.Catalog.AddModule(ctx(c), d, title, trainerActor(c), s.Now())
	if err != nil {
		return err
	}
	return c.Redirect(trainerFileURL(d.Slug, id), fiber.StatusSeeOther)
}

func (s *Server) trainerModuleRename(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	f, err := trainerFileParam(c, d)
	if err != nil {
		return err
	}
	title := clone(c.FormValue("title"))
	if title == "" {
		return badRequest{"Give the module a title."}
	}
	if err := s.Catalog.RenameModule(ctx(c), d, f.ID, title, trainerActor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect(trainerCourseURL(d.Slug), fiber.StatusSeeOther)
}

func (s *Server) trainerModuleMove(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	f, err := trainerFileParam(c, d)
	if err != nil {
		return err
	}
	delta := 1
	if c.FormValue("dir") == "up" {
		delta = -1
	}
	if err := s.Catalog.MoveModule(ctx(c), d, f.ID, delta, trainerActor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect(trainerCourseURL(d.Slug), fiber.StatusSeeOther)
}

func (s *Server) trainerModuleDelete(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	f, err := trainerFileParam(c, d)
	if err != nil {
		return err
	}
	if f.Name == catalog.CourseFile {
		return badRequest{"course.md holds the course's settings and cannot be deleted."}
	}
	if err := s.Catalog.DeleteModule(ctx(c), d, f.ID, trainerActor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect(trainerCourseURL(d.Slug), fiber.StatusSeeOther)
}

// trainerPublish publishes the draft as the next version. A draft with
// errors is refused, with its problems on the page.
func (s *Server) trainerPublish(c *fiber.Ctx) error {
	d, err := s.draftOf(c)
	if err != nil {
		return err
	}
	note := clone(c.FormValue("note"))
	material := c.FormValue("material") == "on" || c.FormValue("material") == "true"
	v, err := s.Catalog.PublishDraft(ctx(c), d, note, material, trainerActor(c), s.Now())
	var inv *catalog.InvalidError
	if errors.As(err, &inv) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderTrainerCourse(c, d, "The course was not published: fix the errors below first.", true)
	} else if err != nil {
		return err
	}
	return c.Redirect(trainerCourseURL(d.Slug)+"/versions?published="+itoa(v.Number), fiber.StatusSeeOther)
}

// trainerDiscard throws the draft away; the published version stays.
func (s *Server) trainerDiscard(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	d, err := s.Store.DraftBySlug(ctx(c), slug)
	if err != nil {
		return err
	}
	if err := s.Catalog.DiscardDraft(ctx(c), d, trainerActor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect("/trainer/courses", fiber.StatusSeeOther)
}

// trainerArchive takes a published course away from learners.
func (s *Server) trainerArchive(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	if err := s.Catalog.Archive(ctx(c), slug, trainerActor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect("/trainer/courses", fiber.StatusSeeOther)
}
