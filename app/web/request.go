package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// errTooSlow is a request whose work outran FRONTLINE_REQUEST_TIMEOUT: its
// query was cancelled, so the page says so instead of waiting on.
var errTooSlow = errors.New("web: the request took longer than the request timeout")

// requestContext gives each request the context its database calls use
// (ctx(c)): it ends at the request deadline, and when the request ends.
//
// What it does not do: notice a client that went away. fasthttp reads a
// connection only between requests, and RequestCtx.Done fires on server
// shutdown only, so a request whose client left runs on until it finishes
// or reaches its deadline; the deadline is what bounds it. The context is
// deliberately not tied to shutdown either: shutdown lets requests in
// flight finish (each within its deadline) instead of failing them. A CSV
// export streams after the handler returns and has its own context and
// limit (streamCSV); there a client that left is noticed at the next write,
// which fails and stops the export's query.
func (s *Server) requestContext(c *fiber.Ctx) error {
	cx, cancel := context.WithTimeout(context.Background(), s.Config.RequestTimeout)
	defer cancel()
	c.SetUserContext(cx)
	err := c.Next()
	// By the clock, not only cx.Err(): PostgreSQL's driver turns the
	// deadline into a socket timeout that can fire a moment before the
	// context's own timer does.
	if deadline, _ := cx.Deadline(); err != nil && (errors.Is(cx.Err(), context.DeadlineExceeded) || !time.Now().Before(deadline)) {
		return fmt.Errorf("%w: %w", errTooSlow, err)
	}
	return err
}

// requestConfig is asked by fasthttp for each request once its headers are
// read. CSV exports may stream for longer than the server's WriteTimeout,
// which is sized for pages.
func (s *Server) requestConfig(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path, _, _ := bytes.Cut(h.RequestURI(), []byte("?"))
	if isExport(path) {
		return fasthttp.RequestConfig{WriteTimeout: exportTimeout}
	}
	return fasthttp.RequestConfig{}
}

// errNotText is a request carrying bytes that are not text.
var errNotText = badRequest{"What you sent contains something that is not text (a NUL character or bytes that are not UTF-8). Remove it and try again."}

// checkText refuses a request whose path, query parameters, form fields or
// uploaded file names hold a NUL byte or invalid UTF-8. No page asks for
// either, PostgreSQL refuses to store them, and SQLite would store what
// PostgreSQL refuses; checking once here keeps every handler from meeting
// them. Uploaded files themselves are checked by whoever reads them.
func checkText(c *fiber.Ctx) error {
	req := c.Request()
	ok := isText(req.URI().PathOriginal())
	visit := func(k, v []byte) { ok = ok && isText(k) && isText(v) }
	req.URI().QueryArgs().VisitAll(visit)
	switch {
	case bytes.HasPrefix(req.Header.ContentType(), []byte(fiber.MIMEApplicationForm)):
		req.PostArgs().VisitAll(visit)
	case bytes.HasPrefix(req.Header.ContentType(), []byte(fiber.MIMEMultipartForm)):
		// A form that does not parse is left to the handler, which
		// reports it as it would without this check.
		if f, err := c.MultipartForm(); err == nil {
			for k, vs := range f.Value {
				ok = ok && isTextString(k)
				for _, v := range vs {
					ok = ok && isTextString(v)
				}
			}
			for k, fhs := range f.File {
				ok = ok && isTextString(k)
				for _, fh := range fhs {
					ok = ok && isTextString(fh.Filename)
				}
			}
		}
	}
	if !ok {
		return errNotText
	}
	return c.Next()
}

func isText(b []byte) bool { return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 }

func isTextString(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// secretPrefixes lists the paths whose next segment is a secret, found in
// the route table by the parameter's name: every route with a :token is
// opened by its token alone (first-admin setup, invitation, calendar feed,
// unsubscribe), so the token must not reach the logs.
func secretPrefixes(app *fiber.App) []string {
	var out []string
	for _, r := range app.GetRoutes(true) {
		if i := strings.Index(r.Path, ":token"); i > 0 {
			out = append(out, strings.ToLower(r.Path[:i]))
		}
	}
	return out
}

// logPath is the request's path as logs may show it: a secret segment and
// anything after it are replaced. The prefixes match without regard to
// case, as the router does.
func (s *Server) logPath(c *fiber.Ctx) string {
	p := c.Path()
	lower := strings.ToLower(p)
	for _, pre := range s.secrets {
		if strings.HasPrefix(lower, pre) && len(p) > len(pre) {
			return p[:len(pre)] + "[redacted]"
		}
	}
	return p
}
