package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/xapi"
)

// lrs is a Learning Record Store on loopback that checks each statement
// against the xAPI 1.0.3 rules Frontline must keep, refuses what breaks
// them with 400 (as an LRS does), and stores what passes once per id.
type lrs struct {
	*httptest.Server
	mu       sync.Mutex
	byID     map[string]map[string]any
	order    []string
	problems []string
	down     int // answer 503 to this many requests first
}

// adlVerbs is the ADL vocabulary Frontline may use.
var adlVerbs = map[string]bool{
	"http://adlnet.gov/expapi/verbs/experienced": true,
	"http://adlnet.gov/expapi/verbs/answered":    true,
	"http://adlnet.gov/expapi/verbs/passed":      true,
	"http://adlnet.gov/expapi/verbs/failed":      true,
	"http://adlnet.gov/expapi/verbs/completed":   true,
}

func newLRS(t *testing.T, down int) *lrs {
	l := &lrs{byID: map[string]map[string]any{}, down: down}
	l.Server = httptest.NewServer(http.HandlerFunc(l.serve))
	t.Cleanup(l.Close)
	return l
}

func (l *lrs) serve(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down > 0 {
		l.down--
		http.Error(w, "starting up", http.StatusServiceUnavailable)
		return
	}
	bad := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		l.problems = append(l.problems, msg)
		http.Error(w, msg, http.StatusBadRequest)
	}
	if v := r.Header.Get("X-Experience-API-Version"); !strings.HasPrefix(v, "1.0.") {
		bad("X-Experience-API-Version %q", v)
		return
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != "lrs-key" || pass != "lrs-secret" {
		http.Error(w, "who are you", http.StatusUnauthorized)
		l.problems = append(l.problems, "no credentials")
		return
	}
	if r.Method != http.MethodPut || r.URL.Path != "/xapi/statements" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		bad("%s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		return
	}
	body, _ := io.ReadAll(r.Body)
	var st map[string]any
	if err := json.Unmarshal(body, &st); err != nil {
		bad("not JSON: %v", err)
		return
	}
	id := r.URL.Query().Get("statementId")
	if id == "" || st["id"] != id {
		bad("statementId %q, statement id %v", id, st["id"])
		return
	}
	if problem := checkStatement(st); problem != "" {
		bad("%s: %s", id, problem)
		return
	}
	if _, ok := l.byID[id]; !ok {
		l.order = append(l.order, id)
	}
	l.byID[id] = st
	w.WriteHeader(http.StatusNoContent)
}

// checkStatement returns what is wrong with a statement, or "".
func checkStatement(st map[string]any) string {
	absolute := func(s any) bool {
		u, err := url.Parse(fmt.Sprint(s))
		return err == nil && u.IsAbs() && u.Host != ""
	}
	actor, _ := st["actor"].(map[string]any)
	if actor == nil {
		return "no actor"
	}
	if ot, ok := actor["objectType"]; ok && ot != "Agent" {
		return fmt.Sprintf("actor objectType %v", ot)
	}
	mbox, hasMbox := actor["mbox"].(string)
	account, hasAccount := actor["account"].(map[string]any)
	switch {
	case hasMbox == hasAccount:
		return "an actor needs exactly one of mbox and account"
	case hasMbox && !strings.HasPrefix(mbox, "mailto:"):
		return "mbox " + mbox
	case hasAccount && (!absolute(account["homePage"]) || account["name"] == nil || account["name"] == ""):
		return fmt.Sprintf("account %v", account)
	}
	verb, _ := st["verb"].(map[string]any)
	if verb == nil || !adlVerbs[fmt.Sprint(verb["id"])] {
		return fmt.Sprintf("verb %v", verb)
	}
	if d, _ := verb["display"].(map[string]any); len(d) == 0 {
		return "verb without display"
	}
	obj, _ := st["object"].(map[string]any)
	if obj == nil || !absolute(obj["id"]) || (obj["objectType"] != nil && obj["objectType"] != "Activity") {
		return fmt.Sprintf("object %v", obj)
	}
	if ts, ok := st["timestamp"].(string); !ok {
		return "no timestamp"
	} else if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		return "timestamp " + ts
	}
	if res, ok := st["result"].(map[string]any); ok {
		if sc, ok := res["score"].(map[string]any); ok {
			scaled, _ := sc["scaled"].(float64)
			raw, _ := sc["raw"].(float64)
			lo, _ := sc["min"].(float64)
			hi, _ := sc["max"].(float64)
			if scaled < -1 || scaled > 1 || raw < lo || raw > hi {
				return fmt.Sprintf("score %v", sc)
			}
		}
	}
	return ""
}

// got lists "verb object-id" of the statements stored, in arrival order,
// for the actor named key (an account name or an mbox).
func (l *lrs) got(key string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, id := range l.order {
		st := l.byID[id]
		actor := st["actor"].(map[string]any)
		name := fmt.Sprint(actor["mbox"])
		if acc, ok := actor["account"].(map[string]any); ok {
			name = fmt.Sprint(acc["name"])
		}
		if name != key {
			continue
		}
		verb := fmt.Sprint(st["verb"].(map[string]any)["id"])
		out = append(out, verb[strings.LastIndexByte(verb, '/')+1:]+" "+fmt.Sprint(st["object"].(map[string]any)["id"]))
	}
	return out
}

