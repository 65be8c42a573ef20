package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// exportTimeout bounds one export: its database work, and the time the
// server gives it to send the file (pages get the server's WriteTimeout).
const exportTimeout = 10 * time.Minute

// isExport reports whether a path is one of the CSV exports (the managers'
// and the audit log's), which get exportTimeout instead of the page limits.
func isExport(path []byte) bool {
	return (bytes.HasPrefix(path, []byte("/manage/")) || bytes.HasPrefix(path, []byte("/admin/audit"))) &&
		bytes.HasSuffix(path, []byte(".csv"))
}

// teamExport streams the matrix, as filtered on the page, as CSV: one row
// per person and course.
func (s *Server) teamExport(c *fiber.Ctx) error {
	t, _, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	f, err := parseMatrixFilter(c)
	if err != nil {
		return err
	}
	now := s.Now()
	rc, err := s.Reports.Courses(ctx(c), now)
	if err != nil {
		return err
	}
	q, err := s.Reports.MatrixQuery(ctx(c), t, reports.Filter(f), rc, 0)
	if err != nil {
		return err
	}
	if err := s.Reports.RecordExport(ctx(c), actor(c), "team:"+strconv.FormatInt(t.ID, 10), "matrix "+f.query().Encode(), now); err != nil {
		return err
	}
	loc := s.Config.Location
	return s.streamCSV(c, "completion-"+slugish(t.Name)+".csv", func(ctx context.Context, w *reports.CSV) error {
		if err := w.Row("name", "email", "team", "course", "state", "last completed", "due"); err != nil {
			return err
		}
		return s.Reports.ExportMatrix(ctx, q, func(r *store.ExportRow) error {
			return w.Row(r.Name, r.Email, r.Team, r.Course, r.Status.Label(), isoDay(r.LastCompleted, loc), isoDay(r.DueAt, loc))
		})
	})
}

// historyExport streams every completion in the team's subtree.
func (s *Server) historyExport(c *fiber.Ctx) error {
	t, _, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	if err := s.Reports.RecordExport(ctx(c), actor(c), "team:"+strconv.FormatInt(t.ID, 10), "history", s.Now()); err != nil {
		return err
	}
	loc := s.Config.Location
	sc := store.Scope{Paths: []string{t.Path}}
	return s.streamCSV(c, "history-"+slugish(t.Name)+".csv", func(ctx context.Context, w *reports.CSV) error {
		if err := w.Row("name", "email", "team", "active", "course", "completed at", "score", "course version"); err != nil {
			return err
		}
		return s.Store.ExportHistory(ctx, sc, func(r *store.HistoryRow) error {
			active := "yes"
			if !r.Active {
				active = "no"
			}
			return w.Row(r.Name, r.Email, r.Team, active, r.Course, r.CompletedAt.In(loc).Format("2006-01-02 15:04"),
				strconv.Itoa(r.Score), strconv.Itoa(r.Version))
		})
	})
}

// streamCSV sends a CSV file written by fn as it is produced. The status
// and headers go first, so an error half-way can only cut the file short:
// it is logged, and the file then lacks its last line, which a reader sees.
func (s *Server) streamCSV(c *fiber.Ctx, filename string, fn func(context.Context, *reports.CSV) error) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.Log
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		w, err := reports.NewCSV(bw)
		if err == nil {
			err = fn(ctx, w)
		}
		if err == nil {
			err = w.Flush()
		}
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			log.Warn("csv export cut short", "file", filename, "err", err)
		}
	})
	return nil
}

func isoDay(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02")
}

// slugish makes a file name part from a team name.
func slugish(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = append(out, r)
		case r >= 'A' && r <= 'Z':
			out = append(out, r+'a'-'A')
		case len(out) > 0 && out[len(out)-1] != '-':
			out = append(out, '-')
		}
	}
	if len(out) == 0 {
		return "team"
	}
	return string(out)
}
