package web

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// auditFamilies are the groups of actions the audit page filters by: an
// action's name starts with its family.
var auditFamilies = []struct{ Prefix, Label string }{
	{"signin.", "Sign-in"},
	{"user.", "People and roles"},
	{"team.", "Teams"},
	{"assignment.", "Assignments"},
	{"staff.", "Staff imports"},
	{"course.", "Courses and publishes"},
	{"draft.", "Drafts"},
	{"settings.", "Settings"},
	{"passkey.", "Passkeys"},
	{"mail.", "Mail"},
	{"report.", "Exports"},
}

const auditPage = 100

type auditFilter struct {
	Who, Action, From, To string
}

type auditView struct {
	Filter   auditFilter
	Families []struct{ Prefix, Label string }
	Rows     []store.AuditRow
	// Whole URLs, built here: html/template escapes a value placed after
	// "?" in an href as one query component, "&" and "=" included.
	More string // the next page; "" on the last
	CSV  string // the export, as filtered
}

// parseAuditFilter reads the filters; dates are whole days in the
// organisation's zone, "to" included.
func (s *Server) parseAuditFilter(c *fiber.Ctx) (auditFilter, store.AuditQuery, error) {
	f := auditFilter{Who: clone(c.Query("who")), Action: clone(c.Query("action")), From: clone(c.Query("from")), To: clone(c.Query("to"))}
	q := store.AuditQuery{Who: f.Who, Action: f.Action}
	loc := s.Config.Location
	if f.From != "" {
		d, err := time.ParseInLocation(time.DateOnly, f.From, loc)
		if err != nil {
			return f, q, badRequest{"The first day is not a date like 2026-03-31."}
		}
		q.From = d
	}
	if f.To != "" {
		d, err := time.ParseInLocation(time.DateOnly, f.To, loc)
		if err != nil {
			return f, q, badRequest{"The last day is not a date like 2026-03-31."}
		}
		q.To = d.AddDate(0, 0, 1)
	}
	if id := c.QueryInt("after_id"); id > 0 {
		at, err := time.Parse(time.RFC3339Nano, c.Query("after_at"))
		if err != nil {
			return f, q, badRequest{"The page position is not valid. Start again from the first page."}
		}
		q.After = store.AuditCursor{At: at, ID: int64(id)}
	}
	return f, q, nil
}

func (f auditFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"who": f.Who, "action": f.Action, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// auditShow lists the audit log, newest first, a page at a time.
func (s *Server) auditShow(c *fiber.Ctx) error {
	f, q, err := s.parseAuditFilter(c)
	if err != nil {
		return err
	}
	q.Limit = auditPage
	rows, more, err := s.Store.AuditLog(ctx(c), q)
	if err != nil {
		return err
	}
	v := auditView{Filter: f, Families: auditFamilies, Rows: rows, CSV: withQuery("/admin/audit.csv", f.values())}
	if more {
		next := f.values()
		last := rows[len(rows)-1]
		next.Set("after_at", last.At.Format(time.RFC3339Nano))
		next.Set("after_id", strconv.FormatInt(last.ID, 10))
		v.More = withQuery("/admin/audit", next)
	}
	return s.render(c, "audit", "Audit log", v)
}

// auditExport streams the audit log, as filtered, as CSV. The export is
// itself recorded before the first row goes out.
func (s *Server) auditExport(c *fiber.Ctx) error {
	f, q, err := s.parseAuditFilter(c)
	if err != nil {
		return err
	}
	q.After = store.AuditCursor{}
	if err := s.Reports.RecordExport(ctx(c), actor(c), "audit", f.values().Encode(), s.Now()); err != nil {
		return err
	}
	loc := s.Config.Location
	return s.streamCSV(c, "audit-log.csv", func(ctx context.Context, w *reports.CSV) error {
		if err := w.Row("time", "who", "email", "action", "target", "detail", "address"); err != nil {
			return err
		}
		return s.Store.ExportAudit(ctx, q, func(r *store.AuditRow) error {
			return w.Row(r.At.In(loc).Format(time.RFC3339), r.ActorName, r.ActorEmail, r.Action, r.Target, r.Detail, r.IP)
		})
	})
}

// withQuery is path with its query string, if any.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