func (l *lrs) find(verb string) map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range l.order {
		if strings.HasSuffix(fmt.Sprint(l.byID[id]["verb"].(map[string]any)["id"]), "/"+verb) {
			return l.byID[id]
		}
	}
	return nil
}

func TestXAPIStatementsReachTheLRSWithRetries(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		lrs := newLRS(t, 1)
		rec := &xapi.Recorder{BaseURL: "https://learn.example.com", Actor: xapi.ActorAccount}
		learn := &learning.Service{Store: in.st, Location: time.UTC, XAPI: rec}
		amara := addUser(t, in.st, "Amara Osei", auth.Learner)

		now := at(1, 5, 9)
		row, err := in.st.CourseBySlug(ctx, courseSlug)
		if err != nil {
			t.Fatal(err)
		}
		c, err := in.cat.Version(ctx, row.CurrentVersionID)
		if err != nil {
			t.Fatal(err)
		}
		if err := learn.Viewed(ctx, amara.ID, row, c.Modules[0], learning.Standing{}, now); err != nil {
			t.Fatal(err)
		}
		submitWith(t, in, learn, amara, "Finish", now.Add(time.Minute))
		submitWith(t, in, learn, amara, "Greet", now.Add(2*time.Minute))
		// The second person is named by email.
		rec.Actor = xapi.ActorMbox
		bo := addUser(t, in.st, "Bo Chen", auth.Learner)
		submitWith(t, in, learn, bo, "Greet", now.Add(3*time.Minute))

		s := in.scheduler("one", nil)
		s.XAPI = xapi.NewClient(lrs.URL+"/xapi/", "lrs-key", "lrs-secret")
		tick(t, s, now.Add(5*time.Minute)) // the LRS answers 503 to the first
		tick(t, s, now.Add(5*time.Minute+jobs.Backoff[0]))
		tick(t, s, now.Add(5*time.Minute+jobs.Backoff[0]+jobs.Backoff[1]))
		if len(lrs.problems) > 0 {
			t.Fatalf("the LRS refused statements:\n  %s", strings.Join(lrs.problems, "\n  "))
		}
		course := "https://learn.example.com/xapi/activities/courses/desk-basics"
		module := course + "/modules/" + c.Modules[0].Slug
		question := module + "/questions/first"
		want := []string{"experienced " + module, "answered " + question, "failed " + module,
			"answered " + question, "passed " + module, "completed " + course}
		got := lrs.got(fmt.Sprint(amara.ID))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("statements for Amara:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		if got := lrs.got("mailto:bo@example.com"); len(got) != 3 {
			t.Errorf("statements for Bo (by mbox): %v", got)
		}
		failed := lrs.find("failed")
		score := failed["result"].(map[string]any)["score"].(map[string]any)
		if score["raw"] != 0.0 || score["max"] != 1.0 || failed["result"].(map[string]any)["success"] != false {
			t.Errorf("failed statement's result: %v", failed["result"])
		}
		done := lrs.find("completed")
		if r := done["result"].(map[string]any); r["completion"] != true || r["score"].(map[string]any)["scaled"] != 1.0 {
			t.Errorf("completed statement's result: %v", r)
		}
		pending, err := in.st.DeliveriesOfKind(ctx, store.DeliveryXAPI, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range pending {
			if d.Status != store.OutboxSent {
				t.Errorf("statement %s: %s after %d attempts (%s)", d.MsgID, d.Status, d.Attempts, d.LastError)
			}
		}
	})
}

// A statement the LRS refuses as invalid fails for good at once; one it
// cannot take now (503) is retried.
func TestXAPIStatementRefusedByTheLRSIsNotRetried(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		in := setup(t, db)
		lrs := newLRS(t, 0)
		// An actor with neither mbox nor account is invalid xAPI.
		bad := `{"id":"6f1d3c0e-8a47-4a59-9b1e-3f6f2a1c9d00","actor":{"objectType":"Agent","name":"x"},` +
			`"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced","display":{"en-US":"experienced"}},` +
			`"object":{"objectType":"Activity","id":"https://learn.example.com/x"},"timestamp":"2026-01-05T09:00:00Z"}`
		if _, err := in.st.EnqueueDelivery(ctx, &store.Delivery{MsgID: "6f1d3c0e-8a47-4a59-9b1e-3f6f2a1c9d00", Kind: store.DeliveryXAPI,
			Event: "experienced", Body: bad, CreatedAt: at(1, 5, 9)}); err != nil {
			t.Fatal(err)
		}
		s := in.scheduler("one", nil)
		s.XAPI = xapi.NewClient(lrs.URL+"/xapi", "lrs-key", "lrs-secret")
		tick(t, s, at(1, 5, 9))
		tick(t, s, at(1, 6, 9))
		ds, err := in.st.DeliveriesOfKind(ctx, store.DeliveryXAPI, 10)
		if err != nil || len(ds) != 1 || ds[0].Status != store.OutboxFailed || ds[0].Attempts != 1 || ds[0].LastCode != 400 {
			t.Fatalf("deliveries = %+v, %v", ds, err)
		}
		if len(lrs.problems) != 1 {
			t.Errorf("the LRS saw %d bad statements: %v", len(lrs.problems), lrs.problems)
		}
	})
}
