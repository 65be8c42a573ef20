// Package xapi reports learning to a Learning Record Store as xAPI 1.0.3
// statements: a module read (experienced), each quiz answer (answered), a
// quiz passed or failed (with its score), a course completed. A Recorder
// queues statements as deliveries in the transaction of what they record;
// jobs sends them with a Client, retrying like mail. Activity ids are built
// from the course slug, module slug and question id, which authors keep
// stable, so an LRS sees the same activity across versions.
package xapi

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Version is the xAPI version spoken, sent in X-Experience-API-Version.
const Version = "1.0.3"

// ADL verbs.
const (
	Experienced = "http://adlnet.gov/expapi/verbs/experienced"
	Answered    = "http://adlnet.gov/expapi/verbs/answered"
	Passed      = "http://adlnet.gov/expapi/verbs/passed"
	Failed      = "http://adlnet.gov/expapi/verbs/failed"
	Completed   = "http://adlnet.gov/expapi/verbs/completed"
)

// ADL activity types.
const (
	typeCourse      = "http://adlnet.gov/expapi/activities/course"
	typeModule      = "http://adlnet.gov/expapi/activities/module"
	typeAssessment  = "http://adlnet.gov/expapi/activities/assessment"
	typeInteraction = "http://adlnet.gov/expapi/activities/cmi.interaction"
)

// Actor formats.
const (
	ActorAccount = "account" // {homePage: base URL, name: the person's id}: no email leaves the building
	ActorMbox    = "mbox"    // mailto: the person's email, for an LRS that joins on it
)

// Statement is an xAPI statement, with the fields Frontline sends.
type Statement struct {
	ID        string    `json:"id"`
	Actor     Actor     `json:"actor"`
	Verb      Verb      `json:"verb"`
	Object    Activity  `json:"object"`
	Result    *Result   `json:"result,omitempty"`
	Context   *Context  `json:"context,omitempty"`
	Timestamp time.Time `json:"timestamp"`
}

// Actor is an Agent, named by mbox or account.
type Actor struct {
	ObjectType string   `json:"objectType"`
	Name       string   `json:"name,omitempty"`
	Mbox       string   `json:"mbox,omitempty"`
	Account    *Account `json:"account,omitempty"`
}

// Account is an actor's account on a system.
type Account struct {
	HomePage string `json:"homePage"`
	Name     string `json:"name"`
}

// Verb is a verb id with its display.
type Verb struct {
	ID      string            `json:"id"`
	Display map[string]string `json:"display"`
}

// Activity is a statement's object.
type Activity struct {
	ObjectType string      `json:"objectType"`
	ID         string      `json:"id"`
	Definition *Definition `json:"definition,omitempty"`
}

// Definition describes an activity.
type Definition struct {
	Name            map[string]string `json:"name,omitempty"`
	Type            string            `json:"type,omitempty"`
	InteractionType string            `json:"interactionType,omitempty"`
}

// Result is a statement's outcome.
type Result struct {
	Score      *Score `json:"score,omitempty"`
	Success    *bool  `json:"success,omitempty"`
	Completion *bool  `json:"completion,omitempty"`
	Response   string `json:"response,omitempty"`
}

