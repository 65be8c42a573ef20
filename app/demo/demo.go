// Package demo builds a demonstration organisation: an admin, a trainer, a
// manager and any number of learners under demo.example, with a year of
// module progress, graded quiz attempts and completions recorded against the
// published courses, so that every refresher state shows up. It writes in
// batches (a transaction per group of people) so that it scales to a large
// organisation. It must not touch any account outside demo.example, must
// never set a fixed or guessable password, and must not bypass the domain:
// answers are graded by courses.Module.Grade and schedules come from
// courses.Derive, so the data looks exactly as if people had used the app.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Options say what to build and where.
type Options struct {
	Store    *store.Store
	Catalog  *catalog.Catalog
	Content  fs.FS          // courses imported before anything else; nil imports nothing
	Location *time.Location // the organisation's zone, which decides due days; UTC when nil
	Learners int
	Courses  int    // publish generated variants of the shipped courses up to this many; 0: the shipped ones
	Seed     uint64 // the same seed gives the same people and the same history
	Now      time.Time
	Progress func(Progress) // called after each batch is committed; may be nil
}

// Progress is how far Run has got.
type Progress struct {
	// "" while people are written; "teams", "assignments", then
	// "checking" (statistics, the foreign key check and the checkpoint of
	// a large load: no count, Total is 0) and "counting" (where everyone
	// stands, read back from the database).
	Stage         string
	People, Total int // people written (or found) so far, of Total; teams, courses or people counted in the later stages
	Attempts      int // quiz attempts written so far
}

// Report is what Run did and what the organisation looks like afterwards.
type Report struct {
	People      []Person // admin, trainer, manager, then the learners
	Password    string   // every demo person's password, new on every run
	Created     int      // people added by this run, with their history
	Existing    int      // people found from an earlier run: only their password changed
	Attempts    int      // quiz attempts written by this run
	Completions int      // completions written by this run
	Courses     int      // published courses the history is recorded against

	// States counts every demo person × published course by the state
	// derived now from what the database holds.
	States map[courses.Status]int
}

// historyMonths is how far back history goes. A 12-month course is overdue
// only when completed over a year ago; 14 months leaves room for one up to
// 50 days late, whatever the lengths of the months in between.
const historyMonths = 14

// Run imports the courses, adds the people who do not exist yet with their
// history, gives every demo person a new random password and reports the
// states. Running it again adds nobody twice.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Learners < 0 {
		return nil, errors.New("demo: the number of learners cannot be negative")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	now := store.Now(o.Now)
	oldest := now.AddDate(0, -historyMonths, 0)
	if o.Content != nil && o.Courses > 0 {
		var err error
		if o.Content, err = variants(o.Content, o.Courses); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if o.Content != nil {
		if err := importCourses(ctx, o, oldest); err != nil {
			return nil, err
		}
	}
	cs, err := publishedCourses(ctx, o)
	if err != nil {
		return nil, err
	}

	rep := &Report{People: Roster(o.Seed, o.Learners), Courses: len(cs), Password: auth.NewToken()[:14]}
	// One hash for everyone: argon2id is slow on purpose, and these
	// accounts share a password anyway.
	hash, err := auth.HashPassword(rep.Password)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	emails := make([]string, len(rep.People))
	for i, p := range rep.People {
		emails[i] = p.Email
	}
	found, err := o.Store.UsersByEmails(ctx, emails)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(rep.People))
	byEmail := make(map[string]store.User, len(found))
	var existing []int64
	for _, u := range found {
		ids[u.Email] = u.ID
		byEmail[u.Email] = u
		existing = append(existing, u.ID)
	}
	for i := range rep.People {
		if u, ok := byEmail[rep.People[i].Email]; ok {
			// Report the person as they are: another seed's roster may name
			// as its admin someone an earlier run made a learner.
			p := &rep.People[i]
			p.Name, p.Role, p.Existed = u.Name, auth.Role(u.Role), true
			rep.Existing++
		}
	}
	if err := o.Store.Tx(ctx, func(tx *store.Store) error { return tx.SetPasswords(ctx, existing, hash) }); err != nil {
		return nil, err
	}

	// Nobody in the database yet: nothing there for the bulk settings to
	// put at risk.
	fresh := len(found) == 0
	if fresh {
		n, err := o.Store.CountUsers(ctx)
		if err != nil {
			return nil, err
		}
		fresh = n == 0
	}
	end, err := o.Store.BulkLoad(ctx, fresh)
	if err != nil {
		return nil, err
	}
	err = load(ctx, o, rep, ids, hash, cs, now, oldest)
	if endErr := end(context.WithoutCancel(ctx)); err == nil {
		err = endErr
	}
	if err != nil {
		return nil, err
	}

	total := len(rep.People)
	userIDs := make([]int64, 0, total)
	for _, p := range rep.People {
		userIDs = append(userIDs, ids[p.Email])
	}
	if rep.States, err = states(ctx, o.Store, cs, userIDs, now, o.Progress); err != nil {
		return nil, err
	}
	return rep, nil
}

