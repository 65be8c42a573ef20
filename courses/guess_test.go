package courses

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGuessabilityWarnings has a passing and a failing case for each rule
// of the guessability check, each failure with its exact file and line.
func TestGuessabilityWarnings(t *testing.T) {
	module := func(questions ...[4]string) File {
		return File{Name: "01-checking.md", Text: quizFile("q", "minutes: 5", questions...)}
	}
	const (
		longestWhy = "someone who always picks the longest choice passes without reading the lessons; give a wrong choice as much detail as the right one, or trim the right one"
		ratioWhy   = "its length alone gives it away; give the wrong choices the same detail, or trim the right one"
		aboveWhy   = `which is answered by weighing the other choices rather than by knowing the lesson, and makes no sense once choices are shuffled: write each option as a choice of its own, and make it a "Choose all that apply" question if several are right`
		allButWhy  = "someone who ticks everything but the odd one out passes without reading the lessons; vary how many choices are right"
	)
	tests := []struct {
		name  string
		files []File
		want  []string
	}{
		// The right choice is the longest in more than 40% of a course's
		// single-answer questions.
		{
			name:  "right choice longest in 2 of 5 questions (40%) passes",
			files: withCourse(module(longRight, shortRight, longRight, shortRight, shortRight)),
		},
		{
			name:  "right choice longest in 3 of 5 questions (60%) is named in each",
			files: withCourse(module(longRight, shortRight, longRight, shortRight, longRight)),
			want: []string{
				`demo/01-checking.md:9: warning: the right choice of question "q1" is the longest, as in 3 of the course's 5 single-answer questions (60%, more than 40%): ` + longestWhy,
				`demo/01-checking.md:23: warning: the right choice of question "q3" is the longest, as in 3 of the course's 5 single-answer questions (60%, more than 40%): ` + longestWhy,
				`demo/01-checking.md:37: warning: the right choice of question "q5" is the longest, as in 3 of the course's 5 single-answer questions (60%, more than 40%): ` + longestWhy,
			},
		},
		{
			name:  "the share counts across modules, and multiple-answer questions are not in it",
			files: withCourse(module(longRight, shortRight, twoOfFour), File{Name: "02-more.md", Text: quizFile("r", "minutes: 5", longRight, shortRight, longRight)}),
			want: []string{
				`demo/01-checking.md:9: warning: the right choice of question "q1" is the longest, as in 3 of the course's 5 single-answer questions (60%, more than 40%): ` + longestWhy,
				`demo/02-more.md:9: warning: the right choice of question "r1" is the longest, as in 3 of the course's 5 single-answer questions (60%, more than 40%): ` + longestWhy,
				`demo/02-more.md:23: warning: the right choice of question "r3" is the longest, as in 3 of the course's 5 single-answer questions (60%, more than 40%): ` + longestWhy,
			},
		},
		{
			name:  "fewer than 5 single-answer questions are too few to judge a share",
			files: withCourse(module(longRight, longRight, longRight, longRight)),
		},
		{
			name:  "a tie for longest does not count as longest",
			files: withCourse(module([4]string{"x Call them today", "Text them today", "Ask a colleague", "Mail them today"}, longRight, longRight, shortRight, shortRight)),
		},
		// The right choice is more than 1.5 times as long as every wrong one.
		{
			name:  "right choice exactly 1.5 times the longest wrong one passes",
			files: withCourse(module([4]string{"x Ring them today", "Text them!", "Ask Sam", "Email"})),
		},
		{
			name:  "right choice more than 1.5 times every wrong one",
			files: withCourse(module(shortRight, [4]string{"x Ring them today.", "Text them!", "Ask Sam", "Email"})),
			want: []string{
				`demo/01-checking.md:16: warning: the right choice of question "q2" is more than 1.5 times as long as every wrong one (16 characters against at most 10): ` + ratioWhy,
			},
		},
		{
			name:  "length is counted in characters, not bytes",
			files: withCourse(module([4]string{"x Ring Ünal Öztürk", "Send a text", "Wait a day", "Email"})),
		},
		{
			name:  "markup does not count towards the length",
			files: withCourse(module([4]string{"x **Ring** [them](https://example.com/a/long/path) today", "Text them!", "Ask Sam", "Email"})),
		},
		// "All of the above" style choices.
		{
			name:  "choices that only mention 'these' in a sentence pass",
			files: withCourse(module([4]string{"x None of these customers was angry", "All of these people were calm", "Both of them left early", "One of them stayed"})),
		},
		{
			name: "all, none and both of the above, and all of these, are named on their lines",
			files: withCourse(module(
				[4]string{"x All of the above", "Call them back today", "Send a text now", "Ask a colleague"},
				[4]string{"Call them back today", "x Send a text now", "None of the above.", "Ask a colleague"},
				[4]string{"Call them back today", "Send a text now", "x Ask a colleague", "Both of the above"},
				[4]string{"Call them back today", "x Send a text now", "Ask a colleague", "All of these"},
			)),
			want: []string{
				`demo/01-checking.md:10: warning: question "q1" has the choice "All of the above", ` + aboveWhy,
				`demo/01-checking.md:19: warning: question "q2" has the choice "None of the above.", ` + aboveWhy,
				`demo/01-checking.md:27: warning: question "q3" has the choice "Both of the above", ` + aboveWhy,
				`demo/01-checking.md:34: warning: question "q4" has the choice "All of these", ` + aboveWhy,
			},
		},
		// All but one choice right in more than half of a course's
		// multiple-answer questions.
		{
			name:  "all but one right in 1 of 2 multiple-answer questions passes",
			files: withCourse(module(allButOne, twoOfFour, shortRight)),
		},
		{
			name:  "all but one right in 2 of 3 multiple-answer questions is named in each",
			files: withCourse(module(allButOne, twoOfFour, shortRight, allButOne)),
			want: []string{
				`demo/01-checking.md:9: warning: every choice of question "q1" but one is right, as in 2 of the course's 3 multiple-answer questions (more than half): ` + allButWhy,
				`demo/01-checking.md:30: warning: every choice of question "q4" but one is right, as in 2 of the course's 3 multiple-answer questions (more than half): ` + allButWhy,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ps := Parse("demo", tt.files)
			if c == nil {
				t.Fatalf("Parse: unexpected errors:\n%s", strings.Join(problemStrings(ps), "\n"))
			}
			if diff := cmp.Diff(tt.want, problemStrings(ps)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			// The browser editor lists the problems of ParseDraft.
			if _, dps := ParseDraft("demo", tt.files); !cmp.Equal(problemStrings(dps), problemStrings(ps)) {
				t.Errorf("ParseDraft reports other problems than Parse:\n%s", cmp.Diff(problemStrings(ps), problemStrings(dps)))
			}
		})
	}
}

// TestTrickResult grades a module as a learner using only the two tricks:
// the longest choice, and all choices but one.
func TestTrickResult(t *testing.T) {
	tests := []struct {
		name      string
		questions [][4]string
		pass      int
		correct   int
		passed    bool
	}{
		{"no question guessable", [][4]string{shortRight, twoOfFour, shortRight, twoOfFour}, 75, 0, false},
		{"three of four guessable passes at 75", [][4]string{longRight, allButOne, longRight, twoOfFour}, 75, 3, true},
		{"three of four guessable fails at 80", [][4]string{longRight, allButOne, longRight, twoOfFour}, 80, 3, false},
		{"two of three guessable is 66%, under 67", [][4]string{longRight, allButOne, shortRight}, 67, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := Parse("demo", withCourse(File{Name: "01-checking.md", Text: quizFile("q", "minutes: 5", tt.questions...)}))
			if c == nil {
				t.Fatal("the course does not parse")
			}
			r, err := c.Modules[0].TrickResult(tt.pass)
			if err != nil || r.Correct != tt.correct || r.Passed != tt.passed {
				t.Errorf("TrickResult = %d right, passed %v, err %v; want %d, %v", r.Correct, r.Passed, err, tt.correct, tt.passed)
			}
		})
	}
}