// Score is a score, scaled to 0..1 and raw.
type Score struct {
	Scaled float64 `json:"scaled"`
	Raw    float64 `json:"raw"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Context places a statement: the course or module it happened in.
type Context struct {
	Platform          string             `json:"platform"`
	Language          string             `json:"language,omitempty"`
	ContextActivities *ContextActivities `json:"contextActivities,omitempty"`
}

// ContextActivities lists the activities around a statement's object.
type ContextActivities struct {
	Parent   []Activity `json:"parent,omitempty"`
	Grouping []Activity `json:"grouping,omitempty"`
}

// Recorder queues statements. A nil Recorder records nothing: xAPI is off.
type Recorder struct {
	BaseURL string // the activity ids' root and the account actors' homePage
	Actor   string // ActorAccount (default) or ActorMbox
}

// CourseID is a course's activity id.
func (r *Recorder) CourseID(slug string) string {
	return strings.TrimRight(r.BaseURL, "/") + "/xapi/activities/courses/" + url.PathEscape(slug)
}

// ModuleID is a module's activity id.
func (r *Recorder) ModuleID(course, module string) string {
	return r.CourseID(course) + "/modules/" + url.PathEscape(module)
}

// QuestionID is a question's activity id.
func (r *Recorder) QuestionID(course, module, question string) string {
	return r.ModuleID(course, module) + "/questions/" + url.PathEscape(question)
}

func (r *Recorder) actor(u *store.User) Actor {
	// Someone without email has no mailbox to name them by: they are
	// named by their account, as with ActorAccount.
	if r.Actor == ActorMbox && u.HasEmail() {
		return Actor{ObjectType: "Agent", Name: u.Name, Mbox: "mailto:" + u.Email}
	}
	return Actor{ObjectType: "Agent", Name: u.Name, Account: &Account{HomePage: strings.TrimRight(r.BaseURL, "/"), Name: strconv.FormatInt(u.ID, 10)}}
}

func verb(id string) Verb {
	return Verb{ID: id, Display: map[string]string{"en-US": id[strings.LastIndexByte(id, '/')+1:]}}
}

func activity(id, typ, name string) Activity {
	a := Activity{ObjectType: "Activity", ID: id, Definition: &Definition{Type: typ}}
	if name != "" {
		a.Definition.Name = map[string]string{"en-US": name}
	}
	return a
}

func (r *Recorder) context(parents ...Activity) *Context {
	return &Context{Platform: "Frontline", ContextActivities: &ContextActivities{Parent: parents}}
}

func (r *Recorder) courseActivity(row *store.Course) Activity {
	return activity(r.CourseID(row.Slug), typeCourse, row.Title)
}

// Experienced records that u read module m of course row.
func (r *Recorder) Experienced(ctx context.Context, tx *store.Store, u *store.User, row *store.Course, m *courses.Module, now time.Time) error {
	if r == nil {
		return nil
	}
	return r.queue(ctx, tx, Statement{Actor: r.actor(u), Verb: verb(Experienced),
		Object:  activity(r.ModuleID(row.Slug, m.Slug), typeModule, m.Title),
		Context: r.context(r.courseActivity(row)), Timestamp: now})
}

// Quiz records one graded quiz of course version c: module m's, or with m
// nil a refresher quiz over the whole course. Each question answered, then
// the quiz passed or failed with its score.
func (r *Recorder) Quiz(ctx context.Context, tx *store.Store, u *store.User, row *store.Course, c *courses.Course, m *courses.Module, res courses.Result, now time.Time) error {
	if r == nil {
		return nil
	}
	course := r.courseActivity(row)
	quiz := activity(r.CourseID(row.Slug)+"/refresher", typeAssessment, row.Title+" (refresher)")
	if m != nil {
		quiz = activity(r.ModuleID(row.Slug, m.Slug), typeModule, m.Title)
	}
	for _, q := range res.Questions {
		module := moduleOf(c, m, q.Question)
		a := activity(r.QuestionID(row.Slug, module, q.Question.ID), typeInteraction, q.Question.Prompt)
		a.Definition.InteractionType = "choice"
		ok := q.Correct
		if err := r.queue(ctx, tx, Statement{Actor: r.actor(u), Verb: verb(Answered), Object: a,
			Result:  &Result{Success: &ok, Response: strings.Join(q.Chosen, "[,]")},
			Context: r.context(quiz, course), Timestamp: now}); err != nil {
			return err
		}
	}
	v := Failed
	if res.Passed {
		v = Passed
	}
	passed := res.Passed
	return r.queue(ctx, tx, Statement{Actor: r.actor(u), Verb: verb(v), Object: quiz,
		Result:  &Result{Score: score(res.Correct, res.Total), Success: &passed},
		Context: r.context(course), Timestamp: now})
}

// Completed records that u completed course row with score (percent).
func (r *Recorder) Completed(ctx context.Context, tx *store.Store, u *store.User, row *store.Course, percent int, now time.Time) error {
	if r == nil {
		return nil
	}
	done := true
	return r.queue(ctx, tx, Statement{Actor: r.actor(u), Verb: verb(Completed), Object: r.courseActivity(row),
		Result: &Result{Score: score(percent, 100), Completion: &done, Success: &done}, Timestamp: now})
}

// moduleOf is the slug of the module a question belongs to.
func moduleOf(c *courses.Course, m *courses.Module, q *courses.Question) string {
	if m != nil {
		return m.Slug
	}
	for _, mod := range c.Modules {
		for _, mq := range mod.Questions {
			if mq == q || mq.ID == q.ID {
				return mod.Slug
			}
		}
	}
	return ""
}

func score(raw, max int) *Score {
	s := &Score{Raw: float64(raw), Min: 0, Max: float64(max)}
	if max > 0 {
		s.Scaled = float64(raw) / float64(max)
	}
	return s
}

func (r *Recorder) queue(ctx context.Context, tx *store.Store, st Statement) error {
	st.ID = newUUID()
	st.Timestamp = store.Now(st.Timestamp)
	body, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("xapi: unable to encode a statement: %w", err)
	}
	_, err = tx.EnqueueDelivery(ctx, &store.Delivery{MsgID: st.ID, Kind: store.DeliveryXAPI, Event: st.Verb.Display["en-US"],
		Body: string(body), CreatedAt: st.Timestamp})
	return err
}

// newUUID is a random (version 4) UUID, the statement id: the LRS stores a
// statement once per id, so a retry after a lost answer adds nothing.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
