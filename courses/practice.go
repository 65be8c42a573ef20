package courses

import "time"

// PracticeLadder is the gap, in days, before a missed question comes back
// for practice, by rung: a miss puts a question on the first rung; each right
// answer climbs one rung, each wrong answer steps one rung down.
var PracticeLadder = [...]int{1, 3, 10, 30}

// RetireAfter is how many right answers in a row retire a practice question.
const RetireAfter = 3

// Practice is where one missed question stands in a person's practice.
// Practice never touches due dates: it only decides when a question comes
// back in the optional practice set.
type Practice struct {
	Rung    int       // index into PracticeLadder
	Streak  int       // right answers in a row
	Due     time.Time // start of the day it comes back, in the schedule's location
	Retired bool
}

// Missed starts or restarts practice of a question answered wrongly in a
// module or refresher quiz at now: it comes back the next day.
func Missed(p *Practice, now time.Time, loc *time.Location) Practice {
	next := Practice{}
	if p != nil && !p.Retired {
		next = *p
		next.Rung = max(p.Rung-1, 0)
	}
	next.Streak, next.Retired = 0, false
	next.Due = practiceDue(now, next.Rung, loc)
	return next
}

// Answered applies one practice answer given at now.
func (p Practice) Answered(correct bool, now time.Time, loc *time.Location) Practice {
	if !correct {
		return Missed(&p, now, loc)
	}
	p.Streak++
	if p.Streak >= RetireAfter {
		p.Retired = true
		p.Due = time.Time{}
		return p
	}
	p.Rung = min(p.Rung+1, len(PracticeLadder)-1)
	p.Due = practiceDue(now, p.Rung, loc)
	return p
}

func practiceDue(now time.Time, rung int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return dayOf(now, loc).add(Interval{PracticeLadder[rung], Day}).start(loc)
}
