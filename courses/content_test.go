package courses_test

import (
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// TestShippedContentLoads keeps the courses embedded in the binary free of
// errors and warnings: the server refuses a broken course at boot, and a
// warning in shipped content is a mistake a trainer would copy.
func TestShippedContentLoads(t *testing.T) {
	loaded, err := courses.LoadTree(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) < 2 {
		t.Errorf("content has %d courses, want at least 2", len(loaded))
	}
	for _, l := range loaded {
		for _, p := range l.Problems {
			t.Errorf("%s", p)
		}
		if l.Course == nil {
			continue
		}
		if len(l.Course.Modules) == 0 {
			t.Errorf("%s: no modules", l.Slug)
		}
	}
}

// TestCurriculumKeepsItsShape holds the shipped curriculum to the bar set for
// it, so it cannot silently shrink: at least six courses of 3–5 modules, each
// module a 300–700-word lesson and at least three questions, every question
// explained, every course with a multiple-answer question.
func TestCurriculumKeepsItsShape(t *testing.T) {
	loaded, err := courses.LoadTree(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) < 6 {
		t.Errorf("the curriculum has %d courses, want at least 6", len(loaded))
	}
	for _, l := range loaded {
		c := l.Course
		if c == nil {
			t.Errorf("%s does not load", l.Slug)
			continue
		}
		if n := len(c.Modules); n < 3 || n > 5 {
			t.Errorf("%s: %d modules, want 3 to 5", c.Slug, n)
		}
		multiple := 0
		for _, m := range c.Modules {
			words := len(strings.Fields(textOf(string(m.LessonHTML))))
			if words < 300 || words > 700 {
				t.Errorf("%s/%s: lesson of %d words, want 300 to 700", c.Slug, m.File, words)
			}
			if len(m.Questions) < 3 {
				t.Errorf("%s/%s: %d questions, want at least 3", c.Slug, m.File, len(m.Questions))
			}
			for _, q := range m.Questions {
				if strings.TrimSpace(string(q.ExplanationHTML)) == "" {
					t.Errorf("%s/%s:%d: question %q has no explanation", c.Slug, m.File, q.Line, q.ID)
				}
				if q.Multiple {
					multiple++
				}
			}
		}
		if multiple == 0 {
			t.Errorf("%s: no multiple-answer question", c.Slug)
		}
	}
}

// textOf drops tags: word counts are of what a learner reads.
func textOf(html string) string {
	var b strings.Builder
	in := false
	for _, r := range html {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
