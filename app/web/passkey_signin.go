package web

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
)

// passkeyAnswer is what passkey.js posts: the ceremony's key, the
// authenticator's answer as the WebAuthn JSON encoding, and (when adding)
// the name the person chose.
type passkeyAnswer struct {
	Key        string          `json:"key"`
	Name       string          `json:"name"`
	Next       string          `json:"next"`
	Credential json.RawMessage `json:"credential"`
}

func readPasskeyAnswer(c *fiber.Ctx) (passkeyAnswer, error) {
	var a passkeyAnswer
	if err := json.Unmarshal(c.Body(), &a); err != nil || a.Key == "" || len(a.Credential) == 0 {
		return a, badRequest{"The passkey's answer did not arrive whole. Try again."}
	}
	return a, nil
}

// passkeyError answers passkey.js with a status and a sentence to show.
func passkeyError(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg, "status": status})
}

// passkeySignInOptions starts a discoverable sign-in: the browser asks the
// person to pick one of their passkeys for this site.
func (s *Server) passkeySignInOptions(c *fiber.Ctx) error {
	opts, err := s.People.BeginPasskeySignIn(ctx(c))
	if errors.Is(err, people.ErrPasskeysOff) {
		return passkeyError(c, fiber.StatusNotFound, "Passkeys are not available on this site.")
	} else if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(opts)
}

// passkeySignIn checks the authenticator's answer and signs the person in.
func (s *Server) passkeySignIn(c *fiber.Ctx) error {
	a, err := readPasskeyAnswer(c)
	if err != nil {
		return passkeyError(c, fiber.StatusBadRequest, err.Error())
	}
	u, err := s.People.PasskeySignIn(ctx(c), a.Key, a.Credential, clientIP(c))
	var throttled *people.Throttled
	switch {
	case errors.As(err, &throttled):
		wait := max(int(math.Ceil(throttled.RetryAfter.Seconds())), 1)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		return passkeyError(c, fiber.StatusTooManyRequests, "Too many failed sign-ins from here. Wait "+minutes(throttled.RetryAfter)+" and try again.")
	case errors.Is(err, people.ErrSSOOnly):
		return passkeyError(c, fiber.StatusForbidden, ssoOnlyMessage(s.People.SSOName()))
	case errors.Is(err, people.ErrPasskeyFailed):
		return passkeyError(c, fiber.StatusUnauthorized, "That passkey did not sign you in. It may have been removed, or the request expired: try again, or sign in with your password.")
	case errors.Is(err, people.ErrPasskeysOff):
		return passkeyError(c, fiber.StatusNotFound, "Passkeys are not available on this site.")
	case err != nil:
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"next": safeNext(a.Next)})
}
