package courses

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestQuizQuestions covers quiz_questions on course.md and on modules: how
// it is read, how a module's own setting overrides the course's, and the
// warning for a quiz smaller than what it asks for.
func TestQuizQuestions(t *testing.T) {
	course := func(setting string) File {
		return File{Name: "course.md", Text: lines("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80", setting, "---", "Welcome.")}
	}
	module := func(name, setting string, questions int) File {
		qs := [][4]string{shortRight, twoOfFour, shortRight, twoOfFour, shortRight, twoOfFour}[:questions]
		return File{Name: name, Text: quizFile(name[:2]+"-", setting, qs...)}
	}
	const poolWhy = "every attempt shows the same questions, so a retake can be passed from memory"
	tests := []struct {
		name       string
		files      []File
		draw       []int // QuizQuestions of each module
		perAttempt []int // PerAttempt of each module
		want       []string
	}{
		{
			name:       "no setting shows every question",
			files:      []File{course("summary: x"), module("01-a.md", "minutes: 5", 3)},
			draw:       []int{0},
			perAttempt: []int{3},
		},
		{
			name:       "the course's setting is every module's default, a module's own wins",
			files:      []File{course("quiz_questions: 4"), module("01-a.md", "minutes: 5", 6), module("02-b.md", "quiz_questions: 5", 6)},
			draw:       []int{4, 5},
			perAttempt: []int{4, 5},
		},
		{
			name:       "a pool as large as the draw passes",
			files:      []File{course("summary: x"), module("01-a.md", "quiz_questions: 2", 2)},
			draw:       []int{2},
			perAttempt: []int{2},
		},
		{
			name:       "a module asking for more than its quiz holds is warned at its setting",
			files:      []File{course("summary: x"), module("01-a.md", "quiz_questions: 3", 2)},
			draw:       []int{3},
			perAttempt: []int{2},
			want:       []string{`demo/01-a.md:3: warning: quiz_questions asks for 3 questions per attempt, but the quiz has only 2: ` + poolWhy + `; write more questions or lower quiz_questions`},
		},
		{
			name:       "a module too small for the course's setting is warned at its quiz",
			files:      []File{course("quiz_questions: 4"), module("01-a.md", "minutes: 5", 3), module("02-b.md", "quiz_questions: 3", 3)},
			draw:       []int{4, 3},
			perAttempt: []int{3, 3},
			want:       []string{`demo/01-a.md:8: warning: course.md asks for 4 questions per attempt (quiz_questions), but this quiz has only 3: ` + poolWhy + `; write more questions, or set a lower quiz_questions in this module`},
		},
		{
			name: "a module without a quiz is warned only when it sets quiz_questions itself",
			files: []File{course("quiz_questions: 4"),
				File{Name: "01-a.md", Text: lines("---", "title: Reading", "---", "Read this.")},
				File{Name: "02-b.md", Text: lines("---", "title: Reading", "quiz_questions: 4", "---", "Read this.")}},
			draw:       []int{4, 4},
			perAttempt: []int{0, 0},
			want: []string{
				`demo/01-a.md: warning: module has no quiz; it completes when read`,
				`demo/02-b.md: warning: module has no quiz; it completes when read`,
				`demo/02-b.md:3: warning: quiz_questions is set, but the module has no quiz questions to draw from: remove the setting, or write a quiz of at least 4 questions`,
			},
		},
		{
			name:  "zero is refused on the course",
			files: []File{course("quiz_questions: 0"), module("01-a.md", "minutes: 5", 2)},
			want:  []string{`demo/course.md:6: quiz_questions must be at least 1, not 0: leave it out to show every question in each attempt`},
		},
		{
			name:  "a negative number and a word are refused on a module",
			files: []File{course("summary: x"), module("01-a.md", "quiz_questions: -2", 2), module("02-b.md", "quiz_questions: five", 2)},
			want: []string{
				`demo/01-a.md:3: quiz_questions must be at least 1, not -2: leave it out to show every question in each attempt`,
				`demo/02-b.md:3: quiz_questions must be a whole number, such as "quiz_questions: 5", not "five"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ps := ParseDraft("demo", tt.files)
			if diff := cmp.Diff(tt.want, problemStrings(ps)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			if ps.HasErrors() {
				return
			}
			var draw, per []int
			for _, m := range c.Modules {
				draw, per = append(draw, m.QuizQuestions), append(per, m.PerAttempt())
			}
			if !cmp.Equal(draw, tt.draw) || !cmp.Equal(per, tt.perAttempt) {
				t.Errorf("QuizQuestions %v and PerAttempt %v, want %v and %v", draw, per, tt.draw, tt.perAttempt)
			}
		})
	}
}

func TestParsePause(t *testing.T) {
	tests := []struct {
		in      string
		want    string // the duration, or the error
		wantErr bool
	}{
		{in: "10 minutes", want: "10m0s"},
		{in: "1 Minute", want: "1m0s"},
		{in: " 2  hours ", want: "2h0m0s"},
		{in: "1 day", want: "24h0m0s"},
		{in: "7 days", want: "168h0m0s"},
		{in: "10080 minutes", want: "168h0m0s"},
		{in: "10m", want: `"10m" is not a pause: write a number and minutes, hours or days, such as "10 minutes"`, wantErr: true},
		{in: "ten minutes", want: `"ten minutes" is not a pause: it must start with a whole number, such as "10 minutes"`, wantErr: true},
		{in: "10 weeks", want: `"10 weeks" is not a pause: the unit must be minutes, hours or days`, wantErr: true},
		{in: "0 minutes", want: `"0 minutes" is not a pause: the number must be at least 1; leave the setting out for no pause`, wantErr: true},
		{in: "8 days", want: `"8 days" is too long: a pause can be at most 7 days, or people who fail could not finish a course that is due`, wantErr: true},
		{in: "10081 minutes", want: `"10081 minutes" is too long: a pause can be at most 7 days, or people who fail could not finish a course that is due`, wantErr: true},
		{in: "99999999999999999 hours", want: `"99999999999999999 hours" is too long: a pause can be at most 7 days, or people who fail could not finish a course that is due`, wantErr: true},
	}
	for _, tt := range tests {
		d, err := ParsePause(tt.in)
		got := d.String()
		if err != nil {
			got = err.Error()
		}
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParsePause(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRetakeAfterOnTheCourse(t *testing.T) {
	course := func(setting string) []File {
		return []File{
			{Name: "course.md", Text: lines("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80", setting, "---", "Welcome.")},
			{Name: "01-greeting.md", Text: goodModule("greet-first")},
		}
	}
	c := mustParse(t, course("retake_after: 15 minutes"))
	if c.RetakeAfter.String() != "15m0s" {
		t.Errorf("RetakeAfter = %s, want 15m0s", c.RetakeAfter)
	}
	if c := mustParse(t, course("summary: no pause")); c.RetakeAfter != 0 {
		t.Errorf("RetakeAfter = %s without the setting, want 0", c.RetakeAfter)
	}
	_, ps := Parse("demo", course("retake_after: 10m"))
	want := []string{`demo/course.md:6: retake_after: "10m" is not a pause: write a number and minutes, hours or days, such as "10 minutes"`}
	if diff := cmp.Diff(want, problemStrings(ps)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
}

// TestFixedQuestions: {fixed} on a question's heading, before or after its
// {#id}, keeps its choices in order and is not part of the prompt.
func TestFixedQuestions(t *testing.T) {
	tests := []struct {
		heading string
		id      string
		prompt  string
		fixed   bool
		want    []string
	}{
		{heading: "### Put the steps in order {#steps}", id: "steps", prompt: "Put the steps in order"},
		{heading: "### Put the steps in order {#steps} {fixed}", id: "steps", prompt: "Put the steps in order", fixed: true},
		{heading: "### Put the steps in order {fixed} {#steps}", id: "steps", prompt: "Put the steps in order", fixed: true},
		{heading: "### Put the steps in order {#steps}{ Fixed }", id: "steps", prompt: "Put the steps in order", fixed: true},
		{heading: "### Put the steps in order {fixed}", id: "put-the-steps-in-order", prompt: "Put the steps in order", fixed: true,
			want: []string{`demo/01-greeting.md:5: warning: question has no {#id}; its ID will change if the text changes: add one at the end of the heading, such as {#put-the-steps-in-order}`}},
		{heading: "### Is {fixed} a word here? {#word}", id: "word", prompt: "Is {fixed} a word here?"},
		{heading: "### Put the steps in order {#Steps} {fixed}", id: "Steps", prompt: "Put the steps in order", fixed: true,
			want: []string{`demo/01-greeting.md:5: the question ID "Steps" is not allowed: use only lower-case letters, digits and single hyphens, such as "late-orders"`}},
		{heading: "### Put the steps in order {#the steps} {fixed}", id: "put-the-steps-in-order", prompt: "Put the steps in order", fixed: true,
			want: []string{
				`demo/01-greeting.md:5: the {#the steps} at the end of this question could not be read as an ID: write it as {#some-id} and use only lower-case letters, digits and single hyphens, such as "late-orders"`,
				`demo/01-greeting.md:5: warning: question has no {#id}; its ID will change if the text changes: add one at the end of the heading, such as {#put-the-steps-in-order}`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.heading, func(t *testing.T) {
			files := withCourse(File{Name: "01-greeting.md", Text: lines("---", "title: Greeting", "---", "## Quiz", tt.heading, "- [x] Greet", "- [ ] Listen", "> Because.")})
			c, ps := ParseDraft("demo", files)
			if diff := cmp.Diff(tt.want, problemStrings(ps)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			q := c.Modules[0].Questions[0]
			if q.ID != tt.id && !ps.HasErrors() || q.Prompt != tt.prompt || q.Fixed != tt.fixed {
				t.Errorf("ID %q, prompt %q, fixed %v; want %q, %q, %v", q.ID, q.Prompt, q.Fixed, tt.id, tt.prompt, tt.fixed)
			}
		})
	}
}
