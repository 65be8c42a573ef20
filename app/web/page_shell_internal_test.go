package web

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// TestModuleShellIsWhatTheTemplateDraws writes every shipped module's page
// (and a course whose text carries markup, quotes and the characters the
// escaper changes) from its shell, for every role, done and not done, with
// names that need escaping, and compares each byte for byte with what the
// layout and module templates draw for the same page. Each page is
// written twice: the second from the kept shell.
func TestModuleShellIsWhatTheTemplateDraws(t *testing.T) {
	v, err := loadViews(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	shells, err := newPageShells()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{views: v, shells: shells}
	loaded, err := courses.LoadTree(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	hostile, err := courses.LoadTree(fstest.MapFS{
		"odd/course.md": {Data: []byte("---\ntitle: Odd \"course\" & <i>co</i> + more\nrefresher: 12 months\nwindow: 30 days\npass: 50\n---\n")},
		"odd/01-marks.md": {Data: []byte("---\ntitle: Marks 'n' <b>tags</b> + 1\nminutes: 3\n---\nRead <em>this</em> & that.\n\n## Quiz\n\n" +
			"### Which is \"quoted\" & <b>bold</b>? Choose all that apply {#q-one}\n\n" +
			"- [x] The **strong** one <script>alert(1)</script>\n- [x] `code` & \"quotes\"\n- [ ] A [link](https://example.com/?a=1&b=2)\n\n" +
			"### Pick one {#q-two}\n\n- [x] one\n- [ ] two\n")},
		"odd/02-read.md": {Data: []byte("---\ntitle: Just read\n---\nNo quiz here.\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	loaded = append(loaded, hostile...)
	names := []string{"Priya Raman", `O'Brien & "Sons" <b>+1</b>`, "bad \xff bytes and a \x00 NUL"}
	rng := rand.New(rand.NewPCG(3, 4))
	pages := 0
	for vi, l := range loaded {
		if l.Course == nil {
			t.Fatalf("%s does not parse: %v", l.Slug, l.Problems.Errors())
		}
		row := &store.Course{ID: int64(vi + 1), Slug: l.Course.Slug, CurrentVersionID: int64(100 + vi)}
		for _, m := range l.Course.Modules {
			var questions []*courses.Question
			if len(m.Questions) > 0 {
				shown, err := m.Shown(m.DrawQuiz(rng, nil))
				if err != nil {
					t.Fatal(err)
				}
				questions = shown.Questions
			}
			for _, role := range auth.Roles {
				for _, done := range []bool{false, true} {
					for ni, name := range names {
						// Each name with an account of its own: the shell is
						// rendered for the first, so a layout that came to show
						// anything else of the person's would differ here.
						u := &store.User{ID: int64(7 + ni), Name: name, Email: "p" + itoa(ni) + "@example.com", Role: string(role), Active: true,
							CreatedAt: time.Unix(int64(ni)*86400, 0)}
						p := newModulePage(row, l.Course, m, learning.Standing{Done: map[string]bool{m.Slug: done}})
						p.Key, p.DrawID = auth.NewToken(), int64(4242+ni)
						p.Quiz = quizFields{Questions: questions}
						csrf := auth.NewToken() + "+/="
						var want strings.Builder
						if err := v.pages["module"].Execute(&want, page{View: "module", Title: m.Title, User: u, CSRF: csrf,
							Path: courses.ModuleURL(l.Course.Slug, m.Slug), D: p}); err != nil {
							t.Fatal(err)
						}
						k := shellKey{version: row.CurrentVersionID, module: m.Slug, role: u.Role, done: done, shown: len(questions)}
						vals := [slotCount]string{slotCSRF: htmlEscape(csrf), slotName: htmlEscape(name), slotKey: htmlEscape(p.Key),
							slotDraw: itoa(int(p.DrawID))}
						for pass := range 2 {
							sh, err := s.moduleShell(k, p, u)
							if err != nil {
								t.Fatal(err)
							}
							var got strings.Builder
							if err := s.writeModule(&got, sh, &vals, row.CurrentVersionID, m.Slug, questions); err != nil {
								t.Fatal(err)
							}
							if got.String() != want.String() {
								t.Fatalf("%s/%s as %s (done %v, name %q), write %d differs from the template:\n%s",
									l.Slug, m.Slug, role, done, name, pass+1, firstDifference(want.String(), got.String()))
							}
						}
						pages++
					}
				}
			}
		}
	}
	if pages < 100 {
		t.Fatalf("only %d pages were compared", pages)
	}
}

// firstDifference shows where two pages part.
func firstDifference(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(i-80, 0)
	return "--- template\n" + want[from:min(i+80, len(want))] + "\n--- shell\n" + got[from:min(i+80, len(got))]
}

func TestHTMLEscapeIsTheTemplates(t *testing.T) {
	for _, in := range []string{"", "plain", `<a href="x">O'Brien & co</a> +1`, "\x00", "caf\xc3\xa9 \xff"} {
		var want strings.Builder
		if err := htmlEscapeCheck.Execute(&want, in); err != nil {
			t.Fatal(err)
		}
		if got := htmlEscape(in) + `|<input value="` + htmlEscape(in) + `">`; got != want.String() {
			t.Errorf("htmlEscape(%q) = %q, the template writes %q", in, got, want.String())
		}
	}
}

var htmlEscapeCheck = template.Must(template.New("").Parse(`{{.}}|<input value="{{.}}">`))
