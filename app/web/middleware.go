package web

import (
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// logRequests writes one line per request. It runs the error handler itself
// so the line carries the status the client really got. The path is
// logged with its secret tokens redacted (logPath).
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	switch {
	case status == fiber.StatusServiceUnavailable && len(c.Response().Header.Peek(fiber.HeaderRetryAfter)) > 0:
		level = slog.LevelWarn // turned away to come back later (a rush, an outage): not a fault of this request
	case status >= 500:
		level = slog.LevelError
	}
	if s.Observe != nil {
		s.Observe(c.Method(), routeOf(c), status, time.Since(start))
	}
	s.Log.Log(c.UserContext(), level, "request",
		"method", c.Method(), "route", c.Route().Path, "path", s.logPath(c), "status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000, "ip", clientIP(c))
	return nil
}

// routeOf is the pattern of the route that answered, for the metrics. A
// request no route matched ends in notFound, a middleware mounted at "/"
// whose pattern would read as the dashboard's.
func routeOf(c *fiber.Ctx) string {
	if c.Locals(unmatchedKey) != nil {
		return "(unmatched)"
	}
	return c.Route().Path
}

type unmatched struct{}

var unmatchedKey unmatched

// notFound answers what no route matched.
func notFound(c *fiber.Ctx) error {
	c.Locals(unmatchedKey, true)
	return fiber.ErrNotFound
}

func (s *Server) sessionCookie() string {
	if s.Config.SecureCookies() {
		return "__Host-fl_session" // Secure, Path=/ and no Domain are then enforced by browsers
	}
	return "fl_session"
}

func (s *Server) csrfCookie() string {
	if s.Config.SecureCookies() {
		return "__Host-fl_csrf"
	}
	return "fl_csrf"
}

// setCookie sets an HttpOnly, SameSite=Lax cookie. maxAge > 0 keeps it that
// long, 0 makes it last for the browser session, < 0 deletes it. A relative
// Max-Age does not depend on the server's and browser's clocks agreeing.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true,
		Secure: s.Config.SecureCookies(), SameSite: fiber.CookieSameSiteLaxMode}
	switch {
	case maxAge > 0:
		ck.MaxAge = int(maxAge.Seconds())
	case maxAge < 0:
		ck.MaxAge = -1
		ck.Expires = time.Unix(1, 0)
	}
	c.Cookie(ck)
}

// loadSession finds the signed-in person, if any. The session lives in the
// database, so any instance can serve any request; its expiry slides forward
// at most once per auth.TouchEvery so page views rarely write.
func (s *Server) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(s.sessionCookie())
	if token == "" {
		return c.Next()
	}
	now := s.Now()
	sess, err := s.Store.SessionByTokenHash(ctx(c), auth.HashToken(token), now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.setCookie(c, s.sessionCookie(), "", -1)
		c.Locals("expired", true)
		return c.Next()
	case err != nil:
		return err
	case sess.User == nil || !sess.User.Active:
		return c.Next()
	}
	if now.Sub(sess.LastSeenAt) > auth.TouchEvery {
		if err := s.Store.TouchSession(ctx(c), sess.ID, now, now.Add(auth.IdleTimeout)); err != nil {
			return err
		}
	}
	c.Locals("session", sess)
	return c.Next()
}

func sessionOf(c *fiber.Ctx) *store.Session {
	sess, _ := c.Locals("session").(*store.Session)
	return sess
}

func userOf(c *fiber.Ctx) *store.User {
	if sess := sessionOf(c); sess != nil {
		return sess.User
	}
	return nil
}

// errCSRF is a form without the right token: most often a page left open
// across a sign-out, so the message asks for a reload.
var errCSRF = errors.New("web: missing or wrong CSRF token")

// csrfToken returns the token forms must carry: the session's own when
// signed in; otherwise a random cookie the form echoes (double submit), set
// here on first sight.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if sess := sessionOf(c); sess != nil {
		return sess.CSRFToken
	}
	if t, ok := c.Locals("csrf").(string); ok {
		return t
	}
	t := c.Cookies(s.csrfCookie())
	if len(t) < 32 {
		t = auth.NewToken()
		s.setCookie(c, s.csrfCookie(), t, 0)
	}
	c.Locals("csrf", t)
	return t
}

// checkCSRF guards every unsafe method, before any handler runs.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	// RFC 8058 one-click unsubscribe: a mail client POSTs
	// "List-Unsubscribe=One-Click" to the link in the mail, with no page and
	// so no token. The secret in the URL is the credential, and the only
	// effect is switching that person to the weekly digest.
	if strings.HasPrefix(c.Path(), "/unsubscribe/") && c.FormValue("List-Unsubscribe") == "One-Click" {
		return c.Next()
	}
	sent := c.FormValue("_csrf")
	if sent == "" {
		sent = c.Get("X-CSRF-Token")
	}
	var want string
	if sess := sessionOf(c); sess != nil {
		want = sess.CSRFToken
	} else {
		want = c.Cookies(s.csrfCookie())
	}
	if !auth.Equal(sent, want) {
		return errCSRF
	}
	return c.Next()
}

// errForbidden is a signed-in person on a page their role does not open.
var errForbidden = errors.New("web: role may not use this page")

// need admits people whose role allows `role`. Someone not signed in (or whose
// session expired) goes to the sign-in page and comes back afterwards.
func (s *Server) need(role auth.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		if u == nil {
			next := c.OriginalURL()
			if c.Method() != fiber.MethodGet {
				next = c.Get(fiber.HeaderReferer)
				if ref, err := url.Parse(next); err == nil {
					next = ref.RequestURI()
				}
			}
			q := "?next=" + url.QueryEscape(safeNext(next))
			if c.Locals("expired") != nil {
				q += "&expired=1"
			}
			return c.Redirect("/login"+q, fiber.StatusSeeOther)
		}
		if !auth.Role(u.Role).Allows(role) {
			return errForbidden
		}
		return c.Next()
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// clone copies a value Fiber lends for the duration of a request only.
func clone(s string) string { return strings.Clone(s) }
