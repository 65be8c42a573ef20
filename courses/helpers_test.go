package courses

import (
	"strings"
	"testing"
)

// lines joins its arguments as the lines of a file, so that a test can find
// a line number by counting arguments.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// courseMD is a course.md with nothing to report.
var courseMD = lines(
	"---",                      // 1
	"title: Serving customers", // 2
	"refresher: 12 months",     // 3
	"window: 30 days",          // 4
	"pass: 80",                 // 5
	"---",                      // 6
	"",                         // 7
	"Welcome.",                 // 8
)

// goodModule is a module with nothing to report, whose one question has
// the given ID.
func goodModule(id string) string {
	return lines(
		"---",             // 1
		"title: Greeting", // 2
		"minutes: 5",      // 3
		"---",             // 4
		"",                // 5
		"Say hello.",      // 6
		"",                // 7
		"## Quiz",         // 8
		"",                // 9
		"### Whom do you greet first? {#"+id+"}", // 10
		"",                        // 11
		"- [ ] The manager",       // 12
		"- [x] The customer",      // 13
		"",                        // 14
		"> Customers come first.", // 15
	)
}

// withCourse returns course.md followed by the given module files.
func withCourse(files ...File) []File {
	return append([]File{{Name: "course.md", Text: courseMD}}, files...)
}

// mustParse parses files as course "demo" and fails the test on any error.
func mustParse(t testing.TB, files []File) *Course {
	t.Helper()
	c, ps := Parse("demo", files)
	if ps.HasErrors() {
		t.Fatalf("Parse: unexpected errors:\n%s", strings.Join(problemStrings(ps), "\n"))
	}
	return c
}

func problemStrings(ps Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// cid is the ID of the choice with the given text.
func cid(text string) string { return choiceID(normalize(text)) }
