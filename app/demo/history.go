package demo

import (
	"encoding/base64"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

const day = 24 * time.Hour

// course is one published course the history is recorded against.
type course struct {
	row     store.Course
	version *courses.Course
	sched   courses.Schedule
}

// scenario is the state a person/course pair is steered towards. The state
// actually shown is derived afterwards, as everywhere else, by courses.Derive.
type scenario int

const (
	notStarted scenario = iota
	inProgress
	completed
	dueSoon
	overdue
)

// pick draws a scenario with a plausible mix for a trained workforce: most
// people have done most courses, a fair share are late.
func pick(rng *rand.Rand) scenario {
	switch n := rng.IntN(100); {
	case n < 20:
		return notStarted
	case n < 35:
		return inProgress
	case n < 67:
		return completed
	case n < 82:
		return dueSoon
	default:
		return overdue
	}
}

// rows is what one batch of people writes.
type rows struct {
	enrolments  []store.Enrolment
	progress    []store.ModuleProgress
	attempts    []store.Attempt
	completions []store.Completion
}

// learner plays one person's year: a skill (how often they answer right the
// first time) and a random stream of their own, so their history depends
// only on the seed and their place in the roster.
type learner struct {
	rng    *rand.Rand
	userID int64
	skill  float64
	now    time.Time
	loc    *time.Location
	oldest time.Time // no history before this
	out    *rows
}

// pair is one person on one course while it is being played.
type pair struct {
	c           *course
	progress    map[string]*store.ModuleProgress
	order       []string // module slugs in first-view order, for stable output
	completions []store.Completion
	first, last time.Time // first and latest activity
}

// maxSitting bounds how long a sitting can take (a module a day at worst),
// so that aiming a completion at a date range with this margin lands it there.
const maxSitting = 6 * day

// play records the history of one course for the scenario and appends it.
// Each case aims completions at dates that give the state with margins of
// days, and leaves the state itself to courses.Derive.
func (l *learner) play(c *course, sc scenario) {
	p := &pair{c: c, progress: map[string]*store.ModuleProgress{}}
	r, w, now := c.sched.Refresher, c.sched.Window, l.now
	dueAgo := r.SubFrom(now) // a completion then falls due today
	switch sc {
	case inProgress:
		l.partial(p, l.start(now.Add(-45*day), now.Add(-day)))
	case completed:
		if l.rng.IntN(4) == 0 {
			// Refreshed inside the window: the due date moved on by one
			// interval from the old one, not from the refresher.
			if done, ok := l.full(p, l.start(dueAgo.Add(-80*day), dueAgo.Add(-maxSitting))); ok {
				due := r.AddTo(done)
				l.full(p, l.start(w.SubFrom(due).Add(day), due.Add(-maxSitting)))
				break
			}
		}
		l.full(p, l.start(w.AddTo(dueAgo).Add(day), now.Add(-maxSitting)))
	case dueSoon:
		if done, ok := l.full(p, l.start(dueAgo.Add(day), w.AddTo(dueAgo).Add(-maxSitting))); ok && l.rng.IntN(5) < 2 {
			// Some have started the refresher since the window opened.
			opens := w.SubFrom(r.AddTo(done))
			l.partial(p, l.start(later(opens, done).Add(day), now.Add(-day)))
		}
	case overdue:
		if done, ok := l.full(p, l.start(dueAgo.Add(-50*day), dueAgo.Add(-maxSitting))); ok && l.rng.IntN(10) < 3 {
			// ... and a few have started it late.
			l.partial(p, l.start(r.AddTo(done).Add(day), now.Add(-day)))
		}
	}
	l.flush(p)
}

// full plays a whole sitting from start: every module read and its quiz
// passed, then the completion. It reports false when the sitting would not
// finish before now or would start before the history does.
func (l *learner) full(p *pair, start time.Time) (time.Time, bool) {
	if start.Before(l.oldest) || start.After(l.now) {
		return time.Time{}, false
	}
	t := start
	for i, m := range p.c.version.Modules {
		var ok bool
		if t, ok = l.module(p, m, t, true); !ok {
			return time.Time{}, false
		}
		if i < len(p.c.version.Modules)-1 {
			t = t.Add(l.gap())
		}
	}
	// As learning.completeIfDone scores it: the mean of the latest passes.
	sum, quizzes := 0, 0
	for _, m := range p.c.version.Modules {
		if mp := p.progress[m.Slug]; len(m.Questions) > 0 && mp.PassScore != nil {
			sum += *mp.PassScore
			quizzes++
		}
	}
	score := 100
	if quizzes > 0 {
		score = sum / quizzes
	}
	p.completions = append(p.completions, store.Completion{UserID: l.userID, CourseID: p.c.row.ID,
		VersionID: p.c.row.CurrentVersionID, CompletedAt: t, Score: score})
	return t, true
}

// partial plays a sitting that stops part-way: some modules done, the next
// one opened and perhaps failed once.
func (l *learner) partial(p *pair, start time.Time) {
	if start.Before(l.oldest) || start.After(l.now) {
		return
	}
	mods := p.c.version.Modules
	upto := l.rng.IntN(len(mods)) // modules finished; at most all but one
	t := start
	for _, m := range mods[:upto] {
		var ok bool
		if t, ok = l.module(p, m, t, true); !ok {
			return
		}
		t = t.Add(l.gap())
	}
	if t.After(l.now) {
		return
	}
	l.module(p, mods[upto], t, false)
}

// module opens a module at t, reads the lesson and, when pass is true, takes
// the quiz until it passes; otherwise it may fail it once. It returns the
// time it finished and false when that would be after now.
func (l *learner) module(p *pair, m *courses.Module, t time.Time, pass bool) (time.Time, bool) {
	if t.After(l.now) {
		return t, false
	}
	mp := p.progress[m.Slug]
	if mp == nil {
		mp = &store.ModuleProgress{UserID: l.userID, CourseID: p.c.row.ID, ModuleSlug: m.Slug,
			VersionID: p.c.row.CurrentVersionID, FirstViewedAt: t}
		p.progress[m.Slug] = mp
		p.order = append(p.order, m.Slug)
	}
	p.touch(t)
	minutes := max(m.Minutes, 3)
	t = t.Add(time.Duration(float64(minutes)*(0.6+l.rng.Float64())) * time.Minute)
	if t.After(l.now) {
		return t, false
	}
	if !pass {
		if len(m.Questions) > 0 && l.rng.IntN(2) == 0 {
			pass, quiz := p.c.version.Pass, l.draw(m, nil)
			if a := l.failing(quiz, pass); !graded(quiz, a, pass).Passed {
				l.attempt(p, quiz, a, t)
			}
		}
		return t, true
	}
	if len(m.Questions) == 0 {
		mp.ReadAt = t // "I have read this"
		p.touch(t)
		return t, true
	}
	var lastSeen map[string]bool
	for n := 1; ; n++ {
		// Each retry follows reading the explanations, so it goes better;
		// the fifth is right, as people do get there. Each attempt answers
		// its own draw, as the quiz page draws it.
		skill := l.skill + 0.12*float64(n-1)
		quiz := l.draw(m, lastSeen)
		answers := courses.Answers{}
		lastSeen = map[string]bool{}
		for _, q := range quiz.Questions {
			answers[q.ID] = l.answer(q, n >= 5 || l.rng.Float64() < skill)
			lastSeen[q.ID] = true
		}
		res := l.attempt(p, quiz, answers, t)
		if res.Passed {
			score := res.Score
			mp.ReadAt, mp.PassedAt, mp.PassScore = t, t, &score // as store.MarkPassed writes it
			return t, true
		}
		t = t.Add(time.Duration(2+l.rng.IntN(10)) * time.Minute)
		if t.After(l.now) {
			return t, false
		}
	}
}

// draw returns the module as one attempt shows it: the questions
// courses.Module.DrawQuiz picks (preferring those the last attempt did not
// show), from the learner's own random stream. The demo stores no draw
// rows: an attempt's answers say which questions it showed.
func (l *learner) draw(m *courses.Module, lastSeen map[string]bool) *courses.Module {
	quiz, err := m.Shown(m.DrawQuiz(l.rng, lastSeen))
	if err != nil {
		panic("demo: a fresh draw does not fit its quiz: " + err.Error())
	}
	return quiz
}

// attempt grades answers with the module's real grader and records them as
// learning.Submit does.
func (l *learner) attempt(p *pair, m *courses.Module, answers courses.Answers, t time.Time) courses.Result {
	res := graded(m, answers, p.c.version.Pass)
	a := store.Attempt{UserID: l.userID, CourseID: p.c.row.ID, VersionID: p.c.row.CurrentVersionID,
		ModuleSlug: m.Slug, IdempotencyKey: l.key(), Correct: res.Correct, Total: res.Total,
		Score: res.Score, Passed: res.Passed, SubmittedAt: t}
	for _, q := range res.Questions {
		chosen := slices.Clone(q.Chosen)
		slices.Sort(chosen)
		a.Answers = append(a.Answers, store.AttemptAnswer{QuestionID: q.Question.ID,
			ChoiceIDs: strings.Join(chosen, " "), Correct: q.Correct})
	}
	l.out.attempts = append(l.out.attempts, a)
	p.touch(t)
	return res
}

// graded grades generated answers. They are built from the quiz itself, so
// an error means a bug here, not bad input.
func graded(m *courses.Module, a courses.Answers, pass int) courses.Result {
	res, err := m.Grade(a, pass)
	if err != nil {
		panic("demo: generated answers do not fit the quiz: " + err.Error())
	}
	return res
}

// answer returns a right answer, or a typical wrong one: another choice on a
// one-answer question; one right choice missed or one wrong one added on a
// choose-all question.
func (l *learner) answer(q *courses.Question, right bool) []string {
	var good, bad []string
	for _, ch := range q.Choices {
		if ch.Correct {
			good = append(good, ch.ID)
		} else {
			bad = append(bad, ch.ID)
		}
	}
	if right || len(bad) == 0 {
		return good
	}
	if !q.Multiple {
		return []string{bad[l.rng.IntN(len(bad))]}
	}
	if len(good) > 1 && l.rng.IntN(2) == 0 {
		i := l.rng.IntN(len(good))
		return append(slices.Clone(good[:i]), good[i+1:]...)
	}
	return append(slices.Clone(good), bad[l.rng.IntN(len(bad))])
}

// failing returns answers that fail the quiz: the person's usual answers,
// then wrong ones a question at a time, in random order, until the score is
// under the pass mark.
func (l *learner) failing(m *courses.Module, pass int) courses.Answers {
	a := courses.Answers{}
	for _, q := range m.Questions {
		a[q.ID] = l.answer(q, l.rng.Float64() < l.skill)
	}
	for _, i := range l.rng.Perm(len(m.Questions)) {
		if res, err := m.Grade(a, pass); err != nil || !res.Passed {
			break
		}
		a[m.Questions[i].ID] = l.answer(m.Questions[i], false)
	}
	return a
}

// gap is the pause between two modules: usually minutes, sometimes the
// next day at about the same hour, which keeps training in working hours.
func (l *learner) gap() time.Duration {
	if l.rng.IntN(10) < 3 {
		return time.Duration(22+l.rng.IntN(4))*time.Hour + time.Duration(l.rng.IntN(60))*time.Minute
	}
	return time.Duration(1+l.rng.IntN(15)) * time.Minute
}

// key is an idempotency key like the ones the quiz form carries.
func (l *learner) key() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(l.rng.Uint32())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// start returns a day in [a, b] (a when b is before a) at a time in
// working hours of the organisation's zone: people train at work.
func (l *learner) start(a, b time.Time) time.Time {
	t := a
	if b.After(a) {
		t = a.Add(time.Duration(l.rng.Int64N(int64(b.Sub(a)))))
	}
	t = t.In(l.loc)
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 8+l.rng.IntN(9), l.rng.IntN(60), l.rng.IntN(60), 0, l.loc)
}

func (p *pair) touch(t time.Time) {
	if p.first.IsZero() || t.Before(p.first) {
		p.first = t
	}
	if t.After(p.last) {
		p.last = t
	}
}

// flush appends the pair's rows, with the enrolment's schedule written as
// learning.completeIfDone writes it: from courses.Derive through Stand.
func (l *learner) flush(p *pair) {
	if p.first.IsZero() {
		return // never opened: no enrolment, as in the app
	}
	var progress []store.ModuleProgress
	for _, slug := range p.order {
		progress = append(progress, *p.progress[slug])
	}
	e := store.Enrolment{UserID: l.userID, CourseID: p.c.row.ID, StartedAt: p.first,
		LastActivityAt: p.last, CreatedAt: p.first}
	st := learning.Stand(p.c.version, p.c.sched, noMaterial, &e, p.completions, progress, l.now)
	if n := len(p.completions); n > 0 {
		e.LastCompletedAt = p.completions[n-1].CompletedAt
		e.NextDueAt = st.State.NextDue
		e.Cycle = st.State.Cycle
	}
	l.out.enrolments = append(l.out.enrolments, e)
	l.out.progress = append(l.out.progress, progress...)
	l.out.completions = append(l.out.completions, p.completions...)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
