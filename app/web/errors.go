package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// problem is what a person is told: a status, a title and one sentence.
type problem struct {
	Status  int
	Title   string
	Message string
}

// badRequest is an error whose message may be shown as it is.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

// classify is the one place that decides what an error means to the person
// who met it. Internals never reach the page.
func classify(err error) problem {
	var fe *fiber.Error
	var br badRequest
	var ie reports.InputError
	var paused learning.RetakePaused
	switch {
	case errors.As(err, &br):
		return problem{400, "That did not work", br.msg}
	case errors.As(err, &ie):
		return problem{400, "That did not work", string(ie)}
	case errors.Is(err, errCSRF):
		return problem{403, "Please reload the page", "This form has expired or came from elsewhere. Reload the page and try again; what you typed may need entering again."}
	case errors.Is(err, errForbidden), errors.Is(err, reports.ErrOutsideScope):
		return problem{403, "Not allowed", "Your role does not open this page. Ask an administrator if you need it."}
	case errors.Is(err, staff.ErrNotYourImport):
		return problem{403, "Not your import", "Only the admin who uploaded this file can apply it: its preview was checked for them. Upload the file yourself to see what it would do for you."}
	case errors.Is(err, people.ErrMailChoice):
		return problem{400, "That did not work", "Choose one of the mail options."}
	case errors.Is(err, people.ErrNoSuchPerson):
		return problem{400, "That did not work", "Nobody has that email address or username. Add them under People first."}
	case errors.Is(err, people.ErrDeactivateSelf):
		return problem{400, "That did not work", "You cannot deactivate yourself. Ask another admin."}
	case errors.Is(err, people.ErrLastAdmin):
		return problem{400, "That did not work", "This would leave nobody able to administer Frontline. Make someone else an admin first."}
	case errors.Is(err, people.ErrNotYours):
		return problem{403, "Not allowed", "This person is not in a team you manage. Ask an administrator."}
	case errors.Is(err, people.ErrInactive):
		return problem{409, "Account deactivated", "This account is deactivated. Reactivate it first if the person is back."}
	case errors.Is(err, people.ErrTooManyLinks):
		return problem{429, "Too many links", "Several links were made for this person in the last hour. Hand over the newest one, or wait an hour."}
	case errors.Is(err, people.ErrAccepted):
		return problem{409, "Already accepted", "This person has chosen a password already. If they forgot it, they can reset it from the sign-in page, or you can give them a sign-in link."}
	case errors.Is(err, store.ErrNotFound):
		return problem{404, "Not found", "There is nothing at this address. It may have moved or been removed."}
	case errors.Is(err, courses.ErrInvalidAnswers), errors.Is(err, courses.ErrStaleDraw):
		return problem{400, "The quiz form did not match", "The answers sent do not match this quiz, so nothing was saved. Reload the quiz and answer again."}
	case errors.As(err, &paused):
		return problem{409, "Not yet", "This course asks for a pause after a quiz that was not passed, so these answers were not saved. " +
			tryAgain(paused.Until, paused.Now) + " Until then, read the lesson and the explanations again."}
	case errors.Is(err, errTooSlow):
		return problem{503, "That took too long", "This page took longer than the server allows, so it was stopped. Please try again in a moment."}
	case store.Unavailable(err):
		return problem{503, "Back in a moment", "Frontline cannot reach its database right now. Nothing was lost; please try again in a minute."}
	case errors.As(err, &fe):
		switch fe.Code {
		case fiber.StatusNotFound:
			return problem{404, "Not found", "There is nothing at this address. It may have moved or been removed."}
		case fiber.StatusRequestEntityTooLarge:
			return problem{413, "Too large", "What you sent is larger than this server accepts."}
		case fiber.StatusMethodNotAllowed:
			return problem{405, "Not allowed", "This address does not accept that kind of request."}
		}
		if fe.Code < 500 {
			return problem{fe.Code, "That did not work", fe.Message}
		}
	}
	return problem{500, "Something went wrong", "Something went wrong on our side. It has been logged; please try again."}
}

// handleError turns any error into a page, or JSON for clients that ask for it.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	p := classify(err)
	if p.Status >= 500 {
		s.Log.Error("request failed", "method", c.Method(), "path", s.logPath(c), "status", p.Status, "err", err)
	} else {
		s.Log.Debug("request refused", "path", s.logPath(c), "status", p.Status, "err", err)
	}
	if p.Status == 503 {
		c.Set(fiber.HeaderRetryAfter, "30")
	}
	if p.Status == fiber.StatusRequestEntityTooLarge {
		p.Message = s.tooLarge(c)
	}
	c.Status(p.Status)
	if wantsJSON(c) {
		return c.JSON(fiber.Map{"error": p.Message, "status": p.Status})
	}
	return s.render(c, "error", p.Title, p)
}

// tooLarge says what was too large and what the limit is, so the person
// knows how small to make it.
func (s *Server) tooLarge(c *fiber.Ctx) string {
	if c.Path() == "/trainer/images" {
		return "The image is too large: an image can be at most " + byteSize(min(s.Config.BodyLimit, MaxImageBytes)) +
			". Make it smaller (a lesson image needs no more than 1600 pixels across) and try again."
	}
	return "What you sent is larger than this server accepts: at most " + byteSize(s.Config.BodyLimit) + "."
}

// byteSize writes n bytes as people read sizes: "1 MB", "1.5 MB", "64 KB".
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

func wantsJSON(c *fiber.Ctx) bool {
	accept := c.Get(fiber.HeaderAccept)
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html") ||
		strings.HasPrefix(c.Get(fiber.HeaderContentType), "application/json")
}
