package courses

import (
	"regexp"
	"unicode/utf8"
)

// The guessability check: warnings for quizzes that someone who has not
// read the lesson can pass with test-taking tricks. A completion is worth
// what its quiz proves, so a quiz that length or pattern gives away proves
// nothing. The thresholds:
const (
	// longestShare is the most, in percent, of a course's single-answer
	// questions whose right choice may be the longest. With three or four
	// choices chance alone gives 25–33%.
	longestShare = 40
	// longestMinQuestions is the fewest single-answer questions the share
	// is judged on: below it one question moves the share by 20 points or
	// more, so it says nothing about the writer's habit.
	longestMinQuestions = 5
	// lengthRatio is how many times as long as every wrong choice a right
	// one may be before its length alone gives it away.
	lengthRatio = 1.5
	// allButOneShare is the most, in percent, of a course's multiple-answer
	// questions in which every choice but one may be right.
	allButOneShare = 50
)

// allOfTheAbove matches choices that answer by pointing at the other
// choices: "All of the above", "None of the above", "Both of the above",
// "All of these". A phrase with "these" or "those" counts only as the whole
// choice, so "None of these customers complained" is left alone.
var allOfTheAbove = regexp.MustCompile(`\b(all|none|both|neither|any) (of )?(the )?(above|below)\b|^(all|none|both|neither) of (these|those|them|the (options|answers|choices))\W*$`)

// length is a choice's length as a learner sees it, in characters.
func (c *Choice) length() int { return utf8.RuneCountInString(c.Text) }

// LongestIsRight reports whether q is a single-answer question whose right
// choice is longer than every other: "pick the longest" answers it. A tie
// for longest gives that trick nothing to go on, so it does not count.
func (q *Question) LongestIsRight() bool {
	if q.Multiple {
		return false
	}
	var right *Choice
	longestWrong := 0
	for _, c := range q.Choices {
		if c.Correct {
			right = c
		} else {
			longestWrong = max(longestWrong, c.length())
		}
	}
	return right != nil && right.length() > longestWrong
}

// AllButOneRight reports whether q is a multiple-answer question in which
// every choice but one is right: "tick all but the odd one out" answers it.
func (q *Question) AllButOneRight() bool {
	if !q.Multiple {
		return false
	}
	wrong := 0
	for _, c := range q.Choices {
		if !c.Correct {
			wrong++
		}
	}
	return wrong == 1
}

// Guessable reports whether one of the two test-taking tricks the check
// guards against answers q right: LongestIsRight or AllButOneRight.
func (q *Question) Guessable() bool { return q.LongestIsRight() || q.AllButOneRight() }

// TrickResult grades the module's whole pool of questions as someone who
// has read nothing and only uses the two tricks would answer it: the
// Guessable questions right, every other one wrong. It is graded by Grade,
// so the pass mark is applied exactly as for a real attempt.
func (m *Module) TrickResult(pass int) (Result, error) {
	a := Answers{}
	for _, q := range m.Questions {
		if !q.Guessable() {
			continue
		}
		for _, c := range q.Choices {
			if c.Correct {
				a[q.ID] = append(a[q.ID], c.ID)
			}
		}
	}
	return m.Grade(a, pass)
}

// checkGuessing reports, as warnings, what makes a course's quizzes
// guessable: the right choice the longest too often, a right choice far
// longer than the wrong ones, "all of the above" choices, and
// multiple-answer questions where all but one choice is right too often.
func (p *courseParser) checkGuessing(modules []*moduleDraft) {
	type at struct {
		path string
		q    *Question
	}
	var singles, longest, multiples, allButOne []at
	for _, m := range modules {
		path := m.src.path
		for _, qd := range m.questions {
			q := qd.q
			for _, cd := range qd.choices {
				if allOfTheAbove.MatchString(normalize(cd.c.Text)) {
					p.warnf(path, cd.line, "%s has the choice %q, which is answered by weighing the other choices rather than by knowing the lesson, and makes no sense once choices are shuffled: write each option as a choice of its own, and make it a \"Choose all that apply\" question if several are right", q.name(), cd.c.Text)
				}
			}
			correct := 0
			for _, c := range q.Choices {
				if c.Correct {
					correct++
				}
			}
			switch {
			case correct == 0 || len(q.Choices) < 2:
				// Not a working question; that is reported on its own.
			case q.Multiple:
				multiples = append(multiples, at{path, q})
				if q.AllButOneRight() {
					allButOne = append(allButOne, at{path, q})
				}
			default:
				singles = append(singles, at{path, q})
				if q.LongestIsRight() {
					longest = append(longest, at{path, q})
				}
				p.checkLength(path, q)
			}
		}
	}
	if len(singles) >= longestMinQuestions && len(longest)*100 > longestShare*len(singles) {
		for _, l := range longest {
			p.warnf(l.path, l.q.Line, "the right choice of %s is the longest, as in %d of the course's %d single-answer questions (%d%%, more than %d%%): someone who always picks the longest choice passes without reading the lessons; give a wrong choice as much detail as the right one, or trim the right one", l.q.name(), len(longest), len(singles), len(longest)*100/len(singles), longestShare)
		}
	}
	if len(allButOne)*100 > allButOneShare*len(multiples) {
		for _, a := range allButOne {
			p.warnf(a.path, a.q.Line, "every choice of %s but one is right, as in %d of the course's %d multiple-answer questions (more than half): someone who ticks everything but the odd one out passes without reading the lessons; vary how many choices are right", a.q.name(), len(allButOne), len(multiples))
		}
	}
}

// checkLength warns when a single-answer question's right choice is more
// than lengthRatio times as long as every wrong one.
func (p *courseParser) checkLength(path string, q *Question) {
	right, longestWrong := 0, 0
	for _, c := range q.Choices {
		if c.Correct {
			right = c.length()
		} else {
			longestWrong = max(longestWrong, c.length())
		}
	}
	if float64(right) > lengthRatio*float64(longestWrong) {
		p.warnf(path, q.Line, "the right choice of %s is more than %g times as long as every wrong one (%d characters against at most %d): its length alone gives it away; give the wrong choices the same detail, or trim the right one", q.name(), lengthRatio, right, longestWrong)
	}
}
