package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/courses"
)

// calendarFeed serves a person's due dates as an iCalendar feed. The token
// in the URL is the only key (calendar apps cannot sign in); resetting it in
// the settings ends the old URL.
func (s *Server) calendarFeed(c *fiber.Ctx) error {
	token := strings.TrimSuffix(clone(c.Params("token")), ".ics")
	us, err := s.Store.SettingsByCalendarToken(ctx(c), token)
	if err != nil {
		return err
	}
	u, err := s.Store.UserByID(ctx(c), us.UserID)
	if err != nil {
		return err
	}
	if !u.Active {
		return fiber.ErrNotFound
	}
	rows, versions, err := s.Catalog.Published(ctx(c))
	if err != nil {
		return err
	}
	now := s.Now()
	all, err := s.Learning.Overview(ctx(c), u.ID, rows, versions, now)
	if err != nil {
		return err
	}
	host := "frontline"
	if b, err := url.Parse(s.Config.BaseURL); err == nil && b.Hostname() != "" {
		host = b.Hostname()
	}
	var events []courses.CalendarEvent
	for _, cs := range all {
		st := cs.Standing.State
		if st.NextDue.IsZero() {
			continue
		}
		summary, what := "Due: "+cs.Course.Title, "Complete "+cs.Course.Title
		if st.Cycle > 0 {
			summary, what = "Refresher due: "+cs.Course.Title, "Refresh "+cs.Course.Title
			if !st.WindowOpens.IsZero() {
				what += fmt.Sprintf(" (it opens %s)", st.WindowOpens.Format("2 Jan 2006"))
			}
		}
		link := s.Config.BaseURL + "/courses/" + cs.Course.Slug
		events = append(events, courses.CalendarEvent{
			// One event per person and course: a new due date moves it.
			UID:     fmt.Sprintf("due-%d-%d@%s", u.ID, cs.Course.ID, host),
			Day:     st.NextDue,
			Summary: summary, Description: what + " by this day: " + link, URL: link,
		})
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	c.Set("X-Robots-Tag", "noindex")
	return c.Send(courses.Calendar("Frontline: "+u.Name, events, now))
}
