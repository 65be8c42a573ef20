package web_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// TestBrowserLearnerFinishesAShuffledQuiz: on a phone, a learner meets a
// quiz drawn and shuffled on the server, submits it half answered (the
// script warns first; without it the server sends the form back, 422,
// with the answer kept), completes it, and the result lists the questions
// and choices in the order shown.
func TestBrowserLearnerFinishesAShuffledQuiz(t *testing.T) {
	mustBeValid(t, poolCourse)
	course := parsedPool(t)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: poolCourse, Seed: 3})
	app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, password)
	tab := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	trSignIn(tab, app, "amara@example.com")
	tab.follow("open the module", chromedp.Navigate(app.URL+"/courses/pool-basics/pool"))

	// What the page shows: question IDs, and each question's choice texts.
	type shown struct {
		ID      string   `json:"id"`
		Choices []string `json:"choices"`
	}
	read := func(sel, item string) []shown {
		var out []shown
		js := "JSON.stringify(Array.from(document.querySelectorAll(" + jsString(sel) + "), e => ({id: e.id.replace(/^(q|answer)-/, ''), " +
			"choices: Array.from(e.querySelectorAll(" + jsString(item) + "), c => c.innerText.replace(/^Your answer:\\s*/, '').split('\\n')[0].trim())})))"
		if err := json.Unmarshal([]byte(run[string](tab, js)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	quiz := read("fieldset.question", "label.choice")
	if len(quiz) != 2 {
		t.Fatalf("the quiz shows %v, want 2 questions", quiz)
	}
	shuffled := false
	for _, q := range quiz {
		qq, ok := course.Modules[0].Question(q.ID)
		if !ok {
			t.Fatalf("the page shows question %q", q.ID)
		}
		var written []string
		for _, ch := range qq.Choices {
			written = append(written, ch.Text)
		}
		if !slices.Equal(written, q.Choices) {
			shuffled = true
		}
	}
	if !shuffled {
		t.Fatalf("seed 3 shows every choice in the order written: %v", quiz)
	}
	tab.screenshot("1-shuffled")

	right := func(id string) string {
		q, _ := course.Modules[0].Question(id)
		for _, ch := range q.Choices {
			if ch.Correct {
				return ch.Text
			}
		}
		return ""
	}
	tab.choose(quiz[0].ID, right(quiz[0].ID))
	tab.step("submit half answered", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantPath("/courses/pool-basics/pool")
	tab.wantText("#quiz-warning", "1 question is not answered yet", "Question 2")
	if got := run[string](tab, `document.activeElement.id`); got != "quiz-warning" {
		t.Fatalf("focus on %q after the warning, want the warning", got)
	}
	tab.screenshot("2-warned")

	// Sent anyway, as a browser without the script would: the server
	// sends the form back with the answer kept.
	ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
	res, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("form[data-quiz]").submit()`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 422 {
		t.Fatalf("half-answered form answered %d, want 422", res.Status)
	}
	tab.wantText("#quiz-missing", "1 question is not answered yet", "Question 2")
	tab.wantChecked(1)
	if got := run[string](tab, `document.activeElement.id`); got != "quiz-missing" {
		t.Fatalf("focus on %q on the returned form, want the message", got)
	}
	if n := run[int](tab, `document.querySelectorAll('#q-`+quiz[1].ID+` input[aria-invalid="true"]').length`); n == 0 {
		t.Fatal("the unanswered question is not marked")
	}
	if again := read("fieldset.question", "label.choice"); !slices.EqualFunc(again, quiz, func(a, b shown) bool {
		return a.ID == b.ID && slices.Equal(a.Choices, b.Choices)
	}) {
		t.Fatalf("the form came back as %v, was %v", again, quiz)
	}
	tab.screenshot("3-sent-back")

	tab.choose(quiz[1].ID, right(quiz[1].ID))
	tab.follow("submit the finished quiz", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantPathPrefix("/attempts/")
	tab.wantText("section.result", "Passed", "2 of 2 right")
	result := read("li.answer", "ul.shown-choices > li")
	if !slices.EqualFunc(result, quiz, func(a, b shown) bool { return a.ID == b.ID && slices.Equal(a.Choices, b.Choices) }) {
		t.Fatalf("the result shows %v, the quiz showed %v", result, quiz)
	}
	tab.screenshot("4-result")
}

// TestBrowserOneQuestionPerScreen: on a phone, a learner turns on one
// question per screen; the page shows one question and "Question 1 of 2",
// Next and Previous move between them, a submit with a question left
// unanswered brings that question back with the warning, and the finished
// quiz is graded as usual. The choice is remembered for the next quiz; the
// form without the script is the single page (the button does not exist).
func TestBrowserOneQuestionPerScreen(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, password)
	tab := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	trSignIn(tab, app, "amara@example.com")
	tab.follow("open module 1", chromedp.Navigate(app.URL+"/courses/greeting-customers/greeting"))
	visible := func() int {
		return run[int](tab, `Array.from(document.querySelectorAll("fieldset.question")).filter(f => f.offsetParent !== null).length`)
	}
	if n := visible(); n != 2 {
		t.Fatalf("%d questions visible before choosing one per screen, want 2", n)
	}
	tab.step("one question at a time", chromedp.Click(chromedp.CSS(`button.stepper-toggle`)))
	if n := visible(); n != 1 {
		t.Fatalf("%d questions visible one per screen, want 1", n)
	}
	tab.wantText("#stepper-label", "Question 1 of 2")
	if run[bool](tab, `document.querySelector('section.quiz button[type="submit"]').offsetParent !== null`) {
		t.Fatal("Submit shows on the first of two questions")
	}
	// The questions come in the order drawn for this attempt.
	var order []string
	if err := json.Unmarshal([]byte(run[string](tab, `JSON.stringify(Array.from(document.querySelectorAll("fieldset.question"), f => f.id.slice(2)))`)), &order); err != nil {
		t.Fatal(err)
	}
	answer := func(id string) {
		switch id {
		case "first-move":
			tab.choose(id, "Stop, turn to them and say hello")
		case "personal-greeting":
			tab.choose(id, "Using the name on their booking")
			tab.choose(id, "Making eye contact")
		default:
			t.Fatalf("question %q", id)
		}
	}
	answer(order[0])
	// The chosen row is marked, not only its dot.
	if w := run[string](tab, `getComputedStyle(document.querySelector("label.choice:has(input:checked)")).fontWeight`); w != "600" {
		t.Errorf("the chosen row's text weighs %s, want 600", w)
	}
	tab.screenshot("1-first-question")
	tab.step("next question", chromedp.Click(chromedp.CSS(`button.stepper-next`)))
	tab.wantText("#stepper-label", "Question 2 of 2")
	if id := run[string](tab, `document.activeElement.id`); id != "q-"+order[1] {
		t.Errorf("focus on %q after Next, want the second question", id)
	}
	tab.step("back", chromedp.Click(chromedp.CSS(`button.stepper-prev`)))
	tab.wantText("#stepper-label", "Question 1 of 2")
	tab.step("next again", chromedp.Click(chromedp.CSS(`button.stepper-next`)))
	tab.screenshot("2-second-question")

	// Submitted with question 2 unanswered: the warning, and question 2.
	tab.step("submit half answered", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantText("#quiz-warning", "1 question is not answered yet")
	tab.wantText("#stepper-label", "Question 2 of 2")
	if n := visible(); n != 1 {
		t.Fatalf("%d questions visible after the warning, want 1", n)
	}
	answer(order[1])
	tab.follow("submit", chromedp.Click(chromedp.CSS(`section.quiz button[type="submit"]`)))
	tab.wantText("section.result", "Passed", "2 of 2 right")

	// Remembered: the quiz opens one question per screen next time.
	tab.follow("the quiz again", chromedp.Navigate(app.URL+"/courses/greeting-customers/greeting"))
	if n := visible(); n != 1 {
		t.Fatalf("%d questions visible on the next visit, want 1", n)
	}
	tab.step("show all questions", chromedp.Click(chromedp.CSS(`button.stepper-toggle`)))
	if n := visible(); n != 2 {
		t.Fatalf("%d questions visible after Show all, want 2", n)
	}
}
