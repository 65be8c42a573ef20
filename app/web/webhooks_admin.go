package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
)

type webhooksPage struct {
	Endpoints []store.WebhookEndpoint
	Events    []string
	Form      webhooks.Endpoint
	Errors    webhooks.FormError
}

// Wants reports whether the form ticks event.
func (p webhooksPage) Wants(event string) bool {
	for _, e := range p.Form.Events {
		if e == event {
			return true
		}
	}
	return false
}

type webhookPage struct {
	Endpoint   *store.WebhookEndpoint
	Deliveries []store.Delivery
	Notice     string
}

// webhooksList shows the registered endpoints and the form to add one.
func (s *Server) webhooksList(c *fiber.Ctx) error {
	return s.renderWebhooks(c, webhooksPage{Form: webhooks.Endpoint{Events: webhooks.Events}})
}

func (s *Server) renderWebhooks(c *fiber.Ctx, p webhooksPage) error {
	var err error
	if p.Endpoints, err = s.Store.WebhookEndpoints(ctx(c)); err != nil {
		return err
	}
	p.Events = webhooks.Events
	return s.render(c, "webhooks", "Webhooks", p)
}

// webhookCreate registers an endpoint; a form with a mistake comes back
// with what was typed.
func (s *Server) webhookCreate(c *fiber.Ctx) error {
	f := webhooks.Endpoint{URL: clone(c.FormValue("url")), Secret: clone(c.FormValue("secret")),
		AllowPrivate: c.FormValue("allow_private") == "1"}
	for _, v := range c.Request().PostArgs().PeekMulti("events") {
		f.Events = append(f.Events, string(v)) // string() copies
	}
	ep, err := s.Webhooks.Register(ctx(c), actor(c), f)
	var fe webhooks.FormError
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderWebhooks(c, webhooksPage{Form: f, Errors: fe})
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks/"+strconv.FormatInt(ep.ID, 10), fiber.StatusSeeOther)
}

// webhookShow shows an endpoint, its secret and its delivery log.
func (s *Server) webhookShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	p := webhookPage{}
	if p.Endpoint, err = s.Store.WebhookEndpoint(ctx(c), int64(id)); err != nil {
		return err
	}
	if p.Deliveries, err = s.Store.DeliveriesOf(ctx(c), p.Endpoint.ID, 100); err != nil {
		return err
	}
	if c.Query("test") == "queued" {
		p.Notice = "A test event is queued: it goes out within a minute and shows below."
	}
	return s.render(c, "webhook", "Webhook", p)
}

// webhookTest queues a webhook.test event for the endpoint.
func (s *Server) webhookTest(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.Webhooks.SendTest(ctx(c), actor(c), int64(id)); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks/"+strconv.Itoa(id)+"?test=queued", fiber.StatusSeeOther)
}

// webhookDelete removes the endpoint and its log.
func (s *Server) webhookDelete(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.Webhooks.Remove(ctx(c), actor(c), int64(id)); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks", fiber.StatusSeeOther)
}
