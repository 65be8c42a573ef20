package web

import (
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
)

// importProblemsShown bounds the bad lines listed on the preview.
const importProblemsShown = 200

type importPage struct {
	Import   *store.StaffImport
	Plan     staff.Plan
	Rows     int
	Problems []staff.Problem
	More     int // problems not listed
	Percent  int
	Applying bool
}

func (s *Server) importShow(c *fiber.Ctx) error {
	return s.render(c, "staff_import", "Import staff", importPage{})
}

// importPreview checks an uploaded staff CSV and shows what it would change,
// by name. Nothing about people or teams is written: the file is kept until
// an admin confirms it (or not at all, when a line is bad or breaks a rule).
func (s *Server) importPreview(c *fiber.Ctx) error {
	content, name, err := uploadedCSV(c)
	if err != nil {
		return err
	}
	rows, problems := staff.Parse(strings.NewReader(content))
	p := importPage{Rows: len(rows)}
	if len(problems) == 0 && len(rows) > 0 {
		if p.Plan, err = staff.Preview(ctx(c), s.Store, rows, userOf(c).ID); err != nil {
			return err
		}
		problems = p.Plan.Problems
	}
	if len(problems) == 0 && len(rows) == 0 {
		problems = []staff.Problem{{Line: 1, Reason: "the file has no people in it"}}
	}
	if len(problems) > 0 {
		p.Problems = problems
		if len(problems) > importProblemsShown {
			p.Problems, p.More = problems[:importProblemsShown], len(problems)-importProblemsShown
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "staff_import", "Import staff", p)
	}
	im := &store.StaffImport{CreatedBy: userOf(c).ID, CreatedAt: s.Now(), Filename: name, Content: content,
		TotalRows: len(rows), Status: store.ImportPreviewed}
	if err := s.Store.CreateImport(ctx(c), im); err != nil {
		return err
	}
	p.Import = im
	return s.render(c, "staff_import", "Import staff", p)
}

// uploadedCSV reads the file field, or the pasted text.
func uploadedCSV(c *fiber.Ctx) (string, string, error) {
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return "", "", err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return "", "", err
		}
		return string(b), clone(fh.Filename), nil
	}
	if text := c.FormValue("csv"); strings.TrimSpace(text) != "" {
		return clone(text), "pasted", nil
	}
	return "", "", badRequest{"Choose a CSV file to import, or paste its contents."}
}

// importConfirm hands a previewed import to the job runner, which applies
// it in the background (a large file takes longer than a request may); the
// status page shows its progress. Confirming twice applies it once.
func (s *Server) importConfirm(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	im, err := s.Store.StaffImport(ctx(c), int64(id))
	if err != nil {
		return err
	}
	started, err := staff.Confirm(ctx(c), s.Store, im, actor(c), s.Now())
	if err != nil {
		return err
	}
	if started {
		s.WakeJobs()
	}
	return c.Redirect("/admin/import/"+strconv.FormatInt(im.ID, 10), fiber.StatusSeeOther)
}

// importStatus shows an import's progress and outcome.
func (s *Server) importStatus(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	im, err := s.Store.StaffImport(ctx(c), int64(id))
	if err != nil {
		return err
	}
	p := importPage{Import: im, Rows: im.TotalRows, Applying: im.Status == store.ImportApplying}
	if im.TotalRows > 0 {
		p.Percent = im.DoneRows * 100 / im.TotalRows
	}
	if im.Status == store.ImportPreviewed {
		rows, _ := staff.Parse(strings.NewReader(im.Content))
		if p.Plan, err = staff.Preview(ctx(c), s.Store, rows, im.CreatedBy); err != nil {
			return err
		}
		p.Problems = p.Plan.Problems // the database changed since the upload
	}
	return s.render(c, "staff_import", "Import staff", p)
}
