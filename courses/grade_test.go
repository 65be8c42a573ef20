package courses

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var gradeModule = lines(
	"---",
	"title: Late orders",
	"---",
	"",
	"Lesson.",
	"",
	"## Quiz",
	"",
	"### Pick one {#single}",
	"",
	"- [ ] A",
	"- [x] B",
	"- [ ] C",
	"",
	"> Why.",
	"",
	"### Pick all that apply {#multiple}",
	"",
	"- [x] A",
	"- [x] B",
	"- [ ] C",
	"",
	"> Why.",
	"",
	"### Pick yes {#third}",
	"",
	"- [x] Yes",
	"- [ ] No",
	"",
	"> Why.",
)

// graded is the part of a Result a test states: per question, the ID, the
// choices recorded and whether it was right.
type graded struct {
	Correct, Total, Score int
	Passed                bool
	Questions             []gradedQuestion
}

type gradedQuestion struct {
	ID      string
	Chosen  []string
	Correct bool
}

func summarize(r Result) graded {
	g := graded{Correct: r.Correct, Total: r.Total, Score: r.Score, Passed: r.Passed}
	for _, q := range r.Questions {
		g.Questions = append(g.Questions, gradedQuestion{q.Question.ID, q.Chosen, q.Correct})
	}
	return g
}

func TestGrade(t *testing.T) {
	c := mustParse(t, withCourse(File{"01-late-orders.md", gradeModule}, File{"02-read-only.md", lines("---", "title: Read me", "---", "", "Just read this.")}))
	quiz, readOnly := c.Modules[0], c.Modules[1]
	if !quiz.Questions[1].Multiple || quiz.Questions[0].Multiple {
		t.Fatalf("Multiple = %v, %v; want false, true", quiz.Questions[0].Multiple, quiz.Questions[1].Multiple)
	}
	q := func(id string, correct bool, chosen ...string) gradedQuestion {
		return gradedQuestion{ID: id, Chosen: chosen, Correct: correct}
	}

	tests := []struct {
		name    string
		module  *Module
		answers Answers
		pass    int
		want    graded
	}{
		{
			name:    "all correct",
			module:  quiz,
			answers: Answers{"single": {cid("B")}, "multiple": {cid("A"), cid("B")}, "third": {cid("Yes")}},
			pass:    80,
			want: graded{3, 3, 100, true, []gradedQuestion{
				q("single", true, cid("B")), q("multiple", true, cid("A"), cid("B")), q("third", true, cid("Yes"))}},
		},
		{
			name:    "multiple answers in any order, recorded in quiz order",
			module:  quiz,
			answers: Answers{"single": {cid("B")}, "multiple": {cid("B"), cid("A")}, "third": {cid("Yes")}},
			pass:    80,
			want: graded{3, 3, 100, true, []gradedQuestion{
				q("single", true, cid("B")), q("multiple", true, cid("A"), cid("B")), q("third", true, cid("Yes"))}},
		},
		{
			name:    "multiple answer with a correct choice missing is wrong",
			module:  quiz,
			answers: Answers{"single": {cid("B")}, "multiple": {cid("A")}, "third": {cid("Yes")}},
			pass:    66,
			want: graded{2, 3, 66, true, []gradedQuestion{
				q("single", true, cid("B")), q("multiple", false, cid("A")), q("third", true, cid("Yes"))}},
		},
		{
			name:    "multiple answer with an extra choice is wrong, and 66 does not round up to a pass of 67",
			module:  quiz,
			answers: Answers{"single": {cid("B")}, "multiple": {cid("A"), cid("B"), cid("C")}, "third": {cid("Yes")}},
			pass:    67,
			want: graded{2, 3, 66, false, []gradedQuestion{
				q("single", true, cid("B")), q("multiple", false, cid("A"), cid("B"), cid("C")), q("third", true, cid("Yes"))}},
		},
		{
			name:    "single answer wrong",
			module:  quiz,
			answers: Answers{"single": {cid("A")}, "multiple": {cid("A"), cid("B")}, "third": {cid("No")}},
			pass:    80,
			want: graded{1, 3, 33, false, []gradedQuestion{
				q("single", false, cid("A")), q("multiple", true, cid("A"), cid("B")), q("third", false, cid("No"))}},
		},
		{
			name:    "unanswered questions are wrong",
			module:  quiz,
			answers: Answers{"single": {}, "third": {cid("Yes")}},
			pass:    80,
			want: graded{1, 3, 33, false, []gradedQuestion{
				q("single", false), q("multiple", false), q("third", true, cid("Yes"))}},
		},
		{
			name:    "nothing answered",
			module:  quiz,
			answers: nil,
			pass:    1,
			want:    graded{0, 3, 0, false, []gradedQuestion{q("single", false), q("multiple", false), q("third", false)}},
		},
		{
			name:    "a module without questions passes",
			module:  readOnly,
			answers: Answers{},
			pass:    100,
			want:    graded{0, 0, 100, true, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.module.Grade(tt.answers, tt.pass)
			if err != nil {
				t.Fatalf("Grade: %v", err)
			}
			if diff := cmp.Diff(tt.want, summarize(r)); diff != "" {
				t.Errorf("Grade mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGradeRejectsAnswersThatDoNotMatchTheQuiz(t *testing.T) {
	c := mustParse(t, withCourse(File{"01-late-orders.md", gradeModule}, File{"02-read-only.md", lines("---", "title: Read me", "---", "", "Just read this.")}))
	quiz, readOnly := c.Modules[0], c.Modules[1]
	tests := []struct {
		name    string
		module  *Module
		answers Answers
		want    string
	}{
		{"unknown question", quiz, Answers{"nope": {cid("A")}},
			`courses: the answers do not match the quiz: module "late-orders" has no question "nope"`},
		{"unknown choice", quiz, Answers{"single": {"deadbeef"}},
			`courses: the answers do not match the quiz: question "single" has no choice "deadbeef"`},
		{"a choice from another question", quiz, Answers{"third": {cid("A")}},
			`courses: the answers do not match the quiz: question "third" has no choice "` + cid("A") + `"`},
		{"two choices for a single-answer question", quiz, Answers{"single": {cid("A"), cid("B")}},
			`courses: the answers do not match the quiz: question "single" takes one answer, got 2`},
		{"the same choice twice", quiz, Answers{"multiple": {cid("A"), cid("A")}},
			`courses: the answers do not match the quiz: question "multiple" has choice "` + cid("A") + `" chosen twice`},
		{"answers for a module without questions", readOnly, Answers{"single": {cid("B")}},
			`courses: the answers do not match the quiz: module "read-only" has no question "single"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.module.Grade(tt.answers, 80)
			if !errors.Is(err, ErrInvalidAnswers) {
				t.Fatalf("Grade error = %v, want ErrInvalidAnswers", err)
			}
			if err.Error() != tt.want {
				t.Errorf("Grade error = %q, want %q", err, tt.want)
			}
		})
	}
}
