package web

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// TestFreshQuizIsWhatTheTemplateDraws assembles every shipped module's quiz,
// and a course whose prompts and choices carry markup and quotes, from the
// pieces kept per version, for several draws (shuffled questions and
// choices), and compares each byte for byte with what the quiz-questions
// template draws for the same questions. The second assembly comes from the
// kept pieces and must not differ either.
func TestFreshQuizIsWhatTheTemplateDraws(t *testing.T) {
	v, err := loadViews(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{views: v}
	loaded, err := courses.LoadTree(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	hostile, err := courses.LoadTree(fstest.MapFS{
		"odd/course.md": {Data: []byte("---\ntitle: Odd\nrefresher: 12 months\nwindow: 30 days\npass: 50\n---\n")},
		"odd/01-marks.md": {Data: []byte("---\ntitle: Marks\n---\nRead.\n\n## Quiz\n\n" +
			"### Which is \"quoted\" & <b>bold</b>? Choose all that apply {#q-one}\n\n" +
			"- [x] The **strong** one <script>alert(1)</script>\n- [x] `code` & \"quotes\"\n- [ ] A [link](https://example.com/?a=1&b=2)\n\n" +
			"### Pick several {#q-two}\n\n- [x] one\n- [x] two\n- [ ] three\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	loaded = append(loaded, hostile...)
	rng := rand.New(rand.NewPCG(1, 2))
	modules := 0
	for vi, l := range loaded {
		if l.Course == nil {
			t.Fatalf("%s does not parse: %v", l.Slug, l.Problems.Errors())
		}
		for _, m := range l.Course.Modules {
			if len(m.Questions) == 0 {
				continue
			}
			modules++
			for range 3 {
				shown, err := m.Shown(m.DrawQuiz(rng, nil))
				if err != nil {
					t.Fatal(err)
				}
				var want bytes.Buffer
				if err := v.pages["module"].ExecuteTemplate(&want, "quiz-questions", quizFields{Questions: shown.Questions}); err != nil {
					t.Fatal(err)
				}
				for pass := range 2 {
					got, err := s.freshQuiz(int64(vi+1), m.Slug, shown.Questions)
					if err != nil {
						t.Fatal(err)
					}
					var out bytes.Buffer
					if err := v.pages["module"].ExecuteTemplate(&out, "quiz-questions", quizFields{Questions: shown.Questions, Rendered: got}); err != nil {
						t.Fatal(err)
					}
					if out.String() != want.String() {
						t.Fatalf("%s/%s, assembly %d differs from the template:\n--- template\n%s\n--- assembled\n%s", l.Slug, m.Slug, pass+1, want.String(), out.String())
					}
				}
			}
		}
	}
	if modules < 2 {
		t.Fatalf("only %d modules with a quiz were compared", modules)
	}
	// The prompt is plain text and the choices are sanitised: no markup
	// from the author reaches the page but what the sanitiser allows.
	odd := loaded[len(loaded)-1].Course.Modules[0]
	got, err := s.freshQuiz(int64(len(loaded)), odd.Slug, odd.Questions)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "<script") || strings.Contains(string(got), "<b>bold") || !strings.Contains(string(got), "&#34;quoted&#34; &amp;") {
		t.Fatalf("the prompt was not escaped, or the choice's script kept:\n%s", got)
	}
}

// freshQuiz is writeFreshQuiz into a string.
func (s *Server) freshQuiz(version int64, module string, questions []*courses.Question) (template.HTML, error) {
	var out strings.Builder
	if err := s.writeFreshQuiz(&out, version, module, questions); err != nil {
		return "", err
	}
	return template.HTML(out.String()), nil
}
