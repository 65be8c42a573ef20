package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestIdempotencyKeyMakesARetryAnswerAgain: the same write sent twice with
// one key makes one person and the same answer; the key reused for a
// different body is refused; without a key a retry is a new request.
func TestIdempotencyKeyMakesARetryAnswerAgain(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		tok, _ := f.token(auth.PeopleWrite)
		body := map[string]any{"name": "Kwame Mensah", "email": "kwame@example.com"}
		first, _ := f.do("POST", "/api/v1/people", tok, body, "Idempotency-Key", "hr-42")
		mustStatus(t, "first", first, http.StatusCreated)
		again, _ := f.do("POST", "/api/v1/people", tok, body, "Idempotency-Key", "hr-42")
		mustStatus(t, "retry", again, http.StatusCreated)
		if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" ||
			again.Header.Get("Location") != first.Header.Get("Location") {
			t.Fatalf("retry answered\n%s\n%v\nwant\n%s", again.Body, again.Header, first.Body)
		}
		other, _ := f.do("POST", "/api/v1/people", tok, map[string]any{"name": "Someone Else", "email": "else@example.com"}, "Idempotency-Key", "hr-42")
		mustStatus(t, "reused key", other, http.StatusUnprocessableEntity)
		if n, err := f.app.Store.CountUsers(context.Background()); err != nil || n != 2 {
			t.Fatalf("%d people, %v; want Ada and Kwame", n, err)
		}
		// Without a key the same body is a second request: the email is taken.
		dup, _ := f.do("POST", "/api/v1/people", tok, body)
		mustStatus(t, "no key", dup, http.StatusUnprocessableEntity)
		// An error answer is kept too: a retry of a refused write is refused
		// the same way, without running again.
		bad, _ := f.do("POST", "/api/v1/teams", tok, map[string]any{"name": ""}, "Idempotency-Key", "team-1")
		badAgain, _ := f.do("POST", "/api/v1/teams", tok, map[string]any{"name": ""}, "Idempotency-Key", "team-1")
		if bad.Status != http.StatusUnprocessableEntity || string(badAgain.Body) != string(bad.Body) {
			t.Fatalf("refused write: %d %s, retry %d %s", bad.Status, bad.Body, badAgain.Status, badAgain.Body)
		}
	})
}

// TestAPIRateLimitAndAudit: a token past its rate gets 429 with
// Retry-After, and every request it made — refused or not — is in the
// audit log under its maker, with the token's last use recorded.
func TestAPIRateLimitAndAudit(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, map[string]string{"FRONTLINE_API_RATE": "3"})
		tok, tt := f.token(auth.PeopleRead)
		for i := range 3 {
			res, _ := f.do("GET", "/api/v1/people", tok, nil)
			mustStatus(t, "request "+id(int64(i)), res, http.StatusOK)
		}
		res, _ := f.do("GET", "/api/v1/people", tok, nil)
		mustStatus(t, "fourth request", res, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("429 without Retry-After or problem: %v", res.Header)
		}
		// Another token has its own allowance.
		other, _ := f.token(auth.PeopleRead)
		res, _ = f.do("GET", "/api/v1/people", other, nil)
		mustStatus(t, "another token", res, http.StatusOK)

		ctx := context.Background()
		rows, _, err := f.app.Store.AuditLog(ctx, store.AuditQuery{Action: "api.request", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		mine := 0
		for _, r := range rows {
			if r.Target == "api_token:"+id(tt.ID) {
				mine++
				if r.ActorID == nil || *r.ActorID != f.admin.ID || r.IP != "127.0.0.1" {
					t.Fatalf("audit row %+v: want Ada from 127.0.0.1", r.AuditEntry)
				}
			}
		}
		if mine != 4 || !strings.Contains(rows[1].Detail, "429") {
			t.Fatalf("%d audit rows for the token, newest %+v; want 4, the last a 429", mine, rows[1].AuditEntry)
		}
		got, err := f.app.Store.APIToken(ctx, tt.ID)
		if err != nil || got.LastUsedAt.IsZero() {
			t.Fatalf("last used %v, %v", got.LastUsedAt, err)
		}
	})
}

func storeQuery(action string) store.AuditQuery { return store.AuditQuery{Action: action, Limit: 100} }

// TestConcurrentRequestsAreEachAudited: requests that arrive together share
// audit transactions (group commit), and each still gets its own row
// before its answer.
func TestConcurrentRequestsAreEachAudited(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		tok, tt := f.token(auth.PeopleRead)
		const n = 40
		errs := make(chan error, n)
		for range n {
			go func() {
				req, _ := http.NewRequest("GET", f.app.URL+"/api/v1/people", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err == nil {
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						err = &statusError{res.StatusCode}
					}
				}
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		// Every answer came after its row was committed: count them now.
		rows, _, err := f.app.Store.AuditLog(context.Background(), storeQuery("api.request"))
		if err != nil {
			t.Fatal(err)
		}
		mine := 0
		for _, r := range rows {
			if r.Target == "api_token:"+id(tt.ID) {
				mine++
			}
		}
		if mine != n {
			t.Fatalf("%d audit rows for %d requests", mine, n)
		}
	})
}

type statusError struct{ status int }

func (e *statusError) Error() string { return "status " + strconv.Itoa(e.status) }
