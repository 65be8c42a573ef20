package courses

import (
	"fmt"
	"html/template"
	"strings"
	"testing"

	"golang.org/x/net/html"
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

// allHTML lists every rendered fragment of a course, labelled for messages.
func allHTML(c *Course) map[string]template.HTML {
	out := map[string]template.HTML{"intro": c.IntroHTML}
	for _, m := range c.Modules {
		out[m.Slug+" lesson"] = m.LessonHTML
		for _, q := range m.Questions {
			out[m.Slug+" "+q.ID+" explanation"] = q.ExplanationHTML
			for i, ch := range q.Choices {
				out[fmt.Sprintf("%s %s choice %d", m.Slug, q.ID, i)] = ch.HTML
				out[fmt.Sprintf("%s %s feedback %d", m.Slug, q.ID, i)] = ch.FeedbackHTML
			}
		}
	}
	return out
}

// unsafeHTML returns why a fragment could run script or leak a learner to a
// dangerous URL, or "" when it is safe. It reads the HTML as a browser
// would, so text that merely mentions "javascript:" is not flagged.
func unsafeHTML(fragment string) string {
	if strings.Contains(strings.ToLower(fragment), "<script") {
		return "contains <script"
	}
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta", "link":
				return "has a <" + tok.Data + "> element"
			}
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(name, "on") {
					return "has an event attribute " + a.Key
				}
				if name == "style" && !strings.HasPrefix(val, "text-align:") {
					return "has a style attribute " + a.Val
				}
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.HasPrefix(val, scheme) {
						return fmt.Sprintf("has %s=%q", a.Key, a.Val)
					}
				}
			}
		}
	}
}

// quizFile is a module whose front matter has setting on line 3 and whose
// "## Quiz" is line 8. Each question is four choices, a leading "x " marking
// a right one; question i (from 0) has the ID <idPrefix><i+1> and is on
// line 9+7i, its choices on the four lines after it.
func quizFile(idPrefix, setting string, questions ...[4]string) string {
	ls := []string{"---", "title: Checking", setting, "---", "", "Read this first.", "", "## Quiz"}
	for i, q := range questions {
		ls = append(ls, fmt.Sprintf("### Question %d? {#%s%d}", i+1, idPrefix, i+1))
		for _, c := range q {
			if text, ok := strings.CutPrefix(c, "x "); ok {
				ls = append(ls, "- [x] "+text)
			} else {
				ls = append(ls, "- [ ] "+c)
			}
		}
		ls = append(ls, "> Because.", "")
	}
	return lines(ls...)
}

// Choices of about the same length (16 to 18 characters), so that only
// what a case sets up trips a rule.
var (
	// longRight is a single-answer question whose right choice is the
	// longest, but by less than 1.5 times.
	longRight = [4]string{"x Call them back today", "Send a text now", "Ask a colleague", "Write an email"}
	// shortRight is a single-answer question whose right choice is not
	// the longest.
	shortRight = [4]string{"x Send a text now", "Call them back today", "Ask a colleague", "Write an email"}
	// allButOne is a multiple-answer question with one wrong choice.
	allButOne = [4]string{"x Call them back today", "x Send a text now", "x Ask a colleague", "Write an email"}
	// twoOfFour is a multiple-answer question with two wrong choices.
	twoOfFour = [4]string{"x Call them back today", "x Send a text now", "Ask a colleague", "Write an email"}
)
