package web

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses/gift"
)

// trainerGIFTPage is the "import questions" form of one module of a draft,
// and what the last import did.
type trainerGIFTPage struct {
	Slug     string
	Title    string
	File     *store.DraftFile
	Text     string // what was pasted, kept when the import fails
	Error    string
	Report   *gift.Import
	Imported bool
}

func (s *Server) trainerGIFTForm(c *fiber.Ctx) (*store.Draft, *store.DraftFile, error) {
	d, err := s.draftOf(c)
	if err != nil {
		return nil, nil, err
	}
	f, err := trainerFileParam(c, d)
	if err != nil {
		return nil, nil, err
	}
	if f.Name == catalog.CourseFile {
		return nil, nil, badRequest{"Questions go into a module, not into the course settings: open a module and import there."}
	}
	return d, f, nil
}

func (s *Server) trainerGIFTShow(c *fiber.Ctx) error {
	d, f, err := s.trainerGIFTForm(c)
	if err != nil {
		return err
	}
	return s.render(c, "trainer_gift", "Import questions · "+d.Title, trainerGIFTPage{Slug: d.Slug, Title: d.Title, File: f})
}

// trainerGIFTImport adds the questions of a pasted or uploaded GIFT file to
// the module. Whatever goes wrong, the pasted text comes back in the form.
func (s *Server) trainerGIFTImport(c *fiber.Ctx) error {
	d, f, err := s.trainerGIFTForm(c)
	if err != nil {
		return err
	}
	p := trainerGIFTPage{Slug: d.Slug, Title: d.Title, File: f, Text: clone(c.FormValue("gift"))}
	src := p.Text
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		r, err := fh.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return err
		}
		src = string(b)
	}
	title := "Import questions · " + d.Title
	if src == "" {
		p.Error = "Paste GIFT questions into the box, or choose a GIFT file (.gift or .txt)."
		return s.render(c.Status(fiber.StatusUnprocessableEntity), "trainer_gift", title, p)
	}
	base, err := strconv.Atoi(c.FormValue("revision"))
	if err != nil {
		return badRequest{"The form is missing the module's revision. Open the import page again."}
	}
	p.Report, _, err = s.Catalog.ImportGIFT(ctx(c), d, f.ID, base, src, trainerActor(c), s.Now())
	switch {
	case errors.Is(err, catalog.ErrNoQuestions):
		p.Error = "No question could be imported, so the module is unchanged."
		return s.render(c.Status(fiber.StatusUnprocessableEntity), "trainer_gift", title, p)
	case errors.Is(err, store.ErrStale):
		// d was read in this request, so the form now carries the file's
		// latest revision: sending it again imports on top of that.
		p.Report = nil
		p.Error = "Someone saved this module after you opened this page, so nothing was imported. Check the module, then import again."
		return s.render(c.Status(fiber.StatusConflict), "trainer_gift", title, p)
	case err != nil:
		return err
	}
	p.Imported, p.Text = true, ""
	return s.render(c, "trainer_gift", title, p)
}

// trainerGIFTExport sends a course's questions as a GIFT file for Moodle:
// the published version, or the draft with ?draft=1.
func (s *Server) trainerGIFTExport(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	files, err := s.Catalog.SourceFiles(ctx(c), slug, c.Query("draft") == "1")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := catalog.WriteGIFT(&buf, slug, files); errors.Is(err, catalog.ErrInvalid) {
		return badRequest{"The draft has errors, so its questions cannot be exported yet: fix the problems the editor lists, then export again."}
	} else if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+slug+`.gift.txt"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
