package courses

import "strings"

// The texts a course written in the browser starts with. Each one explains
// what belongs in its place; left in a published course it reads as
// unfinished, so Parse warns about every one it finds.
const (
	PlaceholderSummary     = "One sentence saying what people will be able to do."
	PlaceholderIntro       = "Why this course matters, in two or three sentences."
	PlaceholderLesson      = "Write the lesson here: a short scene from a real shift, then what to do."
	PlaceholderQuestion    = "What would you do first?"
	PlaceholderWrong       = "A tempting but wrong choice"
	PlaceholderFeedback    = "Why it falls short."
	PlaceholderRight       = "The right choice"
	PlaceholderExplanation = "Why the right choice is right."
)

var placeholders = []string{PlaceholderSummary, PlaceholderIntro, PlaceholderLesson, PlaceholderQuestion,
	PlaceholderWrong, PlaceholderFeedback, PlaceholderRight, PlaceholderExplanation}

// placeholderTexts warns, once per line, where a file still holds template
// text. A line must say nothing but the placeholder (after Markdown's list,
// quote and heading marks) so a lesson that happens to contain the words is
// left alone.
func (p *courseParser) placeholderTexts(file, text string) {
	for i, line := range strings.Split(text, "\n") {
		bare := strings.TrimSpace(line)
		bare = strings.TrimPrefix(bare, "summary:")
		for _, mark := range []string{"###", "- [ ]", "- [x]", ">"} {
			bare = strings.TrimPrefix(bare, mark)
		}
		bare = strings.TrimSpace(bare)
		if j := strings.Index(bare, " {#"); j >= 0 && strings.HasSuffix(bare, "}") {
			bare = bare[:j]
		}
		for _, ph := range placeholders {
			if bare == ph {
				p.warnf(file, i+1, "%q is the new course template's text: replace it with your own", ph)
				break
			}
		}
	}
}
