package webhooks

import (
	"context"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
)

// FormError lists what is wrong with an endpoint form, field by field, so
// the form comes back with what was typed and a reason beside each field.
type FormError map[string]string

func (e FormError) Error() string {
	parts := make([]string, 0, len(e))
	for k, v := range e {
		parts = append(parts, k+": "+v)
	}
	slices.Sort(parts)
	return "webhooks: " + strings.Join(parts, "; ")
}

// Endpoint is what an admin types to register an endpoint. An empty
// Secret has one made.
type Endpoint struct {
	URL          string
	Events       []string
	Secret       string
	AllowPrivate bool
}

// Validate checks the form. An address written as a literal IP is checked
// here for a clear message; names are checked when dialled, every time.
func (e Endpoint) Validate() FormError {
	fe := FormError{}
	u, err := url.Parse(e.URL)
	switch {
	case strings.TrimSpace(e.URL) == "":
		fe["url"] = "Enter the URL to send events to."
	case len(e.URL) > 2000:
		fe["url"] = "A URL can be at most 2,000 characters."
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Hostname() == "":
		fe["url"] = "Enter a full http:// or https:// URL, such as https://hooks.example.com/frontline."
	case u.User != nil:
		fe["url"] = "Leave the user name and password out of the URL: the signature authenticates each delivery."
	default:
		if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
			if err := checkAddress(ip, e.AllowPrivate); err != nil {
				fe["url"] = "This address is not a public one. Tick “allow private targets” to send to a server on your own network (link-local addresses are never allowed)."
			}
		} else if !e.AllowPrivate && strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), "localhost") {
			fe["url"] = "localhost is this server. Tick “allow private targets” to send to it."
		}
	}
	if len(e.Events) == 0 {
		fe["events"] = "Choose at least one event."
	}
	for _, ev := range e.Events {
		if !Known(ev) {
			fe["events"] = "Choose events from the list."
		}
	}
	if e.Secret != "" {
		if _, err := secretKey(e.Secret); err != nil {
			fe["secret"] = "A secret is whsec_ followed by 24 to 64 bytes in base64; leave it empty to have one made."
		}
	}
	return fe
}

// Service registers and removes endpoints and queues test events, each
// with its audit row in the same transaction.
type Service struct {
	Store *store.Store
	Now   func() time.Time
}

// Register adds an endpoint.
func (s *Service) Register(ctx context.Context, by store.Actor, e Endpoint) (*store.WebhookEndpoint, error) {
	e.URL = strings.TrimSpace(e.URL)
	e.Secret = strings.TrimSpace(e.Secret)
	if fe := e.Validate(); len(fe) > 0 {
		return nil, fe
	}
	if e.Secret == "" {
		e.Secret = NewSecret()
	}
	var events []string
	for _, ev := range Events { // in the list's order, once each
		if slices.Contains(e.Events, ev) {
			events = append(events, ev)
		}
	}
	ep := &store.WebhookEndpoint{URL: e.URL, Events: strings.Join(events, ","), Secret: e.Secret,
		AllowPrivate: e.AllowPrivate, CreatedAt: s.Now()}
	if by.ID != 0 {
		id := by.ID
		ep.CreatedBy = &id
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateWebhookEndpoint(ctx, ep); err != nil {
			return err
		}
		detail := ep.URL + " for " + ep.Events
		if ep.AllowPrivate {
			detail += ", private targets allowed"
		}
		return tx.Audit(ctx, by.Entry("webhook.add", ep.Target(), detail, s.Now()))
	})
	if err != nil {
		return nil, err
	}
	return ep, nil
}

// Remove deletes an endpoint with its delivery log.
func (s *Service) Remove(ctx context.Context, by store.Actor, id int64) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		ep, err := tx.WebhookEndpoint(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhookEndpoint(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("webhook.remove", ep.Target(), ep.URL, s.Now()))
	})
}

// SendTest queues a webhook.test event for one endpoint, whatever it
// subscribed to; it goes out with the next drain of the queue.
func (s *Service) SendTest(ctx context.Context, by store.Actor, id int64) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		ep, err := tx.WebhookEndpoint(ctx, id)
		if err != nil {
			return err
		}
		data := map[string]any{"message": "A test event from Frontline, sent from the admin page."}
		body, err := jsonPayload(Test, data, s.Now())
		if err != nil {
			return err
		}
		if err := queue(ctx, tx, ep, Test, body, "", s.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("webhook.test", ep.Target(), ep.URL, s.Now()))
	})
}