// load writes the people who are new with their history, a batch at a
// time, then the organisation around them, and refreshes the planner's
// statistics. One goroutine plays the batches' histories while this one
// writes the batch before: the database takes one writer, and playing is
// a tenth of the work.
func load(ctx context.Context, o Options, rep *Report, ids map[string]int64, hash string, cs []course, now, oldest time.Time) error {
	total := len(rep.People)
	months := snapshotMonths(now, o.Location)
	snaps := map[int]map[string]int{} // team index → month → people overdue; the player's until it is done
	// A transaction per batch. Each commit writes every page it changed,
	// and the same few index pages (the latest of each question's answers,
	// say) change in every one: at 100,000 people, commits of 1,000 people
	// (some 45,000 attempts) took 22 s of CPU where commits of 200 took 32.
	perBatch := min(max(total/25, 1), 1000)

	playCtx, stop := context.WithCancel(ctx)
	played := make(chan *batch, 2) // a little ahead of the writer, not the whole organisation in memory
	defer func() {
		stop()
		for range played { // wait for the player to stop
		}
	}()
	go func() {
		defer close(played)
		for from := 0; from < total; from += perBatch {
			b := play(o, rep.People[from:min(from+perBatch, total)], from, hash, cs, now, oldest, months, snaps)
			select {
			case played <- b:
			case <-playCtx.Done():
				return
			}
		}
	}()
	for b := range played {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := write(ctx, o.Store, b, ids); err != nil {
			return err
		}
		rep.Created += len(b.users)
		rep.Attempts += len(b.out.attempts)
		rep.Completions += len(b.out.completions)
		if o.Progress != nil {
			o.Progress(Progress{People: b.to, Total: total, Attempts: rep.Attempts})
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if err := buildOrg(ctx, o, rep.People, ids, cs, snaps, now); err != nil {
		return err
	}
	if o.Progress != nil {
		o.Progress(Progress{Stage: "checking"})
	}
	if rep.Created > 0 {
		return o.Store.Analyze(ctx)
	}
	return nil
}

// batch is a group of people who do not exist yet, with their history,
// ready to be written. Until write gives them their IDs, every row names
// its person by roster index (see play).
type batch struct {
	users []store.User
	index []int // roster index of each user
	out   *rows
	to    int // roster index after the batch's last person
}

// play builds the people of one batch who do not exist yet and plays
// their history. Rows name a person by their roster index until write
// knows their ID; the overdue counts of their teams are added to snaps.
func play(o Options, people []Person, offset int, hash string, cs []course, now, oldest time.Time,
	months []time.Time, snaps map[int]map[string]int) *batch {
	b := &batch{out: &rows{}, to: offset + len(people)}
	index := map[int64]int{} // person (roster index) → roster index, for the overdue counts
	for i := range people {
		if people[i].Existed {
			continue
		}
		n := offset + i
		// Joined a little before their history starts.
		joined := oldest.AddDate(0, 0, -1-rngFor(o.Seed, n, 1).IntN(60))
		b.users = append(b.users, store.User{Email: people[i].Email, Name: people[i].Name,
			PasswordHash: hash, Role: string(people[i].Role), Active: true, CreatedAt: joined})
		b.index = append(b.index, n)
		rng := rngFor(o.Seed, n, 0)
		if n >= staff {
			index[int64(n)] = n
		}
		l := &learner{rng: rng, userID: int64(n), skill: 0.72 + 0.25*rng.Float64(),
			now: now, loc: o.Location, oldest: oldest, out: b.out}
		for ci := range cs {
			l.play(&cs[ci], scenarioFor(rng, n, ci, len(cs)))
		}
	}
	countOverdue(b.out, cs, index, months, snaps)
	return b
}

// write adds a batch's people and their history in one transaction: a
// person is in the database with their whole history or not at all, so a
// run stopped half-way can simply be run again.
func write(ctx context.Context, st *store.Store, b *batch, ids map[string]int64) error {
	if len(b.users) == 0 {
		return nil
	}
	err := st.Tx(ctx, func(tx *store.Store) error {
		if err := tx.InsertUsers(ctx, b.users); err != nil {
			return err
		}
		id := make(map[int64]int64, len(b.users)) // roster index → user ID
		for k, u := range b.users {
			id[int64(b.index[k])] = u.ID
		}
		out := b.out
		for i := range out.enrolments {
			out.enrolments[i].UserID = id[out.enrolments[i].UserID]
		}
		for i := range out.progress {
			out.progress[i].UserID = id[out.progress[i].UserID]
		}
		for i := range out.attempts {
			out.attempts[i].UserID = id[out.attempts[i].UserID]
		}
		for i := range out.completions {
			out.completions[i].UserID = id[out.completions[i].UserID]
		}
		if err := tx.InsertEnrolments(ctx, out.enrolments); err != nil {
			return err
		}
		if err := tx.InsertProgress(ctx, out.progress); err != nil {
			return err
		}
		if err := tx.InsertAttempts(ctx, out.attempts); err != nil {
			return err
		}
		return tx.InsertCompletions(ctx, out.completions)
	})
	if err != nil {
		return err
	}
	for _, u := range b.users {
		ids[u.Email] = u.ID
	}
	return nil
}

// staff is how many people come before the learners in the roster.
const staff = 3

// scenarioFor steers the first learner's first five courses through every
// state, so that even a tiny demo shows them all; the rest is drawn.
func scenarioFor(rng *rand.Rand, person, courseIndex, courses int) scenario {
	if n := (person-staff)*courses + courseIndex; person >= staff && n <= int(overdue) {
		return scenario(n)
	}
	return pick(rng)
}

// rngFor is person i's own random stream (stream 0: history; 1: account),
// so what happens to one person does not depend on who else exists.
func rngFor(seed uint64, person, stream int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(person)<<8|uint64(stream)))
}

