package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

var secretRE = regexp.MustCompile(`id="secret" class="copy" readonly value="(whsec_[^"]+)"`)

func TestAdminRegistersAWebhookAndSendsATestEvent(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		app.AddUser(t, "Linus Park", "linus@example.com", auth.Manager, password)
		var mu sync.Mutex
		var got []*http.Request
		var bodies []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got, bodies = append(got, r), append(bodies, string(b))
			mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
		}))
		defer rcv.Close()

		manager := app.Client(t)
		manager.SignIn("linus@example.com", password)
		mustStatus(t, "a manager", manager.Get("/admin/webhooks"), http.StatusForbidden)

		c := app.Client(t)
		c.SignIn("grace@example.com", password)
		mustStatus(t, "the list", c.Get("/admin/webhooks"), http.StatusOK)
		// A receiver on loopback is refused unless private targets are
		// allowed; the form keeps what was typed.
		form := url.Values{"url": {rcv.URL + "/in"}, "events": {"course.completed", "quiz.failed"}}
		res := c.Post("/admin/webhooks", form)
		mustStatus(t, "a loopback URL", res, http.StatusUnprocessableEntity)
		mustContain(t, "a loopback URL", html.UnescapeString(res.Body), "is not a public one", `value="`+rcv.URL+`/in"`,
			`value="quiz.failed" checked`)
		if strings.Contains(res.Body, `value="person.created" checked`) {
			t.Error("the form ticked an event the admin had not")
		}
		form.Set("allow_private", "1")
		res = c.Post("/admin/webhooks", form)
		mustStatus(t, "registered", res, http.StatusSeeOther)
		page := c.Get(res.Location)
		mustContain(t, "the endpoint", page.Body, "course.completed", "quiz.failed", "Private targets allowed", "Nothing sent yet")
		m := secretRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no secret shown:\n%s", page.Body)
		}
		secret := html.UnescapeString(m[1])

		res = c.Post(res.Location+"/test", url.Values{})
		mustStatus(t, "send test event", res, http.StatusSeeOther)
		mustContain(t, "queued", c.Get(res.Location).Body, "A test event is queued", "webhook.test", "Waiting")
		if err := app.Jobs.Tick(context.Background(), app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if len(got) != 1 {
			mu.Unlock()
			t.Fatalf("the receiver got %d requests", len(got))
		}
		r, body := got[0], bodies[0]
		mu.Unlock()
		key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(r.Header.Get("webhook-id") + "." + r.Header.Get("webhook-timestamp") + "." + body))
		if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); r.Header.Get("webhook-signature") != want {
			t.Errorf("signature %q, want %q", r.Header.Get("webhook-signature"), want)
		}
		if !strings.Contains(body, `"type":"webhook.test"`) {
			t.Errorf("body %s", body)
		}
		detail := strings.TrimSuffix(res.Location, "?test=queued")
		mustContain(t, "the log", c.Get(detail).Body, "Delivered", "<td>202</td>", r.Header.Get("webhook-id"))
		mustContain(t, "audit", c.Get("/admin/audit?action=webhook.").Body, "webhook.add", "webhook.test")

		mustStatus(t, "remove", c.Post(detail+"/delete", url.Values{}), http.StatusSeeOther)
		mustStatus(t, "removed", c.Get(detail), http.StatusNotFound)
		mustContain(t, "audit", c.Get("/admin/audit?action=webhook.").Body, "webhook.remove")
	})
}
