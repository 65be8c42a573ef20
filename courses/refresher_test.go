package courses

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func drawCourse() *Course {
	q := func(id string) *Question {
		return &Question{ID: id, Choices: []*Choice{{ID: "right", Correct: true}, {ID: "wrong"}}}
	}
	return &Course{Slug: "c", Title: "C", Pass: 75, Modules: []*Module{
		{Slug: "one", Questions: []*Question{q("a"), q("b"), q("c")}},
		{Slug: "two", Questions: []*Question{q("d"), q("e")}},
		{Slug: "three"},
	}}
}

func TestDrawRefresher(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 9, 0, 0, 0, time.UTC) }
	ref := func(m, q string) QuestionRef { return QuestionRef{Module: m, Question: q} }
	tests := []struct {
		name string
		seen map[string]Seen
		n    int
		want []QuestionRef
	}{
		{name: "nothing seen: course order", n: 3, want: []QuestionRef{ref("one", "a"), ref("one", "b"), ref("one", "c")}},
		{name: "missed questions come first, the oldest miss first",
			seen: map[string]Seen{"a": {Last: day(3)}, "b": {Last: day(3)}, "c": {Last: day(3)}, "d": {Last: day(5), Missed: true}, "e": {Last: day(4), Missed: true}},
			n:    3, want: []QuestionRef{ref("two", "e"), ref("two", "d"), ref("one", "a")}},
		{name: "then never seen, then not seen for longest",
			seen: map[string]Seen{"a": {Last: day(9)}, "b": {Last: day(2)}, "d": {Last: day(5)}, "e": {Last: day(1)}},
			n:    4, want: []QuestionRef{ref("one", "c"), ref("two", "e"), ref("one", "b"), ref("two", "d")}},
		{name: "asking for more than the course has gives every question",
			n: 50, want: []QuestionRef{ref("one", "a"), ref("one", "b"), ref("one", "c"), ref("two", "d"), ref("two", "e")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := drawCourse().DrawRefresher(tt.seen, tt.n)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DrawRefresher mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefresherQuizGradesAcrossModulesAndNamesModulesToReread(t *testing.T) {
	c := drawCourse()
	quiz, err := c.RefresherQuiz([]QuestionRef{{"two", "e"}, {"one", "a"}, {"two", "d"}, {"one", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := quiz.Grade(Answers{"e": {"right"}, "a": {"wrong"}, "d": {"right"}, "c": {"right"}}, c.Pass)
	if err != nil {
		t.Fatal(err)
	}
	if r.Score != 75 || !r.Passed {
		t.Fatalf("score %d passed %v, want 75 and a pass", r.Score, r.Passed)
	}
	var reread []string
	for _, m := range c.ToReread(r) {
		reread = append(reread, m.Slug)
	}
	if diff := cmp.Diff([]string{"one"}, reread); diff != "" {
		t.Errorf("ToReread (-want +got):\n%s", diff)
	}
	if _, err := c.RefresherQuiz([]QuestionRef{{"one", "gone"}}); err == nil {
		t.Error("a draw naming a question the version lacks must be refused")
	}
}

func TestParseRefresherSettings(t *testing.T) {
	course := func(extra ...string) File {
		ls := append([]string{"---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80"}, extra...)
		return File{Name: "course.md", Text: lines(append(ls, "---", "", "Welcome.")...)}
	}
	mod := File{Name: "01-greeting.md", Text: goodModule("greet-first")}
	tests := []struct {
		name      string
		extra     []string
		mode      string
		questions int
		problem   string
	}{
		{name: "defaults: a quiz of eight", mode: RefresherQuiz, questions: DefaultRefresherQuestions},
		{name: "a full refresher", extra: []string{"refresher_mode: full"}, mode: RefresherFull, questions: DefaultRefresherQuestions},
		{name: "a quiz of five", extra: []string{"refresher_questions: 5"}, mode: RefresherQuiz, questions: 5},
		{name: "an unknown mode is reported", extra: []string{"refresher_mode: exam"}, problem: `refresher_mode must be "quiz"`},
		{name: "zero questions is reported", extra: []string{"refresher_questions: 0"}, problem: "refresher_questions must be from 1 to 50"},
		{name: "text questions is reported", extra: []string{"refresher_questions: many"}, problem: "refresher_questions must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse("demo", []File{course(tt.extra...), mod})
			if tt.problem != "" {
				if !strings.Contains(fmt.Sprint(problems), tt.problem) {
					t.Fatalf("problems %v lack %q", problems, tt.problem)
				}
				return
			}
			if c == nil {
				t.Fatalf("does not parse: %v", problems)
			}
			if c.RefresherMode != tt.mode || c.RefresherQuestions != tt.questions {
				t.Errorf("mode %q questions %d, want %q %d", c.RefresherMode, c.RefresherQuestions, tt.mode, tt.questions)
			}
		})
	}
}

func TestPracticeLadder(t *testing.T) {
	day0 := time.Date(2025, 1, 10, 15, 0, 0, 0, time.UTC)
	on := func(days int) time.Time { return time.Date(2025, 1, 10+days, 0, 0, 0, 0, time.UTC) }
	type step struct {
		right bool
		want  Practice
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "three right in a row retire after 1, 3 and 10 days", steps: []step{
			{true, Practice{Rung: 1, Streak: 1, Due: on(3)}},
			{true, Practice{Rung: 2, Streak: 2, Due: on(10)}},
			{true, Practice{Rung: 2, Streak: 3, Retired: true}},
		}},
		{name: "a wrong answer steps down one rung and restarts the streak; the ladder tops out at 30 days", steps: []step{
			{true, Practice{Rung: 1, Streak: 1, Due: on(3)}},
			{true, Practice{Rung: 2, Streak: 2, Due: on(10)}},
			{false, Practice{Rung: 1, Streak: 0, Due: on(3)}},
			{true, Practice{Rung: 2, Streak: 1, Due: on(10)}},
			{true, Practice{Rung: 3, Streak: 2, Due: on(30)}},
			{true, Practice{Rung: 3, Streak: 3, Retired: true}},
		}},
		{name: "wrong at the bottom stays at one day", steps: []step{
			{false, Practice{Rung: 0, Streak: 0, Due: on(1)}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Missed(nil, day0, time.UTC)
			if want := (Practice{Due: on(1)}); p != want {
				t.Fatalf("a miss = %+v, want %+v", p, want)
			}
			for i, s := range tt.steps {
				// Each answer is given on the day (in these tests, the same
				// day) so the gaps read straight off the ladder.
				p = p.Answered(s.right, day0, time.UTC)
				if diff := cmp.Diff(s.want, p); diff != "" {
					t.Fatalf("step %d (-want +got):\n%s", i+1, diff)
				}
			}
		})
	}
	retired := Practice{Rung: 2, Streak: 3, Retired: true}
	if got := Missed(&retired, day0, time.UTC); got.Retired || got.Rung != 0 || !got.Due.Equal(on(1)) {
		t.Errorf("missing a retired question again restarts it at the bottom: %+v", got)
	}
}

func TestCalendarIsValidRFC5545(t *testing.T) {
	long := strings.Repeat("Größenänderung ", 10)
	ics := Calendar("Frontline: Amara", []CalendarEvent{{
		UID: "due-1-2@frontline", Day: time.Date(2026, 3, 10, 0, 0, 0, 0, time.FixedZone("NZ", 13*3600)),
		Summary: "Refresher due: Complaints, refunds; and \"more\"", Description: long + "\nsecond line", URL: "https://learn.example.com/courses/x",
	}}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if !bytes.HasSuffix(ics, []byte("END:VCALENDAR\r\n")) {
		t.Fatal("does not end with END:VCALENDAR CRLF")
	}
	for i, l := range bytes.Split(bytes.TrimSuffix(ics, []byte("\r\n")), []byte("\r\n")) {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF", i+1)
		}
	}
	unfolded := strings.ReplaceAll(string(ics), "\r\n ", "")
	for _, want := range []string{
		"UID:due-1-2@frontline\r\n", "DTSTAMP:20260102T030405Z\r\n", "DTSTART;VALUE=DATE:20260310\r\n", "DTEND;VALUE=DATE:20260311\r\n",
		`SUMMARY:Refresher due: Complaints\, refunds\; and "more"` + "\r\n", "DESCRIPTION:" + long + `\nsecond line` + "\r\n",
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("calendar lacks %q:\n%s", want, unfolded)
		}
	}
}
