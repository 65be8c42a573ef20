package web

import (
	"errors"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

type scopeBox struct {
	Value   auth.Scope
	Help    string
	Checked bool
}

var scopeHelp = map[auth.Scope]string{
	auth.PeopleRead:  "read people, teams and assignments",
	auth.PeopleWrite: "create and change people, teams and assignments",
	auth.ReportsRead: "read completion states and completions",
	auth.CoursesRead: "read courses, their source, and verify certificates",
	auth.SCIM:        "provision people and teams by SCIM (Entra ID, Okta)",
}

type tokensPage struct {
	Tokens []store.APIToken
	Form   people.NewAPIToken
	Scopes []scopeBox
	Errors people.FormError
	Made   *store.APIToken // the token just made
	Secret string          // its secret, shown once
	Now    time.Time
}

func (s *Server) tokensShow(c *fiber.Ctx) error {
	return s.renderTokens(c, tokensPage{})
}

func (s *Server) renderTokens(c *fiber.Ctx, p tokensPage) error {
	var err error
	if p.Tokens, err = s.People.APITokens(ctx(c)); err != nil {
		return err
	}
	for _, sc := range auth.Scopes {
		p.Scopes = append(p.Scopes, scopeBox{Value: sc, Help: scopeHelp[sc], Checked: slices.Contains(p.Form.Scopes, string(sc))})
	}
	p.Now = s.Now()
	c.Set(fiber.HeaderCacheControl, "no-store") // the page may carry a secret
	return s.render(c, "api_tokens", "API tokens", p)
}

func (s *Server) tokenCreate(c *fiber.Ctx) error {
	form := people.NewAPIToken{Name: clone(c.FormValue("name")), Expires: clone(c.FormValue("expires"))}
	for _, v := range c.Request().PostArgs().PeekMulti("scopes") {
		form.Scopes = append(form.Scopes, string(v))
	}
	t, secret, err := s.People.CreateAPIToken(ctx(c), store.Actor{ID: userOf(c).ID, IP: clientIP(c)}, form)
	var fe people.FormError
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderTokens(c, tokensPage{Form: form, Errors: fe})
	} else if err != nil {
		return err
	}
	return s.renderTokens(c, tokensPage{Made: t, Secret: secret})
}

func (s *Server) tokenRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.People.RevokeAPIToken(ctx(c), store.Actor{ID: userOf(c).ID, IP: clientIP(c)}, int64(id)); err != nil {
		return err
	}
	return c.Redirect("/admin/tokens", fiber.StatusSeeOther)
}
