package courses

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// poolModule is a module of seven questions drawing five per attempt;
// question p3 is {fixed}.
func poolModule(t *testing.T, setting string) *Module {
	t.Helper()
	qs := [][4]string{shortRight, longRight, shortRight, twoOfFour, shortRight, longRight, shortRight}
	text := quizFile("p", setting, qs...)
	text = strings.Replace(text, "{#p3}", "{#p3} {fixed}", 1)
	c := mustParse(t, withCourse(File{"01-pool.md", text}))
	return c.Modules[0]
}

func drawIDs(d Draw) []string {
	var ids []string
	for _, q := range d {
		ids = append(ids, q.ID)
	}
	return ids
}

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func TestDrawQuizPicksPerAttemptAndShufflesChoices(t *testing.T) {
	m := poolModule(t, "quiz_questions: 5")
	shuffledChoices, movedQuestions := false, false
	for seed := range uint64(50) {
		d := m.DrawQuiz(seeded(seed), nil)
		ids := drawIDs(d)
		if len(d) != 5 {
			t.Fatalf("seed %d: drew %d questions, want 5", seed, len(d))
		}
		if sorted := slices.Sorted(slices.Values(ids)); len(slices.Compact(sorted)) != 5 {
			t.Fatalf("seed %d: a question drawn twice: %v", seed, ids)
		}
		if !slices.IsSorted(ids) {
			movedQuestions = true
		}
		for _, dq := range d {
			q, _ := m.Question(dq.ID)
			written := make([]string, len(q.Choices))
			for i, ch := range q.Choices {
				written[i] = ch.ID
			}
			if slices.Compare(slices.Sorted(slices.Values(dq.Choices)), slices.Sorted(slices.Values(written))) != 0 {
				t.Fatalf("seed %d: %s drew choices %v, not a reordering of %v", seed, dq.ID, dq.Choices, written)
			}
			switch {
			case q.Fixed && !slices.Equal(dq.Choices, written):
				t.Fatalf("seed %d: {fixed} question %s was shuffled: %v", seed, dq.ID, dq.Choices)
			case !q.Fixed && !slices.Equal(dq.Choices, written):
				shuffledChoices = true
			}
		}
		// The same seed draws the same quiz: the source decides everything.
		if again := m.DrawQuiz(seeded(seed), nil); !slices.EqualFunc(d, again, func(a, b DrawnQuestion) bool {
			return a.ID == b.ID && slices.Equal(a.Choices, b.Choices)
		}) {
			t.Fatalf("seed %d drew %v, then %v", seed, d, again)
		}
	}
	if !shuffledChoices || !movedQuestions {
		t.Errorf("50 draws never shuffled choices (%v) or questions (%v)", !shuffledChoices, !movedQuestions)
	}
}

func TestDrawQuizWithoutQuizQuestionsShowsEveryQuestion(t *testing.T) {
	m := poolModule(t, "minutes: 3")
	d := m.DrawQuiz(seeded(7), nil)
	if got := slices.Sorted(slices.Values(drawIDs(d))); !slices.Equal(got, []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}) {
		t.Fatalf("drew %v, want all seven", got)
	}
}

func TestDrawQuizPrefersQuestionsNotSeenLastTime(t *testing.T) {
	m := poolModule(t, "quiz_questions: 5")
	for seed := range uint64(50) {
		first := m.DrawQuiz(seeded(seed), nil)
		last := map[string]bool{}
		for _, id := range drawIDs(first) {
			last[id] = true
		}
		second := drawIDs(m.DrawQuiz(seeded(seed+1000), last))
		fresh := 0
		for _, id := range second {
			if !last[id] {
				fresh++
			}
		}
		if fresh != 2 { // the pool holds 7: both unseen questions, then 3 seen ones
			t.Fatalf("seed %d: retake drew %v after %v: %d unseen, want 2", seed, second, drawIDs(first), fresh)
		}
	}
}

