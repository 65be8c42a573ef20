package web

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

type forgotForm struct {
	MailOn   bool
	Email    string
	Sent     bool
	Error    string
	Lifetime string
}

// forgotShow asks for the address to mail a reset link to, or, with no
// mail server, says whom to ask.
func (s *Server) forgotShow(c *fiber.Ctx) error {
	return s.render(c, "forgot", "Forgot your password?", forgotForm{MailOn: s.People.MailOn, Lifetime: linkLifetime(store.PurposeReset)})
}

// forgotSubmit answers the same whether or not the address has an account.
func (s *Server) forgotSubmit(c *fiber.Ctx) error {
	f := forgotForm{MailOn: s.People.MailOn, Email: strings.TrimSpace(clone(c.FormValue("email"))), Lifetime: linkLifetime(store.PurposeReset)}
	if f.Email == "" {
		f.Error = "Enter the email address you sign in with."
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "forgot", "Forgot your password?", f)
	}
	err := s.People.RequestReset(ctx(c), f.Email, clientIP(c))
	var throttled *people.Throttled
	switch {
	case errors.Is(err, people.ErrNoMail):
		c.Status(fiber.StatusServiceUnavailable)
		return s.render(c, "forgot", "Forgot your password?", f)
	case errors.As(err, &throttled):
		wait := int(math.Ceil(throttled.RetryAfter.Seconds()))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(wait, 1)))
		f.Error = "Too many requests from here. Wait " + minutes(throttled.RetryAfter) + " and try again, or ask your manager or an administrator for a sign-in link."
		c.Status(fiber.StatusTooManyRequests)
		return s.render(c, "forgot", "Forgot your password?", f)
	case err != nil:
		return err
	}
	if s.WakeJobs != nil {
		s.WakeJobs() // the mail goes out now rather than at the next tick
	}
	f.Sent = true
	return s.render(c, "forgot", "Check your mail", f)
}

// linkForm is the page a reset or sign-in link opens: a new password
// (required for a reset, optional for a sign-in link), then sign in.
type linkForm struct {
	Action   string
	Reset    bool // a mailed reset link: the password is required
	Name     string
	Email    string
	Errors   people.FormError
	Invalid  bool
	Disabled bool
}

func (s *Server) linkShow(c *fiber.Ctx, purpose, title string) error {
	token := clone(c.Params("token"))
	f := linkForm{Action: c.Path(), Reset: purpose == store.PurposeReset}
	u, err := s.People.LinkHolder(ctx(c), token, purpose)
	switch {
	case errors.Is(err, people.ErrLinkUsed):
		f.Invalid = true
		c.Status(fiber.StatusNotFound)
	case err != nil:
		return err
	default:
		f.Name, f.Email = u.Name, u.Identifier()
	}
	// The page holds a secret in its address: no Referer to anywhere.
	c.Set("Referrer-Policy", "no-referrer")
	return s.render(c, "link", title, f)
}

func (s *Server) linkSubmit(c *fiber.Ctx, purpose, title string) error {
	token := clone(c.Params("token"))
	f := linkForm{Action: c.Path(), Reset: purpose == store.PurposeReset}
	if u, err := s.People.LinkHolder(ctx(c), token, purpose); err == nil {
		f.Name, f.Email = u.Name, u.Identifier()
	}
	c.Set("Referrer-Policy", "no-referrer")
	u, err := s.People.UseLink(ctx(c), token, purpose, c.FormValue("password"), c.FormValue("confirm"), clientIP(c))
	var fe people.FormError
	switch {
	case errors.As(err, &fe):
		f.Errors = fe
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "link", title, f)
	case errors.Is(err, people.ErrLinkUsed):
		f.Invalid = true
		c.Status(fiber.StatusNotFound)
		return s.render(c, "link", title, f)
	case err != nil:
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (s *Server) resetShow(c *fiber.Ctx) error {
	return s.linkShow(c, store.PurposeReset, "Choose a new password")
}

func (s *Server) resetSubmit(c *fiber.Ctx) error {
	return s.linkSubmit(c, store.PurposeReset, "Choose a new password")
}

func (s *Server) signInLinkShow(c *fiber.Ctx) error {
	return s.linkShow(c, store.PurposeSignIn, "Sign in")
}

func (s *Server) signInLinkSubmit(c *fiber.Ctx) error {
	return s.linkSubmit(c, store.PurposeSignIn, "Sign in")
}

// linkLifetime says how long a link works, for the pages that hand one over.
func linkLifetime(purpose string) string {
	switch purpose {
	case store.PurposeInvite:
		return strconv.Itoa(int(auth.InviteLifetime.Hours()/24)) + " days"
	case store.PurposeSignIn:
		return minutes(auth.SignInLinkLifetime)
	}
	return minutes(auth.ResetLifetime)
}
