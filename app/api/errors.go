package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// Problem is an RFC 9457 problem detail: every error of /api/v1 is one,
// sent as application/problem+json.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Instance string            `json:"instance,omitempty"`
	Errors   map[string]string `json:"errors,omitempty"` // field → what is wrong with it
	// Header is sent with the problem (WWW-Authenticate, Retry-After).
	Header map[string]string `json:"-"`
}

func (p *Problem) Error() string { return "api: " + p.Title + ": " + p.Detail }

// problemType is where a problem's type is explained: the reference page.
const problemType = "/api/v1/reference#problem-"

// problem makes a problem of a status, with a short code for its type.
func problem(status int, code, detail string) *Problem {
	return &Problem{Type: problemType + code, Title: http.StatusText(status), Status: status, Detail: detail}
}

// classify turns any error into the problem the client sees: the one place
// that chooses what a program is told. Internals are never sent.
func (a *API) classify(c *fiber.Ctx, err error) *Problem {
	var p *Problem
	var fe people.FormError
	var ie reports.InputError
	var fiberErr *fiber.Error
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &fe):
		p = problem(fiber.StatusUnprocessableEntity, "invalid", "Some fields are not valid: see errors.")
		p.Errors = map[string]string(fe)
		return p
	case errors.As(err, &ie):
		return problem(fiber.StatusBadRequest, "bad-request", ie.Error())
	case errors.Is(err, people.ErrDeactivateSelf), errors.Is(err, people.ErrLastAdmin), errors.Is(err, store.ErrCycle):
		return problem(fiber.StatusConflict, "conflict", humanise(err))
	case errors.Is(err, store.ErrNotFound):
		return problem(fiber.StatusNotFound, "not-found", "There is nothing here, or what the request names does not exist.")
	case errors.Is(err, store.ErrConflict):
		return problem(fiber.StatusConflict, "conflict", "This conflicts with something that exists already (a name or email in use).")
	case errors.As(err, &fiberErr):
		return problem(fiberErr.Code, "http", fiberErr.Message)
	case store.Unavailable(err):
		p = problem(fiber.StatusServiceUnavailable, "unavailable", "The database is busy or unreachable; try again shortly.")
		p.Header = map[string]string{fiber.HeaderRetryAfter: "5"}
		return p
	}
	a.Log.LogAttrs(c.UserContext(), slog.LevelError, "api request failed", slog.String("path", c.Path()), slog.Any("err", err))
	return problem(fiber.StatusInternalServerError, "internal", "Something went wrong on our side; it has been logged.")
}

// humanise is the sentence of a domain error, without its package prefix.
func humanise(err error) string {
	switch {
	case errors.Is(err, people.ErrDeactivateSelf):
		return "A token cannot deactivate the admin who made it."
	case errors.Is(err, people.ErrLastAdmin):
		return "This would leave no active admin."
	case errors.Is(err, store.ErrCycle):
		return "A team cannot move under itself or its own subteams."
	}
	return err.Error()
}

// respond writes err as a problem.
func (a *API) respond(c *fiber.Ctx, err error) error {
	p := a.classify(c, err)
	p.Instance = c.OriginalURL()
	for k, v := range p.Header {
		c.Set(k, v)
	}
	c.Status(p.Status)
	return c.JSON(p, "application/problem+json")
}

// problems is the error handler of /api/v1: a handler returns an error, and
// this turns it into a problem response.
func (a *API) problems(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return a.respond(c, err)
	}
	return nil
}
