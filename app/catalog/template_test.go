package catalog_test

import (
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/courses"
)

// TestNewCourseTemplateTextIsAWarning: a course straight from the template
// is valid (it previews and could be published) but every placeholder is a
// warning at its line; replaced by the trainer's own words, none is left.
func TestNewCourseTemplateTextIsAWarning(t *testing.T) {
	files := catalog.NewCourseFiles("Handling refunds")
	_, problems := courses.ParseDraft("handling-refunds", files)
	if problems.HasErrors() {
		t.Fatalf("the template has errors: %v", problems.Errors())
	}
	var got []string
	for _, p := range problems.Warnings() {
		got = append(got, p.String())
	}
	want := []string{
		"handling-refunds/01-first-module.md:6: warning: \"" + courses.PlaceholderLesson + "\" is the new course template's text: replace it with your own",
		"handling-refunds/01-first-module.md:10: warning: \"" + courses.PlaceholderQuestion + "\"",
		"handling-refunds/01-first-module.md:12: warning: \"" + courses.PlaceholderWrong + "\"",
		"handling-refunds/01-first-module.md:14: warning: \"" + courses.PlaceholderFeedback + "\"",
		"handling-refunds/01-first-module.md:16: warning: \"" + courses.PlaceholderRight + "\"",
		"handling-refunds/01-first-module.md:18: warning: \"" + courses.PlaceholderExplanation + "\"",
		"handling-refunds/course.md:3: warning: \"" + courses.PlaceholderSummary + "\"",
		"handling-refunds/course.md:9: warning: \"" + courses.PlaceholderIntro + "\"",
	}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("want a warning %s…\ngot:\n%s", w, joined)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d warnings, want %d:\n%s", len(got), len(want), joined)
	}

	// The trainer's own words, even ones that quote the template inside a
	// sentence, are not template text.
	for i := range files {
		r := strings.NewReplacer(courses.PlaceholderSummary, "Take a refund without a manager.",
			courses.PlaceholderIntro, "Refunds done well keep customers.",
			courses.PlaceholderLesson, "Say \""+courses.PlaceholderQuestion+"\" aloud before you act.",
			courses.PlaceholderQuestion, "A customer has no receipt. What now?",
			courses.PlaceholderWrong, "Refuse it outright", courses.PlaceholderFeedback, "They will not come back.",
			courses.PlaceholderRight, "Offer store credit", courses.PlaceholderExplanation, "Credit keeps the sale.")
		files[i].Text = r.Replace(files[i].Text)
	}
	if _, problems := courses.ParseDraft("handling-refunds", files); len(problems) != 0 {
		t.Errorf("own words still warned about: %v", problems)
	}
}
