package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// startSession signs a person in on this browser: a new random token in an
// HttpOnly cookie, its hash and a fresh CSRF token in the database.
func (s *Server) startSession(c *fiber.Ctx, tx *store.Store, userID int64) error {
	token := auth.NewToken()
	now := s.Now()
	sess := &store.Session{TokenHash: auth.HashToken(token), UserID: userID, CSRFToken: auth.NewToken(),
		CreatedAt: store.Now(now), LastSeenAt: store.Now(now), ExpiresAt: store.Now(now.Add(auth.IdleTimeout)),
		IP: clientIP(c), UserAgent: clone(c.Get(fiber.HeaderUserAgent))}
	if err := tx.CreateSession(ctx(c), sess); err != nil {
		return err
	}
	// A session cookie without Expires would end with the browser; staff on
	// shared tills should sign out, but phones should stay signed in.
	s.setCookie(c, s.sessionCookie(), token, auth.IdleTimeout)
	return nil
}

// endSession clears the cookie; the caller deletes the row.
func (s *Server) endSession(c *fiber.Ctx) {
	s.setCookie(c, s.sessionCookie(), "", -1)
}
