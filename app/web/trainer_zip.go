package web

import (
	"bytes"
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
)

// trainerExport sends a course as a zip in the content/ layout: the
// published version, or the draft with ?draft=1.
func (s *Server) trainerExport(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	files, err := s.Catalog.SourceFiles(ctx(c), slug, c.Query("draft") == "1")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := catalog.WriteZip(&buf, slug, files, s.Now()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+slug+`.zip"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

type trainerImportPage struct {
	Problems []trainerProblem
	Report   *catalog.ZipReport
}

func (s *Server) trainerImportShow(c *fiber.Ctx) error {
	return s.render(c, "trainer_import", "Import courses", trainerImportPage{})
}

// trainerImportSubmit imports a zip of course folders: all of it when every
// course checks out, nothing otherwise.
func (s *Server) trainerImportSubmit(c *fiber.Ctx) error {
	fh, err := c.FormFile("zip")
	if err != nil {
		return badRequest{"Choose a .zip file to import."}
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return err
	}
	rep, err := s.Catalog.ImportZip(ctx(c), data, trainerActor(c), s.Now())
	var inv *catalog.InvalidError
	if errors.As(err, &inv) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "trainer_import", "Import courses", trainerImportPage{Problems: trainerProblems("", nil, inv.Problems)})
	} else if err != nil {
		return err
	}
	return s.render(c, "trainer_import", "Import courses", trainerImportPage{Report: &rep})
}
