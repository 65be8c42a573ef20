package api

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

// bearer reads "Authorization: Bearer <token>" (RFC 6750).
func bearer(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// unauthorized is a missing, unknown, revoked or expired token. The
// challenge follows RFC 6750, so clients know to send a bearer token.
func unauthorized(detail string) *Problem {
	p := problem(fiber.StatusUnauthorized, "unauthorized", detail)
	p.Header = map[string]string{fiber.HeaderWWWAuthenticate: `Bearer realm="frontline", error="invalid_token"`}
	return p
}

// authenticate finds the request's token and checks it may act in scope.
func (a *API) authenticate(c *fiber.Ctx, scope auth.Scope) (*store.APIToken, error) {
	secret := bearer(c)
	if secret == "" {
		p := problem(fiber.StatusUnauthorized, "unauthorized", "Send an API token as 'Authorization: Bearer <token>'. Admins make tokens under Admin → API tokens.")
		p.Header = map[string]string{fiber.HeaderWWWAuthenticate: `Bearer realm="frontline"`}
		return nil, p
	}
	t, err := a.People.Authenticate(ctx(c), secret)
	switch {
	case errors.Is(err, people.ErrTokenUnknown):
		return nil, unauthorized("This API token is not known.")
	case errors.Is(err, people.ErrTokenRevoked):
		return nil, unauthorized("This API token was revoked.")
	case errors.Is(err, people.ErrTokenExpired):
		return nil, unauthorized("This API token has expired.")
	case err != nil:
		return nil, err
	}
	if !slices.Contains(strings.Fields(t.Scopes), string(scope)) {
		p := problem(fiber.StatusForbidden, "insufficient-scope", "This token lacks the scope "+string(scope)+" this request needs.")
		p.Header = map[string]string{fiber.HeaderWWWAuthenticate: `Bearer realm="frontline", error="insufficient_scope", scope="` + string(scope) + `"`}
		return nil, p
	}
	return t, nil
}

// need admits requests whose token holds scope, within the token's rate,
// runs the route (through the Idempotency-Key check on writes), and audits
// the request with the status it got. respond is how an error is written:
// problem+json for /api/v1, SCIM's error form for /scim/v2.
func (a *API) need(scope auth.Scope, respond func(*fiber.Ctx, error) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		t, err := a.authenticate(c, scope)
		if err != nil {
			return respond(c, err)
		}
		if wait := a.limits.take(t.ID, a.Now()); wait > 0 {
			p := problem(fiber.StatusTooManyRequests, "rate-limited",
				"This token made more than "+strconv.Itoa(a.Config.APIRate)+" requests in a minute; wait and retry.")
			p.Header = map[string]string{fiber.HeaderRetryAfter: strconv.Itoa(int(math.Ceil(wait.Seconds())))}
			err = respond(c, p)
		} else {
			c.Locals("token", t)
			err = a.idempotent(c, t, respond)
		}
		if err != nil {
			return err
		}
		// The route is done and its answer composed: record it. If the
		// record cannot be written the request fails, so no use goes
		// unaudited (a write already made stays made; a retry with its
		// Idempotency-Key gets its answer).
		return a.usage.Record(ctx(c), t, clientIP(c), c.Method(), c.Path(), c.Response().StatusCode())
	}
}

// tokenOf is the request's token (set by need).
func tokenOf(c *fiber.Ctx) *store.APIToken {
	t, _ := c.Locals("token").(*store.APIToken)
	return t
}

// actor is who a program's change is audited as: the admin who made its
// token, from the program's address.
func actor(c *fiber.Ctx) store.Actor {
	return store.Actor{ID: tokenOf(c).CreatedBy, IP: clientIP(c)}
}

// clientIP is the address app/web's clientAddresses middleware resolved,
// which runs before every route (behind trusted proxies, the client's).
func clientIP(c *fiber.Ctx) string {
	ip, _ := c.Locals("client").(string)
	return ip
}

// limiter is a token bucket per API token, in this instance's memory: n
// requests a window, refilled continuously, bursts up to n. Several
// instances each keep their own, so the bound across a deployment is n
// times the number of instances (the README says so).
type limiter struct {
	mu      sync.Mutex
	n       float64
	per     time.Duration
	buckets map[int64]*bucket
}

type bucket struct {
	left float64
	at   time.Time
}

func newLimiter(n int, per time.Duration) *limiter {
	return &limiter{n: float64(n), per: per, buckets: map[int64]*bucket{}}
}

// take spends one request of token id; it returns 0 when allowed, else how
// long until one is available.
func (l *limiter) take(id int64, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{left: l.n, at: now}
		l.buckets[id] = b
	}
	if el := now.Sub(b.at); el > 0 {
		b.left = math.Min(l.n, b.left+el.Seconds()*l.n/l.per.Seconds())
		b.at = now
	}
	if b.left >= 1 {
		b.left--
		return 0
	}
	return time.Duration((1 - b.left) * float64(l.per) / l.n)
}
