package web

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// A signed-in module page shown fresh is, byte for byte, the same for
// everyone with the same role who has (or has not) done the module and
// was drawn as many questions, but for five values: the CSRF token, the
// person's name, the form's idempotency key, the draw's ID and the quiz's
// fieldsets. Running the layout and module templates for each view was a
// quarter of the page's CPU (every {{if}}, role check and escaper goes
// through reflection), so the page is rendered once per shellKey through
// the same templates, with marks where those values go, and cut at the
// marks. A view then copies the pieces and the values into the response.
// The templates stay the one place the markup is written; a test compares
// the two byte for byte for every shipped module, role and state
// (TestModuleShellIsWhatTheTemplateDraws). A page the shell does not cover
// (a retake pause, a form sent back unfinished) goes through the templates.
type shellKey struct {
	version int64
	module  string
	role    string
	done    bool // the module is done this cycle: the page says so
	shown   int  // questions drawn: the page says how many
}

// shellSlot names a value filled in per view.
type shellSlot uint8

const (
	slotCSRF shellSlot = iota
	slotName
	slotKey
	slotDraw
	slotQuiz
	slotCount
)

// shell is one page cut at its slots: parts[i] comes before slots[i], and
// the last part after the last slot.
type shell struct {
	parts []string
	slots []shellSlot
}

// pageShells keeps the shells, rendered once per key: a published version
// never changes, so an entry never goes stale. Entries grow with the
// versions and modules served, times roles and states, like quizPieces.
type pageShells struct {
	mu    sync.RWMutex
	byKey map[shellKey]*shell
	marks [slotCount]string // what the render puts where each slot goes
}

// newPageShells draws marks no course text will hold: random, and made of
// letters and digits only, which every HTML context writes unchanged (the
// draw's mark is a number, as the field is).
func newPageShells() (*pageShells, error) {
	var b [8 * slotCount]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("web: page shell marks: %w", err)
	}
	ps := &pageShells{byKey: map[shellKey]*shell{}}
	for i := range slotCount {
		r := b[8*i : 8*i+8]
		if i == slotDraw {
			ps.marks[i] = strconv.FormatUint(1e17+binary.LittleEndian.Uint64(r)%8e17, 10)
			continue
		}
		ps.marks[i] = "flslot" + strconv.Itoa(int(i)) + "x" + hex.EncodeToString(r)
	}
	return ps, nil
}

// cut splits a rendered page at the marks.
func (ps *pageShells) cut(page string) *shell {
	sh := &shell{}
	for {
		at, slot := -1, shellSlot(0)
		for i, m := range ps.marks {
			if j := strings.Index(page, m); j >= 0 && (at < 0 || j < at) {
				at, slot = j, shellSlot(i)
			}
		}
		if at < 0 {
			sh.parts = append(sh.parts, page)
			return sh
		}
		sh.parts = append(sh.parts, page[:at])
		sh.slots = append(sh.slots, slot)
		page = page[at+len(ps.marks[slot]):]
	}
}

// moduleShell returns the shell for k, rendering it from p (the page as a
// view with that key would show it) the first time.
func (s *Server) moduleShell(k shellKey, p modulePage, u *store.User) (*shell, error) {
	s.shells.mu.RLock()
	sh, ok := s.shells.byKey[k]
	s.shells.mu.RUnlock()
	if ok {
		return sh, nil
	}
	marks := &s.shells.marks
	mu := *u
	mu.Name = marks[slotName]
	p.Key = marks[slotKey]
	p.DrawID, _ = strconv.ParseInt(marks[slotDraw], 10, 64)
	p.Quiz = quizFields{Questions: p.Quiz.Questions, Rendered: template.HTML(marks[slotQuiz])}
	var b strings.Builder
	data := page{View: "module", Title: p.Module.Title, User: &mu, CSRF: marks[slotCSRF],
		Path: courses.ModuleURL(p.Course.Slug, p.Module.Slug), D: p}
	if err := s.views.pages["module"].Execute(&b, data); err != nil {
		return nil, fmt.Errorf("web: render the shell of module %q (version %d): %w", k.module, k.version, err)
	}
	sh = s.shells.cut(b.String())
	s.shells.mu.Lock()
	s.shells.byKey[k] = sh
	s.shells.mu.Unlock()
	return sh, nil
}

// stringWriter is where a page is assembled: the response's body, or a
// buffer in tests.
type stringWriter interface {
	WriteString(string) (int, error)
}

// bodyWriter appends to a response's body, so a page is copied once.
type bodyWriter struct{ r *fasthttp.Response }

func (w bodyWriter) WriteString(s string) (int, error) {
	w.r.AppendBodyString(s)
	return len(s), nil
}

// writeModule writes a module page from its shell: vals fill the slots
// but the quiz's, whose fieldsets come from the pieces kept per version.
func (s *Server) writeModule(w stringWriter, sh *shell, vals *[slotCount]string, version int64, module string, questions []*courses.Question) error {
	for i, part := range sh.parts {
		w.WriteString(part)
		if i == len(sh.slots) {
			break
		}
		if sl := sh.slots[i]; sl == slotQuiz {
			if err := s.writeFreshQuiz(w, version, module, questions); err != nil {
				return err
			}
		} else {
			w.WriteString(vals[sl])
		}
	}
	return nil
}

// renderModule writes a module page: from its shell when the shell covers
// it, through the templates otherwise.
func (s *Server) renderModule(c *fiber.Ctx, p modulePage) error {
	u := userOf(c)
	if u == nil || p.TryAgain != "" || p.Quiz.Missing != nil || c.Path() != courses.ModuleURL(p.Course.Slug, p.Module.Slug) {
		return s.render(c, "module", p.Module.Title, p)
	}
	k := shellKey{version: p.VersionID, module: p.Module.Slug, role: u.Role, done: p.Standing.Done[p.Module.Slug], shown: len(p.Quiz.Questions)}
	sh, err := s.moduleShell(k, p, u)
	if err != nil {
		return err
	}
	vals := [slotCount]string{
		slotCSRF: htmlEscape(s.csrfToken(c)),
		slotName: htmlEscape(u.Name),
		slotKey:  htmlEscape(p.Key),
		slotDraw: strconv.FormatInt(p.DrawID, 10),
	}
	resp := c.Response()
	resp.ResetBody()
	if err := s.writeModule(bodyWriter{resp}, sh, &vals, p.VersionID, p.Module.Slug, p.Quiz.Questions); err != nil {
		resp.ResetBody()
		return err
	}
	pageHeaders(c)
	return nil
}

// htmlEscape escapes a string as html/template does in text and in quoted
// attribute values (its htmlEscaper and attrEscaper share one table), so a
// value filled into a shell reads as the template would have written it.
func htmlEscape(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	// Byte by byte: every character escaped is ASCII, and bytes that are
	// not UTF-8 pass through as the template lets them.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
