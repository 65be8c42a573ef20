package gift

import (
	"testing"

	"github.com/frontline-lms/frontline/courses"
	"github.com/google/go-cmp/cmp"
)

// The examples are those of Moodle's GIFT format documentation, one per
// construct, so a file written by the book imports as the book says.
func TestParseDocumentedConstructs(t *testing.T) {
	tests := []struct {
		name     string
		gift     string
		want     []Question // Line, Name, ID, Category, Prompt, Fixed, Choices, Explanation
		skipped  []Note
		warnings int
	}{
		{
			name: "single choice",
			gift: "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
			want: []Question{{Line: 1, ID: "who-s-buried-in-grant-s-tomb", Prompt: "Who's buried in Grant's tomb?", Choices: []Choice{{Text: "Grant"}, {Text: "Jefferson"}, {Text: "no one", Correct: true}}}},
		},
		{
			name: "answers on their own lines",
			gift: "Who's buried in Grant's tomb?\n{\n  ~Grant\n  ~Jefferson\n  =no one\n}\n",
			want: []Question{{Line: 1, ID: "who-s-buried-in-grant-s-tomb", Prompt: "Who's buried in Grant's tomb?", Choices: []Choice{{Text: "Grant"}, {Text: "Jefferson"}, {Text: "no one", Correct: true}}}},
		},
		{
			name: "true",
			gift: "The sun rises in the east.{T}\n\nThe sun sets in the west.{TRUE#It does, every day.#Right.}",
			want: []Question{
				{Line: 1, ID: "the-sun-rises-in-the-east", Prompt: "The sun rises in the east.", Fixed: true, Choices: []Choice{{Text: "True", Correct: true}, {Text: "False"}}},
				{Line: 3, ID: "the-sun-sets-in-the-west", Prompt: "The sun sets in the west.", Fixed: true, Choices: []Choice{{Text: "True", Correct: true, Feedback: "Right."}, {Text: "False", Feedback: "It does, every day."}}},
			},
		},
		{
			name: "false, with feedback for the wrong and the right answer",
			gift: "Grant is buried in Grant's tomb.{FALSE#No one is buried there.#Right: no one is.}",
			want: []Question{{Line: 1, ID: "grant-is-buried-in-grant-s-tomb", Prompt: "Grant is buried in Grant's tomb.", Fixed: true, Choices: []Choice{{Text: "True", Feedback: "No one is buried there."}, {Text: "False", Correct: true, Feedback: "Right: no one is."}}}},
		},
		{
			name: "multiple response with percentage weights",
			gift: "What two people are entombed in Grant's tomb? {\n   ~%-100%No one\n   ~%50%Grant\n   ~%50%Grant's wife\n   ~%-100%Grant's father\n}",
			want: []Question{{Line: 1, ID: "what-two-people-are-entombed-in-grant-s-tomb", Prompt: "What two people are entombed in Grant's tomb?", Choices: []Choice{{Text: "No one"}, {Text: "Grant", Correct: true}, {Text: "Grant's wife", Correct: true}, {Text: "Grant's father"}}}},
		},
		{
			name: "feedback on each answer",
			gift: "What's the answer to this multiple-choice question? {\n~wrong answer#feedback comment on the wrong answer\n~another wrong answer#feedback comment on this wrong answer\n=right answer#Very good!}",
			want: []Question{{Line: 1, ID: "what-s-the-answer-to-this-multiple-choice-question", Prompt: "What's the answer to this multiple-choice question?", Choices: []Choice{
				{Text: "wrong answer", Feedback: "feedback comment on the wrong answer"},
				{Text: "another wrong answer", Feedback: "feedback comment on this wrong answer"},
				{Text: "right answer", Correct: true, Feedback: "Very good!"},
			}}},
		},
		{
			name: "general feedback",
			gift: "How many legs has a spider?{=8 ~6 ####Count them: spiders are not insects.}",
			want: []Question{{Line: 1, ID: "how-many-legs-has-a-spider", Prompt: "How many legs has a spider?", Choices: []Choice{{Text: "8", Correct: true}, {Text: "6"}}, Explanation: "Count them: spiders are not insects."}},
		},
		{
			name: "names become ids, categories apply to what follows, comments are left out",
			gift: "// question: 1 name: Q1\n$CATEGORY: tom/dick/harry\n\n::Q1 Colours:: // not a comment, part of the text\nWhat's between orange and green in the spectrum?\n{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }",
			want: []Question{{Line: 4, Name: "Q1 Colours", ID: "q1-colours", Category: "tom/dick/harry", Prompt: "// not a comment, part of the text What's between orange and green in the spectrum?", Choices: []Choice{
				{Text: "yellow", Correct: true, Feedback: "right; good!"}, {Text: "red", Feedback: "wrong, it's yellow"}, {Text: "blue", Feedback: "wrong, it's yellow"},
			}}},
		},
		{
			name: "escapes",
			gift: "Which answer equals 5? {\n  ~ \\= 2 + 2\n  = \\= 2 + 3\n  ~ \\= 2 + 4 #\\{not\\} \\~ \\#1\n}\n\n::Colon\\: a name:: 1 \\: 2 \\\\ 3 line\\nbreak {T}",
			want: []Question{
				{Line: 1, ID: "which-answer-equals-5", Prompt: "Which answer equals 5?", Choices: []Choice{{Text: "\\= 2 + 2"}, {Text: "\\= 2 + 3", Correct: true}, {Text: "\\= 2 + 4", Feedback: "\\{not\\} \\~ \\#1"}}},
				{Line: 7, Name: "Colon: a name", ID: "colon-a-name", Prompt: "1 : 2 \\\\ 3 line break", Fixed: true, Choices: []Choice{{Text: "True", Correct: true}, {Text: "False"}}},
			},
		},
		{
			name: "markdown format is kept",
			gift: "[markdown]Which is **bold**?{=**this** ~that #*not* this}",
			want: []Question{{Line: 1, ID: "which-is-bold", Prompt: "Which is **bold**?", Choices: []Choice{{Text: "**this**", Correct: true}, {Text: "that", Feedback: "*not* this"}}}},
		},
		{
			name:     "html format is converted",
			gift:     "::H::[html]Is <b>this</b> <a href\\=\"https\\://example.com\">safe</a>?<script>x()</script>{=<i>yes</i> ~no#<p>One</p><p>Two</p>}",
			want:     []Question{{Line: 1, Name: "H", ID: "h", Prompt: "Is **this** [safe](https://example.com)?", Choices: []Choice{{Text: "*yes*", Correct: true}, {Text: "no", Feedback: "One\n\nTwo"}}}},
			warnings: 1,
		},
		{
			name: "plain format escapes Markdown",
			gift: "[plain]Is *this* <b>bold</b>?{=no ~yes}",
			want: []Question{{Line: 1, ID: "is-this-b-bold-b", Prompt: "Is \\*this\\* \\<b\\>bold\\</b\\>?", Choices: []Choice{{Text: "no", Correct: true}, {Text: "yes"}}}},
		},
		{
			name:     "partial credit in a single-choice question is reported",
			gift:     "Pick one {=best ~%50%half ~none}",
			want:     []Question{{Line: 1, ID: "pick-one", Prompt: "Pick one", Choices: []Choice{{Text: "best", Correct: true}, {Text: "half"}, {Text: "none"}}}},
			warnings: 1,
		},
		{
			name: "unsupported types are listed with their lines",
			gift: "::Q3:: Two plus {=two =2} equals four.\n\n::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }\n\n::Q5:: What is a number from 1 to 5? {#3:2}\n\n::Q7:: When was Ulysses S. Grant born? {#\n         =1822:0      # Correct! Full credit.\n         =%50%1822:2  # Half credit for being close.\n}\n\n::Q8:: How are you? {}\n\nWho's buried in Grant's tomb?{=no one =nobody}\n\nJust some text.\n\nUnclosed {=a ~b",
			skipped: []Note{
				{Line: 1, Message: `question "Q3" is a missing-word question (text after the answers): Frontline does not support it, so it was skipped`},
				{Line: 3, Message: `question "Q4" is a matching question: Frontline does not support it, so it was skipped`},
				{Line: 5, Message: `question "Q5" is a numerical question: Frontline does not support it, so it was skipped`},
				{Line: 7, Message: `question "Q7" is a numerical question: Frontline does not support it, so it was skipped`},
				{Line: 12, Message: `question "Q8" is an essay question: Frontline does not support it, so it was skipped`},
				{Line: 14, Message: `the question is a short-answer question: Frontline does not support it, so it was skipped`},
				{Line: 16, Message: `the question is a description (text with no answers in braces): Frontline has no such question, so it was skipped`},
				{Line: 18, Message: `the question has a "{" without its "}" (or the other way round): write its answers between one pair of braces, and escape a brace in the text as \{ or \}`},
			},
		},
		{
			name:    "a missing word multiple-choice question is skipped too",
			gift:    "Grant is {~buried =entombed ~living} in Grant's tomb.",
			skipped: []Note{{Line: 1, Message: `the question is a missing-word question (text after the answers): Frontline does not support it, so it was skipped`}},
		},
		{
			name: "names that make the same id are told apart",
			gift: "::Same::A?{=a ~b}\n\n::same::B?{=a ~b}",
			want: []Question{
				{Line: 1, Name: "Same", ID: "same", Prompt: "A?", Choices: []Choice{{Text: "a", Correct: true}, {Text: "b"}}},
				{Line: 3, Name: "same", ID: "same-2", Prompt: "B?", Choices: []Choice{{Text: "a", Correct: true}, {Text: "b"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := Parse(tt.gift)
			if diff := cmp.Diff(tt.want, im.Questions); diff != "" {
				t.Errorf("questions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, im.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if len(im.Warnings) != tt.warnings {
				t.Errorf("warnings: got %v, want %d", im.Warnings, tt.warnings)
			}
			if len(im.Questions) > 0 {
				mustParse(t, im.Markdown())
			}
		})
	}
}

// mustParse checks that imported Markdown is a valid Frontline quiz (the
// authoring advice in warnings is for the trainer) and returns its
// questions.
func mustParse(t *testing.T, quiz string) []*courses.Question {
	t.Helper()
	c, ps := courses.Parse("imported", []courses.File{
		{Name: "course.md", Text: "---\ntitle: Imported\nrefresher: 12 months\nwindow: 30 days\npass: 80\n---\n"},
		{Name: "01-quiz.md", Text: "---\ntitle: Quiz\n---\nLesson.\n\n## Quiz\n\n" + quiz},
	})
	for _, p := range ps {
		if p.Severity == courses.Error {
			t.Errorf("imported Markdown has a problem: %s\n%s", p, quiz)
		}
	}
	if c == nil {
		t.FailNow()
	}
	return c.Modules[0].Questions
}
