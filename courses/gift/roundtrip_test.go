package gift

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
	"github.com/google/go-cmp/cmp"
)

var quizHeading = regexp.MustCompile(`(?mi)^## quiz[ \t]*$`)

// Every shipped course goes Markdown -> GIFT -> Markdown: each module's
// quiz is replaced by the questions read back from the export, and the
// course must parse to the same questions, choices, right answers,
// feedback and explanations, rendered to the same HTML.
func TestRoundTripKeepsShippedQuizzes(t *testing.T) {
	loaded, err := courses.LoadTree(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, l := range loaded {
		if l.Course == nil {
			t.Fatalf("%s: %v", l.Slug, l.Problems)
		}
		t.Run(l.Slug, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, l.Course); err != nil {
				t.Fatal(err)
			}
			im := Parse(buf.String())
			if len(im.Skipped) > 0 || len(im.Warnings) > 0 {
				t.Fatalf("export read back with skipped %v, warnings %v", im.Skipped, im.Warnings)
			}
			byCategory := map[string]*Import{}
			for _, q := range im.Questions {
				if byCategory[q.Category] == nil {
					byCategory[q.Category] = &Import{}
				}
				byCategory[q.Category].Questions = append(byCategory[q.Category].Questions, q)
			}
			var files []courses.File
			for _, f := range l.Course.Files {
				m := moduleOf(l.Course, f.Name)
				if m == nil || len(m.Questions) == 0 {
					files = append(files, f)
					continue
				}
				loc := quizHeading.FindStringIndex(f.Text)
				if loc == nil {
					t.Fatalf("%s: no ## Quiz", f.Name)
				}
				back := byCategory[l.Slug+"/"+m.Slug]
				if back == nil {
					t.Fatalf("%s: no category %s/%s in the export", f.Name, l.Slug, m.Slug)
				}
				files = append(files, courses.File{Name: f.Name, Text: f.Text[:loc[1]] + "\n\n" + back.Markdown()})
			}
			again, ps := courses.Parse(l.Slug, files)
			if again == nil {
				t.Fatalf("the course read back does not parse: %v", ps)
			}
			for i, m := range l.Course.Modules {
				total += len(m.Questions)
				if diff := cmp.Diff(quizOf(m), quizOf(again.Modules[i])); diff != "" {
					t.Errorf("module %s changed (-before +after):\n%s", m.Slug, diff)
				}
			}
		})
	}
	if total < 100 {
		t.Errorf("only %d questions went round; the shipped courses have more", total)
	}
}

func moduleOf(c *courses.Course, file string) *courses.Module {
	for _, m := range c.Modules {
		if m.File == file {
			return m
		}
	}
	return nil
}

type rtChoice struct {
	ID, Text, HTML, Feedback string
	Correct                  bool
}

type rtQuestion struct {
	ID, Prompt, Explanation string
	Multiple                bool
	Choices                 []rtChoice
}

func quizOf(m *courses.Module) []rtQuestion {
	var out []rtQuestion
	for _, q := range m.Questions {
		rq := rtQuestion{ID: q.ID, Prompt: q.Prompt, Explanation: string(q.ExplanationHTML), Multiple: q.Multiple}
		for _, c := range q.Choices {
			rq.Choices = append(rq.Choices, rtChoice{ID: c.ID, Text: c.Text, HTML: string(c.HTML), Feedback: string(c.FeedbackHTML), Correct: c.Correct})
		}
		out = append(out, rq)
	}
	return out
}

// A module with what the shipped courses rarely use: GIFT's special
// characters in every part, feedback of several blocks, a true/false
// question and a multiple-answer one with three right choices.
func TestRoundTripKeepsSpecialCharactersAndBlocks(t *testing.T) {
	module := "---\ntitle: Odd\n---\nLesson.\n\n## Quiz\n\n" +
		"### Does 1 + 1 = 2 in C# {or} ~ not: *ever*? {#odd-chars}\n\n" +
		"- [x] Yes: `a = b` ~ {c} #1\n\n  Because:\n\n  - one\n  - two\n\n  ```\n  x = {y}\n  ```\n\n" +
		"- [ ] No \\\\ never\n\n> It *is*, see [the guide](https://example.com/a#b).\n>\n> Second: paragraph.\n\n" +
		"### Is a refund always right? {#tf}\n\n- [ ] True\n\n  Not always.\n\n- [x] False\n\n> It depends on the case.\n\n" +
		"### Pick the three good habits {#three}\n\n- [x] Listen\n- [x] Play back\n- [ ] Interrupt\n\n  No.\n\n- [x] Ask\n\n> All three help.\n"
	files := []courses.File{
		{Name: "course.md", Text: "---\ntitle: Odd\nrefresher: 12 months\nwindow: 30 days\npass: 80\n---\n"},
		{Name: "01-odd.md", Text: module},
	}
	c, ps := courses.Parse("odd", files)
	if c == nil {
		t.Fatal(ps)
	}
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\tFALSE#Not always.#\n", "~%33.33333%Listen", "~%-100%Interrupt#No."} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("the export lacks %q:\n%s", want, buf.String())
		}
	}
	im := Parse(buf.String())
	if len(im.Skipped) > 0 || len(im.Warnings) > 0 {
		t.Fatalf("export read back with skipped %v, warnings %v\n%s", im.Skipped, im.Warnings, buf.String())
	}
	back := mustParse(t, im.Markdown())
	if diff := cmp.Diff(quizOf(c.Modules[0]), quizOf(&courses.Module{Questions: back})); diff != "" {
		t.Errorf("questions changed (-before +after):\n%s\nGIFT:\n%s\nMarkdown:\n%s", diff, buf.String(), im.Markdown())
	}
}
