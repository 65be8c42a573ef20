package web_test

import (
	"testing"
	"testing/fstest"

	"github.com/frontline-lms/frontline/courses"
)

// fixture is a small course in the shipped format: two modules with quizzes
// (single and multiple answer) and one without.
var fixture = fstest.MapFS{
	"desk-basics/course.md": {Data: []byte(`---
title: Desk basics
summary: Greeting and closing at the front desk.
refresher: 12 months
window: 30 days
pass: 80
---
A short course for the front desk.
`)},
	"desk-basics/01-greeting.md": {Data: []byte(`---
title: Greeting a guest
minutes: 3
---
Look up, smile and greet every guest within ten seconds, even when the phone is ringing.

See also [closing](03-closing.md).

## Quiz

### Kofi is on the phone when a guest walks up. What does he do? {#phone-and-guest}

- [ ] Finish the call, then look up

  The guest may wait a long time without knowing they were seen.

- [x] Catch the guest's eye, smile and signal he will be with them in a moment
- [ ] Put the caller on hold without a word

> A signal tells the guest they are seen while the caller is still served.

### Which of these make a good first greeting? (Choose all that apply) {#good-greeting}

- [x] Eye contact
- [x] A greeting in the first ten seconds
- [ ] Asking for the booking number before hello

> Warmth first, paperwork second.
`)},
	"desk-basics/02-notes.md": {Data: []byte(`---
title: Shift notes
---
Read the shift notes before you start: they tell you which guests were promised a call back.
`)},
	"desk-basics/03-closing.md": {Data: []byte(`---
title: Closing the conversation
---
End by saying what happens next and when.

## Quiz

### A guest asks when the repair will happen. What do you say? {#repair-when}

- [ ] "Soon"
- [x] "The technician comes at 3 pm; I will call you at 3:30 to check it worked"
- [ ] "I do not know"

> A time and a follow-up close the loop.
`)},
}

// parsedFixture gives the tests the choice IDs the server will expect.
func parsedFixture(t *testing.T) *courses.Course {
	t.Helper()
	c, problems := courses.ParseFS(fixture, "desk-basics")
	if c == nil {
		t.Fatalf("fixture does not parse: %v", problems)
	}
	return c
}

// choice returns the ID of the choice of question q whose text contains text.
func choice(t *testing.T, c *courses.Course, module, q, text string) string {
	t.Helper()
	m, _ := c.Module(module)
	question, ok := m.Question(q)
	if !ok {
		t.Fatalf("no question %s in %s", q, module)
	}
	for _, ch := range question.Choices {
		if contains(string(ch.HTML), text) {
			return ch.ID
		}
	}
	t.Fatalf("no choice %q in %s", text, q)
	return ""
}
