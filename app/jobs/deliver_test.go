package jobs_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
	"github.com/frontline-lms/frontline/courses"
)

// hook is one request a receiver got.
type hook struct {
	id, ts, sig string
	body        []byte
	typ         string
}

// receiver is a real HTTP server on loopback that answers with the codes
// queued in answers (204 once they run out) and keeps what it got.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	got     []hook
	answers []int
}

func newReceiver(t *testing.T, answers ...int) *receiver {
	r := &receiver{answers: answers}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var p struct {
			Type string `json:"type"`
		}
		json.Unmarshal(body, &p)
		r.mu.Lock()
		r.got = append(r.got, hook{id: req.Header.Get("webhook-id"), ts: req.Header.Get("webhook-timestamp"),
			sig: req.Header.Get("webhook-signature"), body: body, typ: p.Type})
		code := http.StatusNoContent
		if len(r.answers) > 0 {
			code, r.answers = r.answers[0], r.answers[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) hooks() []hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func (r *receiver) types() []string {
	var out []string
	for _, h := range r.hooks() {
		out = append(out, h.typ)
	}
	slices.Sort(out)
	return out
}

// verify checks a request's signature the way the Standard Webhooks
// specification tells receivers to, written here from the specification
// rather than with the package's Sign.
func verify(t *testing.T, secret string, h hook, now time.Time) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.id + "." + h.ts + "." + string(h.body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if h.sig != want {
		t.Errorf("webhook-signature %q, want %q", h.sig, want)
	}
	if h.ts != strconv.FormatInt(now.Unix(), 10) {
		t.Errorf("webhook-timestamp %q, want %d", h.ts, now.Unix())
	}
	if !strings.HasPrefix(h.id, "msg_") {
		t.Errorf("webhook-id %q", h.id)
	}
}

func withHooks(s *jobs.Scheduler) *jobs.Scheduler {
	s.Webhooks = webhooks.NewSender(5 * time.Second)
	return s
}

func register(t *testing.T, st *store.Store, url string, allowPrivate bool, events ...string) *store.WebhookEndpoint {
	t.Helper()
	svc := &webhooks.Service{Store: st, Now: func() time.Time { return completed }}
	if len(events) == 0 {
		events = webhooks.Events
	}
	ep, err := svc.Register(context.Background(), store.Actor{}, webhooks.Endpoint{URL: url, Events: events, AllowPrivate: allowPrivate})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func TestWebhookIsSignedRetriedWithBackoffAndLogged(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		rcv := newReceiver(t, http.StatusServiceUnavailable)
		ep := register(t, in.st, rcv.URL+"/hooks", true)
		ppl := &people.Service{Store: in.st, BaseURL: "https://learn.example.com", Now: func() time.Time { return completed }}
		if _, _, err := ppl.Add(ctx, nil, people.Person{Name: "Amara Osei", Email: "amara@example.com", Role: auth.Learner}); err != nil {
			t.Fatal(err)
		}
		s := withHooks(in.scheduler("one", nil))
		now := at(1, 5, 9)
		tick(t, s, now)
		if got := rcv.hooks(); len(got) != 1 {
			t.Fatalf("first try: %d requests", len(got))
		}
		tick(t, s, now.Add(jobs.Backoff[0]-time.Second))
		if got := rcv.hooks(); len(got) != 1 {
			t.Fatalf("retried before the backoff: %d requests", len(got))
		}
		retry := now.Add(jobs.Backoff[0])
		tick(t, s, retry)
		got := rcv.hooks()
		if len(got) != 2 || got[0].id != got[1].id || got[1].typ != webhooks.PersonCreated {
			t.Fatalf("after the backoff: %+v", got)
		}
		verify(t, ep.Secret, got[0], now)
		verify(t, ep.Secret, got[1], retry)
		var p struct {
			Data struct {
				Person webhooks.Person `json:"person"`
			} `json:"data"`
		}
		if err := json.Unmarshal(got[1].body, &p); err != nil || p.Data.Person.Email != "amara@example.com" {
			t.Errorf("payload %s: %v", got[1].body, err)
		}
		log, err := in.st.DeliveriesOf(ctx, ep.ID, 10)
		if err != nil || len(log) != 1 || log[0].Status != store.OutboxSent || log[0].Attempts != 2 || log[0].LastCode != 204 {
			t.Fatalf("delivery log = %+v, %v", log, err)
		}
		tick(t, s, retry.Add(time.Hour))
		if n := len(rcv.hooks()); n != 2 {
			t.Errorf("a delivered webhook went again: %d requests", n)
		}
	})
}

// submit grades answers to the fixture's quiz and submits them as the quiz form does.
func submit(t *testing.T, in instance, u *store.User, choice string, now time.Time) learning.Outcome {
	t.Helper()
	return submitWith(t, in, &learning.Service{Store: in.st, Location: time.UTC}, u, choice, now)
}

func submitWith(t *testing.T, in instance, learn *learning.Service, u *store.User, choice string, now time.Time) learning.Outcome {
	t.Helper()
	ctx := context.Background()
	row, err := in.st.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	c, err := in.cat.Version(ctx, row.CurrentVersionID)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Modules[0]
	q := m.Questions[0]
	var pick string
	for _, ch := range q.Choices {
		if strings.HasPrefix(ch.Text, choice) {
			pick = ch.ID
		}
	}
	res, err := m.Grade(courses.Answers{q.ID: {pick}}, c.Pass)
	if err != nil {
		t.Fatal(err)
	}
	out, err := learn.Submit(ctx, learning.Submission{UserID: u.ID, Course: row, VersionID: row.CurrentVersionID, Version: c,
		Module: m, Key: "k-" + now.String(), Result: res, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWebhookEventsAreQueuedInTheTransactionOfTheirChange(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		rcv := newReceiver(t)
		register(t, in.st, rcv.URL, true)
		only := newReceiver(t)
		register(t, in.st, only.URL, true, webhooks.CourseCompleted)
		s := withHooks(in.scheduler("one", nil))
		admin := addUser(t, in.st, "Ada Admin", auth.Admin)
		amara := addUser(t, in.st, "Amara Osei", auth.Learner)

		now := at(1, 5, 9)
		submit(t, in, amara, "Finish", now)
		if out := submit(t, in, amara, "Greet", now.Add(time.Minute)); !out.Completed {
			t.Fatal("the passing attempt did not complete the course")
		}
		ppl := &people.Service{Store: in.st, Now: func() time.Time { return now }}
		if _, err := ppl.SetActive(ctx, store.Actor{ID: admin.ID}, amara.ID, false); err != nil {
			t.Fatal(err)
		}
		// A refused change queues nothing: the last admin stays active, and
		// no person.deactivated goes out for them.
		if _, err := ppl.SetActive(ctx, store.Actor{ID: amara.ID}, admin.ID, false); !errors.Is(err, people.ErrLastAdmin) {
			t.Fatalf("deactivating the last admin: %v", err)
		}
		// Someone else is overdue: the sweep notices it at every run, the
		// webhook goes once per due date.
		bo := addUser(t, in.st, "Bo Chen", auth.Learner)
		complete(t, in.st, bo, completed)
		tick(t, s, at(3, 11, 9))
		tick(t, s, at(3, 11, 9).Add(jobs.RemindEvery))

		want := []string{webhooks.CourseCompleted, webhooks.BecameOverdue, webhooks.PersonDeactivated, webhooks.QuizFailed}
		slices.Sort(want)
		if got := rcv.types(); !slices.Equal(got, want) {
			t.Errorf("received %v, want %v", got, want)
		}
		if got := only.types(); !slices.Equal(got, []string{webhooks.CourseCompleted}) {
			t.Errorf("the course.completed-only endpoint received %v", got)
		}
	})
}

func TestWebhookToAPrivateAddressIsRefusedWhenDialled(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		rcv := newReceiver(t)
		port := rcv.URL[strings.LastIndexByte(rcv.URL, ':')+1:]
		// Saved as they would be had the name resolved to a public address
		// when registered and to loopback since (DNS rebinding), or had the
		// form's check been bypassed: the dial refuses them all the same.
		var eps []*store.WebhookEndpoint
		for _, u := range []string{rcv.URL, "http://localhost:" + port, "http://[::ffff:127.0.0.1]:" + port} {
			ep := &store.WebhookEndpoint{URL: u, Events: webhooks.PersonCreated, Secret: webhooks.NewSecret(), CreatedAt: completed}
			if err := in.st.CreateWebhookEndpoint(ctx, ep); err != nil {
				t.Fatal(err)
			}
			eps = append(eps, ep)
		}
		ppl := &people.Service{Store: in.st, Now: func() time.Time { return completed }}
		if _, _, err := ppl.Add(ctx, nil, people.Person{Name: "Amara Osei", Email: "amara@example.com", Role: auth.Learner}); err != nil {
			t.Fatal(err)
		}
		s := withHooks(in.scheduler("one", nil))
		tick(t, s, at(1, 5, 9))
		tick(t, s, at(1, 6, 9))
		if n := len(rcv.hooks()); n != 0 {
			t.Fatalf("the receiver on loopback got %d requests", n)
		}
		for _, ep := range eps {
			log, err := in.st.DeliveriesOf(ctx, ep.ID, 10)
			if err != nil || len(log) != 1 || log[0].Status != store.OutboxFailed || log[0].Attempts != 1 ||
				!strings.Contains(log[0].LastError, "not a public one") {
				t.Errorf("%s: delivery log = %+v, %v", ep.URL, log, err)
			}
		}
	})
}

