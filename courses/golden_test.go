package courses

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestGolden renders each fixture and compares the HTML and questions with
// testdata/<name>.golden: testdata/<name>.md is one module (with a standard
// course.md), testdata/<name>/ a whole course folder. Review the diff of a
// golden file like code: it is what learners will see.
func TestGolden(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if e.IsDir() {
			name, ok = e.Name(), true
		}
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var c *Course
			var ps Problems
			if e.IsDir() {
				c, ps = ParseFS(os.DirFS("testdata"), name)
			} else {
				b, err := os.ReadFile(filepath.Join("testdata", e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				c, ps = Parse(name, withCourse(File{Name: "01-" + name + ".md", Text: string(b)}))
			}
			got := dump(c, ps)
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./courses -run TestGolden -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got); if the change is right, run go test ./courses -run TestGolden -update:\n%s", path, diff)
			}
		})
	}
}

// dump writes a course out in a form that reads well in a diff.
func dump(c *Course, ps Problems) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("== problems")
	for _, pr := range ps {
		p("%s", pr)
	}
	if c == nil {
		return b.String()
	}
	p("== course %s", c.Slug)
	p("title: %s", c.Title)
	p("summary: %s", c.Summary)
	p("refresher: %s, window: %s, pass: %d, material: %v", c.Refresher, c.Window, c.Pass, c.Material)
	var names []string
	for _, f := range c.Files {
		names = append(names, f.Name)
	}
	p("files: %s", strings.Join(names, ", "))
	p("-- intro")
	p("%s", c.IntroHTML)
	for _, m := range c.Modules {
		p("== module %s (%s)", m.Slug, m.File)
		p("title: %s, minutes: %d, aliases: %v", m.Title, m.Minutes, m.Aliases)
		p("-- lesson")
		p("%s", m.LessonHTML)
		for _, q := range m.Questions {
			kind := "single"
			if q.Multiple {
				kind = "multiple"
			}
			p("-- question %s (line %d, %s)", q.ID, q.Line, kind)
			p("prompt: %s", q.Prompt)
			for _, ch := range q.Choices {
				mark := " "
				if ch.Correct {
					mark = "x"
				}
				p("[%s] %s %s", mark, ch.ID, ch.HTML)
				if ch.FeedbackHTML != "" {
					p("    feedback: %s", strings.ReplaceAll(string(ch.FeedbackHTML), "\n", "\n    "))
				}
			}
			p("explanation: %s", q.ExplanationHTML)
		}
	}
	return b.String()
}