func TestShownGradesOnlyTheDrawInItsOrder(t *testing.T) {
	m := poolModule(t, "quiz_questions: 2")
	q1, _ := m.Question("p1")
	q4, _ := m.Question("p4")
	d := Draw{{ID: "p4", Choices: []string{q4.Choices[3].ID, q4.Choices[2].ID, q4.Choices[1].ID, q4.Choices[0].ID}},
		{ID: "p1", Choices: []string{q1.Choices[1].ID, q1.Choices[0].ID, q1.Choices[2].ID, q1.Choices[3].ID}}}
	shown, err := m.Shown(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{shown.Questions[0].ID, shown.Questions[1].ID}; !slices.Equal(got, []string{"p4", "p1"}) {
		t.Fatalf("shown questions %v", got)
	}
	if shown.Questions[0].Choices[0] != q4.Choices[3] || shown.Questions[1].Choices[0] != q1.Choices[1] {
		t.Fatalf("shown choices are not in the drawn order")
	}
	if len(m.Questions) != 7 || m.Questions[0].Choices[0] != q1.Choices[0] {
		t.Fatalf("Shown changed the module it was given")
	}

	right := Answers{"p1": {cid("Send a text now")}, "p4": {cid("Call them back today"), cid("Send a text now")}}
	res, err := shown.Grade(right, 80)
	if err != nil || res.Total != 2 || res.Correct != 2 || !res.Passed {
		t.Fatalf("right answers to the draw: %+v, %v", summarize(res), err)
	}
	// The same answers on the module as written: order changes nothing.
	written, err := m.Shown(Draw{{ID: "p1"}, {ID: "p4"}})
	if err != nil {
		t.Fatal(err)
	}
	if res2, err := written.Grade(right, 80); err != nil || res2.Score != res.Score || res2.Correct != res.Correct {
		t.Fatalf("graded %+v in written order, %+v in drawn order", summarize(res2), summarize(res))
	}
	right["p2"] = []string{cid("Send a text now")}
	if _, err := shown.Grade(right, 80); !errors.Is(err, ErrInvalidAnswers) {
		t.Fatalf("an answer to a question not drawn: %v, want ErrInvalidAnswers", err)
	}
}

func TestShownRefusesAStaleDraw(t *testing.T) {
	m := poolModule(t, "quiz_questions: 2")
	q1, _ := m.Question("p1")
	ids := []string{q1.Choices[0].ID, q1.Choices[1].ID, q1.Choices[2].ID, q1.Choices[3].ID}
	for name, d := range map[string]Draw{
		"gone question":    {{ID: "p9"}},
		"question twice":   {{ID: "p1"}, {ID: "p1"}},
		"gone choice":      {{ID: "p1", Choices: []string{"nope", ids[1], ids[2], ids[3]}}},
		"choice twice":     {{ID: "p1", Choices: []string{ids[0], ids[0], ids[2], ids[3]}}},
		"a choice missing": {{ID: "p1", Choices: ids[:3]}},
		"empty":            {},
	} {
		if _, err := m.Shown(d); !errors.Is(err, ErrStaleDraw) {
			t.Errorf("%s: %v, want ErrStaleDraw", name, err)
		}
	}
}

func TestUnansweredListsQuestionsInQuizOrder(t *testing.T) {
	m := poolModule(t, "minutes: 3")
	got := m.Unanswered(Answers{"p1": {"a"}, "p3": {"b"}, "p4": {}})
	var ids []string
	for _, q := range got {
		ids = append(ids, q.ID)
	}
	if !slices.Equal(ids, []string{"p2", "p4", "p5", "p6", "p7"}) {
		t.Fatalf("unanswered %v", ids)
	}
}

// TestDiscriminationHandChecked: five answers to a question, each with the
// rest of its attempt's score. Right: rest 1, 0.75, 0.5; wrong: 0.5, 0.25.
// Mean rest 0.6; right 0.75, wrong 0.375; population sd of the five rest
// scores sqrt(0.325/5) ≈ 0.25495; p = 0.6, q = 0.4: r = (0.75-0.375) /
// 0.25495 * sqrt(0.24) ≈ 0.7206.
func TestDiscriminationHandChecked(t *testing.T) {
	var s ItemSums
	for _, a := range []struct {
		right bool
		rest  float64
	}{{true, 1}, {true, 0.75}, {true, 0.5}, {false, 0.5}, {false, 0.25}} {
		x := 0.0
		if a.right {
			x = 1
		}
		s.N++
		s.X += x
		s.Y += a.rest
		s.XY += x * a.rest
		s.YY += a.rest * a.rest
	}
	r, ok := s.Discrimination()
	if !ok || r < 0.7205 || r > 0.7207 {
		t.Fatalf("r = %v, %v; want 0.7206", r, ok)
	}
	if f := s.Facility(); f != 0.6 {
		t.Fatalf("facility %v, want 0.6", f)
	}
	for name, s := range map[string]ItemSums{
		"one answer":     {N: 1, X: 1, Y: 0.5, XY: 0.5, YY: 0.25},
		"all right":      {N: 3, X: 3, Y: 1.5, XY: 1.5, YY: 0.85},
		"equal rests":    {N: 2, X: 1, Y: 1, XY: 0.5, YY: 0.5},
		"nothing at all": {},
	} {
		if _, ok := s.Discrimination(); ok {
			t.Errorf("%s: discrimination defined", name)
		}
	}
}
