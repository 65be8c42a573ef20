// Package webhooks tells other systems what happens in Frontline: admins
// register endpoints (URL, events, secret), events are queued as deliveries
// in the transaction of the change they report (Emit), and jobs sends them
// signed the Standard Webhooks way (Sender), at least once, with retries.
// It never sends from a request: a slow or dead receiver delays nobody.
package webhooks

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/frontline-lms/frontline/app/store"
)

// Event types, as receivers see them in the payload's "type".
const (
	CourseCompleted   = "course.completed"
	QuizFailed        = "quiz.failed"
	BecameOverdue     = "enrolment.overdue"
	PersonCreated     = "person.created"
	PersonDeactivated = "person.deactivated"
	Test              = "webhook.test" // only from the "send test event" button
)

// Events are the types an endpoint can subscribe to, in the order the
// admin page lists them.
var Events = []string{CourseCompleted, QuizFailed, BecameOverdue, PersonCreated, PersonDeactivated}

// Known reports whether event is one an endpoint can subscribe to.
func Known(event string) bool {
	for _, e := range Events {
		if e == event {
			return true
		}
	}
	return false
}

// Payload is the JSON body of every delivery: the Standard Webhooks shape
// of a type, a timestamp and the event's data.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Person is how events name someone.
type Person struct {
	ID       int64  `json:"id"`
	Email    string `json:"email,omitempty"`    // "" (left out) for someone without email
	Username string `json:"username,omitempty"` // "" (left out) when they have none
	Name     string `json:"name"`
	Role     string `json:"role,omitempty"`
	Active   bool   `json:"active"`
}

// PersonOf is the event form of a user.
func PersonOf(u *store.User) Person {
	return Person{ID: u.ID, Email: u.Email, Username: u.Username, Name: u.Name, Role: u.Role, Active: u.Active}
}

// Course is how events name a course.
type Course struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

// CourseOf is the event form of a course row.
func CourseOf(c *store.Course) Course { return Course{ID: c.ID, Slug: c.Slug, Title: c.Title} }

// Emit queues event for every endpoint that subscribed to it, inside tx,
// so the delivery commits or rolls back with the change it reports. key,
// when not empty, makes the event once-only: the same key queues nothing
// the second time (a sweep noticing the same overdue course again).
func Emit(ctx context.Context, tx *store.Store, event string, data any, key string, now time.Time) error {
	eps, err := tx.WebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	return EmitTo(ctx, tx, eps, event, data, key, now)
}

// EmitTo is Emit over endpoints already read in tx: a batch that emits many
// events (a staff import) reads them once.
func EmitTo(ctx context.Context, tx *store.Store, eps []store.WebhookEndpoint, event string, data any, key string, now time.Time) error {
	var body []byte
	var err error
	for i := range eps {
		if !eps[i].Wants(event) {
			continue
		}
		if body == nil {
			if body, err = jsonPayload(event, data, now); err != nil {
				return err
			}
		}
		if err := queue(ctx, tx, &eps[i], event, body, key, now); err != nil {
			return err
		}
	}
	return nil
}

func jsonPayload(event string, data any, now time.Time) ([]byte, error) {
	body, err := json.Marshal(Payload{Type: event, Timestamp: store.Now(now), Data: data})
	if err != nil {
		return nil, fmt.Errorf("webhooks: unable to encode %s: %w", event, err)
	}
	return body, nil
}

func queue(ctx context.Context, tx *store.Store, ep *store.WebhookEndpoint, event string, body []byte, key string, now time.Time) error {
	id := "msg_" + randomID()
	if key != "" {
		id = "msg_" + key + "_" + strconv.FormatInt(ep.ID, 10)
	}
	epID := ep.ID
	_, err := tx.EnqueueDelivery(ctx, &store.Delivery{MsgID: id, Kind: store.DeliveryWebhook, EndpointID: &epID,
		Event: event, Body: string(body), CreatedAt: now})
	return err
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// NewSecret makes a signing secret in the Standard Webhooks form: "whsec_"
// and 32 random bytes in base64.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}