// A staff import announces the people it adds and deactivates, from the
// transaction of each batch.
func TestStaffImportAnnouncesPeopleAddedAndDeactivated(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		rcv := newReceiver(t)
		register(t, in.st, rcv.URL, true, webhooks.PersonCreated, webhooks.PersonDeactivated)
		admin := addUser(t, in.st, "Ada Admin", auth.Admin)
		addUser(t, in.st, "Amara Osei", auth.Learner)
		rows, problems := staff.Parse(strings.NewReader("name,email,team,role,manager,active\n" +
			"Amara Osei,amara@example.com,Acme/West,learner,,no\nKwame Mensah,kwame@example.com,Acme/West,learner,,yes\n"))
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		if _, err := staff.Apply(ctx, in.st, rows, admin.ID, at(1, 5, 9), time.UTC, nil); err != nil {
			t.Fatal(err)
		}
		tick(t, withHooks(in.scheduler("one", nil)), at(1, 5, 9))
		got := map[string]string{}
		for _, h := range rcv.hooks() {
			var p struct {
				Data struct {
					Person webhooks.Person `json:"person"`
				} `json:"data"`
			}
			if err := json.Unmarshal(h.body, &p); err != nil {
				t.Fatal(err)
			}
			got[p.Data.Person.Email] = h.typ
		}
		if len(got) != 2 || got["amara@example.com"] != webhooks.PersonDeactivated || got["kwame@example.com"] != webhooks.PersonCreated {
			t.Errorf("received %v", got)
		}
	})
}

