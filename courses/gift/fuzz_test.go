package gift

import (
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/courses"
)

// FuzzParse feeds arbitrary text to Parse: it must not panic, every note
// must point at a line of the file, and what it imports must be a valid
// Frontline quiz with the same questions, choices and right answers.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
		"::Q1:: 1+1=2 {T#no#yes####general}",
		"$CATEGORY: a/b\n\n// c\n::N::[html]<b>x</b>{~%50%a#f ~%50%b ~%-100%c}",
		"[markdown]**x** {=a\\: \\{b\\} ~c\\nd}",
		"[plain]1. x {=- a ~+ b}",
		"Grant is {~buried =entombed ~living} in Grant's tomb.",
		"{=a ~b}", "::::{}", "{", "}{", "\\", "a {=\\}", "::a::b{=c ~d}x",
		"Q {~<a href=\"javascript:x\">a</a> =<img src=x>b}",
		"Q {x} {=a ~b}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		im := Parse(src)
		lines := strings.Count(src, "\n") + strings.Count(src, "\r") + 1
		for _, n := range append(append([]Note{}, im.Skipped...), im.Warnings...) {
			if n.Line < 1 || n.Line > lines || n.Message == "" {
				t.Errorf("note outside the file's %d lines: %v", lines, n)
			}
		}
		if len(im.Questions) == 0 {
			return
		}
		md := im.Markdown()
		c, ps := courses.Parse("fuzz", []courses.File{
			{Name: "course.md", Text: "---\ntitle: Fuzz\nrefresher: 12 months\nwindow: 30 days\npass: 80\n---\n"},
			{Name: "01-quiz.md", Text: "---\ntitle: Quiz\n---\nLesson.\n\n## Quiz\n\n" + md},
		})
		if c == nil {
			t.Fatalf("imported Markdown does not parse: %v\n%s", ps, md)
		}
		got := c.Modules[0].Questions
		if len(got) != len(im.Questions) {
			t.Fatalf("%d questions imported, %d parsed\n%s", len(im.Questions), len(got), md)
		}
		for i, q := range im.Questions {
			if got[i].ID != q.ID || len(got[i].Choices) != len(q.Choices) {
				t.Fatalf("question %d: id %q with %d choices became %q with %d\n%s", i, q.ID, len(q.Choices), got[i].ID, len(got[i].Choices), md)
			}
			for j, ch := range q.Choices {
				if got[i].Choices[j].Correct != ch.Correct {
					t.Fatalf("question %q choice %d: right %v became %v\n%s", q.ID, j, ch.Correct, got[i].Choices[j].Correct, md)
				}
			}
		}
	})
}
