package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// idempotent runs the route. A write sent with an Idempotency-Key header
// (the IETF httpapi draft) runs once per token and key: the key is claimed
// in the database before the route runs, so a retry — on this instance or
// another — gets the first answer again (with Idempotent-Replayed: true),
// a retry while the first still runs gets 409, and the same key on a
// different request gets 422. An answer of 5xx releases the key, so the
// retry runs afresh.
func (a *API) idempotent(c *fiber.Ctx, t *store.APIToken, respond func(*fiber.Ctx, error) error) error {
	key := c.Get("Idempotency-Key")
	if key == "" || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		if err := c.Next(); err != nil {
			return respond(c, err)
		}
		return nil
	}
	if len(key) > 255 {
		return respond(c, problem(fiber.StatusBadRequest, "idempotency-key", "An Idempotency-Key is at most 255 characters."))
	}
	sum := sha256.New()
	sum.Write([]byte(c.Method() + " " + c.OriginalURL() + "\n"))
	sum.Write(c.Body())
	r := &store.IdempotentRequest{TokenID: t.ID, Key: key, RequestHash: hex.EncodeToString(sum.Sum(nil)), CreatedAt: a.Now()}
	claimed, prev, err := a.Store.ClaimIdempotencyKey(ctx(c), r)
	if err != nil {
		return respond(c, err)
	}
	if !claimed {
		switch {
		case prev.RequestHash != r.RequestHash:
			return respond(c, problem(fiber.StatusUnprocessableEntity, "idempotency-key",
				"This Idempotency-Key was used for a different request; use a new key for a new request."))
		case prev.Status == 0:
			return respond(c, problem(fiber.StatusConflict, "idempotency-key",
				"A request with this Idempotency-Key is still running; retry in a moment."))
		}
		c.Set("Idempotent-Replayed", "true")
		if prev.Location != "" {
			c.Set(fiber.HeaderLocation, prev.Location)
		}
		c.Set(fiber.HeaderContentType, prev.ContentType)
		return c.Status(prev.Status).SendString(prev.Body)
	}
	if err := c.Next(); err != nil {
		if rerr := respond(c, err); rerr != nil {
			return errors.Join(rerr, a.Store.ReleaseIdempotencyKey(ctx(c), r.ID))
		}
	}
	res := c.Response()
	if res.StatusCode() >= 500 {
		return a.Store.ReleaseIdempotencyKey(ctx(c), r.ID)
	}
	r.Status = res.StatusCode()
	r.ContentType = string(res.Header.ContentType())
	r.Location = string(res.Header.Peek(fiber.HeaderLocation))
	r.Body = string(res.Body())
	return a.Store.FinishIdempotencyKey(ctx(c), r)
}
