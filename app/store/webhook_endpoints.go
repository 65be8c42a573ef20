package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// WebhookEndpoint is a URL an admin registered to receive events. Events is
// the comma-separated list of event types it wants; Secret is the Standard
// Webhooks signing key ("whsec_" and base64), kept readable because every
// delivery is signed with it.
type WebhookEndpoint struct {
	bun.BaseModel `bun:"table:webhook_endpoints,alias:we"`

	ID           int64     `bun:"id,pk,autoincrement"`
	URL          string    `bun:"url,notnull"`
	Events       string    `bun:"events,notnull"`
	Secret       string    `bun:"secret,notnull"`
	AllowPrivate bool      `bun:"allow_private,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	CreatedBy    *int64    `bun:"created_by"`
}

// EventList is the endpoint's events as a list.
func (e *WebhookEndpoint) EventList() []string {
	if e.Events == "" {
		return nil
	}
	return strings.Split(e.Events, ",")
}

// Wants reports whether the endpoint subscribed to event.
func (e *WebhookEndpoint) Wants(event string) bool {
	for _, ev := range e.EventList() {
		if ev == event {
			return true
		}
	}
	return false
}

// Target is the endpoint's name in the audit log.
func (e *WebhookEndpoint) Target() string { return "webhook:" + strconv.FormatInt(e.ID, 10) }

// CreateWebhookEndpoint inserts e.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error {
	e.CreatedAt = Now(e.CreatedAt)
	_, err := s.w.NewInsert().Model(e).Exec(ctx)
	return wrap(err, "register webhook endpoint %s", e.URL)
}

// WebhookEndpoints lists every endpoint, oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error) {
	var out []WebhookEndpoint
	return out, wrap(s.r.NewSelect().Model(&out).Order("id").Scan(ctx), "list webhook endpoints")
}

// WebhookEndpoint reads one endpoint.
func (s *Store) WebhookEndpoint(ctx context.Context, id int64) (*WebhookEndpoint, error) {
	e := new(WebhookEndpoint)
	return e, wrap(s.r.NewSelect().Model(e).Where("id = ?", id).Scan(ctx), "read webhook endpoint %d", id)
}

// DeleteWebhookEndpoint removes an endpoint and, by cascade, its deliveries.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	res, err := s.w.NewDelete().Model((*WebhookEndpoint)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrap(err, "delete webhook endpoint %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrNotFound, "delete webhook endpoint %d", id)
	}
	return nil
}
