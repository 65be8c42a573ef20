package web

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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

// importPreview checks an uploaded staff CSV and shows what it would change.
// Nothing about people or teams is written: the file is kept until an admin
// confirms it (or not at all, when a line is bad).
func (s *Server) importPreview(c *fiber.Ctx) error {
	content, name, err := uploadedCSV(c)
	if err != nil {
		return err
	}
	rows, problems := staff.Parse(strings.NewReader(content))
	p := importPage{Rows: len(rows), Problems: problems}
	if len(problems) > importProblemsShown {
		p.Problems, p.More = problems[:importProblemsShown], len(problems)-importProblemsShown
	}
	if len(problems) > 0 || len(rows) == 0 {
		if len(problems) == 0 {
			p.Problems = []staff.Problem{{Line: 1, Reason: "the file has no people in it"}}
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "staff_import", "Import staff", p)
	}
	if p.Plan, err = staff.Preview(ctx(c), s.Store, rows); err != nil {
		return err
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

// importConfirm applies a previewed import in the background; the status
// page shows its progress. Confirming twice applies it once.
func (s *Server) importConfirm(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	im, err := s.Store.StaffImport(ctx(c), int64(id))
	if err != nil {
		return err
	}
	started, err := s.Store.StartImport(ctx(c), im.ID)
	if err != nil {
		return err
	}
	if started {
		s.audit(c, "staff.import", "import:"+strconv.FormatInt(im.ID, 10), fmt.Sprintf("%d rows", im.TotalRows))
		go s.applyImport(im)
	}
	return c.Redirect("/admin/import/"+strconv.FormatInt(im.ID, 10), fiber.StatusSeeOther)
}

// applyImport runs outside the request: a large file takes longer than a
// request may. Each batch commits on its own, and applying is idempotent,
// so an import cut short (a restart) is finished by importing the file again.
func (s *Server) applyImport(im *store.StaffImport) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	rows, problems := staff.Parse(strings.NewReader(im.Content))
	var plan staff.Plan
	var err error
	if len(problems) > 0 {
		err = fmt.Errorf("line %d: %s", problems[0].Line, problems[0].Reason)
	} else {
		plan, err = staff.Apply(ctx, s.Store, rows, s.Now(), s.Config.Location, func(done int) error {
			return s.Store.ImportProgress(ctx, im.ID, done)
		})
	}
	status, summary := store.ImportApplied, fmt.Sprintf("%d added, %d changed, %d unchanged, %d new teams", plan.New, plan.Changed, plan.Unchanged, len(plan.NewTeams))
	if err != nil {
		s.Log.Error("staff import failed", "import", im.ID, "err", err)
		status, summary = store.ImportFailed, summary+"; stopped by an error — import the file again to finish"
	}
	logIfErr(s.Log, "finish staff import", s.Store.FinishImport(ctx, im.ID, status, summary, s.Now()))
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
		if p.Plan, err = staff.Preview(ctx(c), s.Store, rows); err != nil {
			return err
		}
	}
	return s.render(c, "staff_import", "Import staff", p)
}