// importCourses publishes the course files. On a database with no courses
// yet the versions are dated before the history starts, so no attempt
// predates the version it was made against; otherwise they are dated now, as
// on a server start, so version numbers and dates stay in order.
func importCourses(ctx context.Context, o Options, oldest time.Time) error {
	at := o.Now
	cs, err := o.Store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		at = oldest.AddDate(0, -3, 0)
	}
	// A broken course file is logged by the catalog; its last good
	// version, if any, keeps serving and the demo uses that.
	_, err = o.Catalog.Import(ctx, o.Content, at)
	return err
}

// publishedCourses loads every published course with its current version.
func publishedCourses(ctx context.Context, o Options) ([]course, error) {
	rows, err := o.Store.PublishedCourses(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("demo: there are no published courses to record history against")
	}
	svc := &learning.Service{Store: o.Store, Location: o.Location}
	out := make([]course, 0, len(rows))
	for _, r := range rows {
		v, err := o.Catalog.Version(ctx, r.CurrentVersionID)
		if err != nil {
			return nil, fmt.Errorf("demo: course %q: %w", r.Slug, err)
		}
		sched, err := svc.Schedule(&r)
		if err != nil {
			return nil, err
		}
		out = append(out, course{row: r, version: v, sched: sched})
	}
	return out, nil
}

