package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// views holds every page template, parsed once at start-up.
type views struct {
	pages map[string]*template.Template
}

// page is what every template gets: the page's own data is D.
type page struct {
	View  string // the template's name, on <body data-view>: which page this is, for styles and tests
	Title string
	User  *store.User
	CSRF  string
	Path  string
	D     any
}

func loadViews(loc *time.Location) (*views, error) {
	funcs := template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2 Jan 2006")
		},
		"datetime":    func(t time.Time) string { return t.In(loc).Format("2 Jan 2006 15:04") },
		"isoDate":     func(t time.Time) string { return t.In(loc).Format("2006-01-02") },
		"roleLabel":   func(r string) string { return auth.Role(r).Label() },
		"isAdmin":     func(u *store.User) bool { return u != nil && u.Role == string(auth.Admin) },
		"can":         func(u *store.User, role string) bool { return u != nil && auth.Role(u.Role).Allows(auth.Role(role)) },
		"hasPrefix":   strings.HasPrefix,
		"statusLabel": func(s courses.Status) string { return s.Label() },
		"add":         func(a, b int) int { return a + b },
		"minus":       func(a, b int) int { return a - b },
		"join":        strings.Join,
		"actionWords": actionWords,
		// A multiple-answer prompt gets a hint unless its author wrote one.
		"saysAllThatApply": func(prompt string) bool { return strings.Contains(strings.ToLower(prompt), "all that apply") },
		"roles":            func() []auth.Role { return auth.Roles },
		"usernameHint":     func() string { return people.UsernameHint },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
	}
	names, err := fs.Glob(viewFS, "views/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(viewFS, "views/layout.html", "views/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a whole page. Rendering into a buffer first means a template
// error becomes a clean 500 instead of half a page.
func (s *Server) render(c *fiber.Ctx, name, title string, data any) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("web: no view named %q", name)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	p := page{View: name, Title: title, User: userOf(c), CSRF: s.csrfToken(c), Path: c.Path(), D: data}
	if err := t.Execute(buf, p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	pageHeaders(c)
	c.Response().SetBody(buf.Bytes()) // copies: buf goes back to the pool
	return nil
}

// pageHeaders are the headers of every rendered page: pages carry
// per-person data and CSRF tokens, so nothing may keep them.
func pageHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
}
