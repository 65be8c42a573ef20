package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

type settingsPage struct {
	Settings     *store.UserSettings
	CalendarURL  string
	SubscribeURL template.URL // the webcal: form, which calendar apps open as a subscription
	Saved        string
	Account      *accountSettings // password and sessions (settings_account.go)
}

func (s *Server) settingsOf(c *fiber.Ctx) (*store.UserSettings, error) {
	return s.People.Settings(ctx(c), userOf(c).ID)
}

func (s *Server) calendarURL(token string) string {
	return s.Config.BaseURL + "/calendar/" + token + ".ics"
}

// settingsShow shows the person's mail choice and calendar link.
func (s *Server) settingsShow(c *fiber.Ctx) error {
	p, err := s.settingsPageOf(c)
	if err != nil {
		return err
	}
	p.Saved = clone(c.Query("saved"))
	if n, err := strconv.Atoi(c.Query("ended")); err == nil && p.Saved == "sessions" {
		p.Account.Ended = n
	}
	return s.render(c, "settings", "Settings", p)
}

// settingsPageOf gathers what the Settings page shows; a form that comes
// back with errors fills in its part.
func (s *Server) settingsPageOf(c *fiber.Ctx) (*settingsPage, error) {
	us, err := s.settingsOf(c)
	if err != nil {
		return nil, err
	}
	p := &settingsPage{Settings: us}
	if us.CalendarToken != nil {
		p.CalendarURL = s.calendarURL(*us.CalendarToken)
		p.SubscribeURL = webcal(p.CalendarURL)
	}
	if p.Account, err = s.accountSettingsOf(c); err != nil {
		return nil, err
	}
	return p, nil
}

// settingsMail stores the mail choice: every mail, or the weekly digest
// only (due and overdue mail about the person's own courses stays on).
func (s *Server) settingsMail(c *fiber.Ctx) error {
	if err := s.People.SetMailPref(ctx(c), actor(c), clone(c.FormValue("mail"))); err != nil {
		return err
	}
	return c.Redirect("/settings?saved=mail", fiber.StatusSeeOther)
}

// settingsCalendar creates or replaces the private calendar link; the old
// one stops working at once.
func (s *Server) settingsCalendar(c *fiber.Ctx) error {
	if err := s.People.NewCalendarLink(ctx(c), actor(c)); err != nil {
		return err
	}
	return c.Redirect("/settings?saved=calendar#calendar", fiber.StatusSeeOther)
}

// webcal turns an http(s) calendar address into its webcal: form. The
// address is our own base URL and a token, never user input, so it is safe
// to mark as a URL html/template would otherwise refuse (webcal: is not one
// of the schemes it lets through).
func webcal(u string) template.URL {
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return template.URL("webcal://" + rest)
	}
	if rest, ok := strings.CutPrefix(u, "http://"); ok {
		return template.URL("webcal://" + rest)
	}
	return template.URL(u)
}

type unsubscribePage struct {
	Token string
	Done  bool
}

// unsubscribeShow is where a mail's List-Unsubscribe link leads: a page
// that switches its owner to the weekly digest with one button.
func (s *Server) unsubscribeShow(c *fiber.Ctx) error {
	token := clone(c.Params("token"))
	if _, err := s.Store.SettingsByUnsubscribeToken(ctx(c), token); err != nil {
		return err
	}
	return s.render(c, "unsubscribe", "Less mail", unsubscribePage{Token: token})
}

func (s *Server) unsubscribeSubmit(c *fiber.Ctx) error {
	token := clone(c.Params("token"))
	if err := s.People.Unsubscribe(ctx(c), token, clientIP(c)); err != nil {
		return err
	}
	return s.render(c, "unsubscribe", "Less mail", unsubscribePage{Token: token, Done: true})
}
