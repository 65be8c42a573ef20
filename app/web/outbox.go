package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

type outboxPage struct {
	Configured bool
	Counts     map[string]int
	Sections   []outboxSection
}

type outboxSection struct {
	ID, Title string
	Rows      []store.OutboxMessage
	Retry     bool
}

// outboxList shows admins the mail queue: permanent failures first (with a
// retry button), then what waits, then what went.
func (s *Server) outboxList(c *fiber.Ctx) error {
	p := outboxPage{Configured: s.Config.SMTPHost != ""}
	var err error
	if p.Counts, err = s.Store.OutboxCounts(ctx(c)); err != nil {
		return err
	}
	for _, sec := range []outboxSection{
		{ID: "failed", Title: "Failed", Retry: true},
		{ID: "pending", Title: "Waiting"},
		{ID: "sent", Title: "Recently sent"},
	} {
		if sec.Rows, err = s.Store.Outbox(ctx(c), sec.ID, 100); err != nil {
			return err
		}
		p.Sections = append(p.Sections, sec)
	}
	return s.render(c, "outbox", "Mail outbox", p)
}

// outboxRetry puts a failed mail back in the queue.
func (s *Server) outboxRetry(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.Store.RequeueMail(ctx(c), int64(id), actor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect("/admin/outbox", fiber.StatusSeeOther)
}