// A burst larger than a batch goes out in one tick, not a batch per tick.
func TestABurstOfWebhooksDrainsInOneTick(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		rcv := newReceiver(t)
		register(t, in.st, rcv.URL, true, webhooks.PersonCreated)
		for i := range 45 {
			if err := webhooks.Emit(ctx, in.st, webhooks.PersonCreated, map[string]int{"n": i}, "", at(1, 5, 9)); err != nil {
				t.Fatal(err)
			}
		}
		s := withHooks(in.scheduler("one", nil))
		sent, err := s.Deliver(ctx, at(1, 5, 9))
		if err != nil || sent != 45 || len(rcv.hooks()) != 45 {
			t.Fatalf("sent %d (%v), received %d; want 45", sent, err, len(rcv.hooks()))
		}
	})
}

// BenchmarkDeliverWebhooks measures queued webhooks delivered per second
// to a receiver on loopback (SQLite: the queue write per delivery is the
// one writer's): go test ./app/jobs -run xxx -bench DeliverWebhooks.
func BenchmarkDeliverWebhooks(b *testing.B) {
	ctx := context.Background()
	db := apptest.NewSQLite(b)
	st := store.New(db)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer rcv.Close()
	svc := &webhooks.Service{Store: st, Now: func() time.Time { return completed }}
	if _, err := svc.Register(ctx, store.Actor{}, webhooks.Endpoint{URL: rcv.URL, Events: []string{webhooks.PersonCreated}, AllowPrivate: true}); err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		if err := webhooks.Emit(ctx, st, webhooks.PersonCreated, map[string]int{"n": i}, "", completed); err != nil {
			b.Fatal(err)
		}
	}
	s := &jobs.Scheduler{Store: st, Log: quietLog, Owner: "bench", Webhooks: webhooks.NewSender(5 * time.Second)}
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		n, err := s.Deliver(ctx, completed)
		if err != nil {
			b.Fatal(err)
		}
		sent += n
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "webhooks/s")
}
