package courses

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestGuideExamplesPassTheChecks keeps content/README.md honest: the trainers
// copy its examples, so the complete example module and the "good" sofa
// question pass every check, and the "weak" one trips the length warning it
// is there to show.
func TestGuideExamplesPassTheChecks(t *testing.T) {
	b, err := os.ReadFile("../content/README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```markdown\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	find := func(marks ...string) string {
		t.Helper()
		for _, b := range blocks {
			if found := func() bool {
				for _, m := range marks {
					if !strings.Contains(b[1], m) {
						return false
					}
				}
				return true
			}(); found {
				return b[1]
			}
		}
		t.Fatalf("the guide has no example with %q", marks)
		return ""
	}
	asModule := func(quiz string) File {
		return File{Name: "01-example.md", Text: lines("---", "title: Example", "---", "Read this.", "", "## Quiz", "") + quiz}
	}
	tests := []struct {
		name string
		file File
		want string // a problem that must be reported; "" for none at all
	}{
		{"the complete example module", File{Name: "02-taking-a-message.md", Text: find("title: Taking a message")}, ""},
		{"the good sofa question", asModule(find("{#sofa-leg}", "Ana's")), ""},
		{"the weak sofa question", asModule(find("{#sofa-leg}", "prop it up")), "is more than 1.5 times as long as every wrong one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Parse("demo", withCourse(tt.file))
			got := strings.Join(problemStrings(ps), "\n")
			if tt.want == "" && len(ps) > 0 || !strings.Contains(got, tt.want) {
				t.Errorf("problems:\n%s\nwant %q", got, tt.want)
			}
		})
	}
}