// statesChunk is how many people's records states holds in memory at once,
// per reader.
const statesChunk = 1000

// statesReaders is how many chunks states reads and derives at once: the
// read pool serves several, and the derivation is as much work as the read.
const statesReaders = 2

// states derives, from the database, the state of each person on each
// course at now — the same derivation every page uses — and counts them,
// reporting the people counted to progress (when not nil) as it goes.
func states(ctx context.Context, st *store.Store, cs []course, userIDs []int64, now time.Time,
	progress func(Progress)) (map[courses.Status]int, error) {
	total := len(userIDs)
	parts := make(chan []int64)
	go func() {
		defer close(parts)
		for len(userIDs) > 0 {
			part := userIDs[:min(statesChunk, len(userIDs))]
			userIDs = userIDs[len(part):]
			select {
			case parts <- part:
			case <-ctx.Done():
				return
			}
		}
	}()
	// Each reader sends a result per chunk, and one with done set when it
	// has no more (after an error, which ends it, too).
	type result struct {
		counts map[courses.Status]int
		people int
		err    error
		done   bool
	}
	results := make(chan result, statesReaders)
	for range statesReaders {
		go func() {
			for part := range parts {
				counts := map[courses.Status]int{}
				if err := countStates(ctx, st, cs, part, now, counts); err != nil {
					results <- result{err: err, done: true}
					for range parts { // let the feeder finish
					}
					return
				}
				results <- result{counts: counts, people: len(part)}
			}
			results <- result{done: true}
		}()
	}
	if progress != nil {
		progress(Progress{Stage: "counting", Total: total})
	}
	counts := map[courses.Status]int{}
	var errs []error
	counted := 0
	for running := statesReaders; running > 0; {
		r := <-results
		if r.done {
			running--
		}
		errs = append(errs, r.err)
		for s, n := range r.counts {
			counts[s] += n
		}
		if counted += r.people; r.people > 0 && progress != nil {
			progress(Progress{Stage: "counting", People: counted, Total: total})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return counts, nil
}

// countStates adds the states of part's people on every course to counts.
func countStates(ctx context.Context, st *store.Store, cs []course, part []int64, now time.Time, counts map[courses.Status]int) error {
	type key struct{ user, course int64 }
	es, err := st.EnrolmentsOfUsers(ctx, part)
	if err != nil {
		return err
	}
	cos, err := st.CompletionsOfUsers(ctx, part)
	if err != nil {
		return err
	}
	ps, err := st.ProgressOfUsers(ctx, part)
	if err != nil {
		return err
	}
	enrolments := map[key]*store.Enrolment{}
	for i := range es {
		enrolments[key{es[i].UserID, es[i].CourseID}] = &es[i]
	}
	completions := map[key][]store.Completion{}
	for _, c := range cos {
		k := key{c.UserID, c.CourseID}
		completions[k] = append(completions[k], c)
	}
	progress := map[key][]store.ModuleProgress{}
	for _, p := range ps {
		k := key{p.UserID, p.CourseID}
		progress[k] = append(progress[k], p)
	}
	for _, u := range part {
		for _, c := range cs {
			k := key{u, c.row.ID}
			s := learning.Stand(c.version, c.sched, noMaterial, enrolments[k], completions[k], progress[k], now)
			counts[s.State.Status]++
		}
	}
	return nil
}
