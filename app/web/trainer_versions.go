package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/store"
)

type trainerVersionsPage struct {
	Slug      string
	Title     string
	Row       *store.Course
	Versions  []store.VersionInfo
	Published int // the number just published, to confirm it
	Audit     []store.AuditEntry
}

func (s *Server) trainerVersions(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	row, err := s.Store.CourseAnyState(ctx(c), slug)
	if err != nil {
		return err
	}
	vs, err := s.Store.Versions(ctx(c), row.ID)
	if err != nil {
		return err
	}
	audit, err := s.Store.AuditFor(ctx(c), slug, 50)
	if err != nil {
		return err
	}
	p := trainerVersionsPage{Slug: slug, Title: row.Title, Row: row, Versions: vs, Audit: audit}
	p.Published, _ = strconv.Atoi(c.Query("published"))
	return s.render(c, "trainer_versions", "Versions · "+row.Title, p)
}

type trainerDiffPage struct {
	Slug     string
	Title    string
	From, To int
	Versions []store.VersionInfo
	Files    []catalog.FileDiff
}

// trainerDiff shows a line diff of two versions, file by file.
func (s *Server) trainerDiff(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	row, err := s.Store.CourseAnyState(ctx(c), slug)
	if err != nil {
		return err
	}
	vs, err := s.Store.Versions(ctx(c), row.ID)
	if err != nil {
		return err
	}
	from, errF := strconv.Atoi(c.Query("from"))
	to, errT := strconv.Atoi(c.Query("to"))
	if errF != nil || errT != nil {
		return badRequest{"Choose two versions to compare."}
	}
	a, err := s.Store.VersionByNumber(ctx(c), row.ID, from)
	if err != nil {
		return err
	}
	b, err := s.Store.VersionByNumber(ctx(c), row.ID, to)
	if err != nil {
		return err
	}
	fa, err := catalog.VersionFiles(a)
	if err != nil {
		return err
	}
	fb, err := catalog.VersionFiles(b)
	if err != nil {
		return err
	}
	return s.render(c, "trainer_diff", "Compare versions · "+row.Title, trainerDiffPage{Slug: slug, Title: row.Title,
		From: from, To: to, Versions: vs, Files: catalog.DiffFiles(fa, fb, 3)})
}

// trainerRestore publishes an old version's text as a new version.
func (s *Server) trainerRestore(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("number"))
	if err != nil {
		return fiber.ErrNotFound
	}
	material := c.FormValue("material") == "on" || c.FormValue("material") == "true"
	v, err := s.Catalog.Restore(ctx(c), slug, n, clone(c.FormValue("note")), material, trainerActor(c), s.Now())
	if err != nil {
		return err
	}
	return c.Redirect(trainerCourseURL(slug)+"/versions?published="+itoa(v.Number), fiber.StatusSeeOther)
}
