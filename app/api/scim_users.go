package api

import (
	"encoding/json"
	"errors"
	"net/mail"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

type scimEmail struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

type scimRef struct {
	Value   string `json:"value"`
	Display string `json:"display,omitempty"`
	Ref     string `json:"$ref,omitempty"`
}

type scimName struct {
	Formatted  string `json:"formatted,omitempty"`
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
}

type scimUserRes struct {
	Schemas     []string    `json:"schemas"`
	ID          string      `json:"id"`
	ExternalID  string      `json:"externalId,omitempty"`
	UserName    string      `json:"userName"`
	Name        scimName    `json:"name"`
	DisplayName string      `json:"displayName"`
	Emails      []scimEmail `json:"emails"`
	Active      bool        `json:"active"`
	Groups      []scimRef   `json:"groups,omitempty"`
	Meta        fiber.Map   `json:"meta"`
}

// scimUserOf is a person as SCIM shows them, with its ETag.
func (a *API) scimUserOf(c *fiber.Ctx, id int64) (*scimUserRes, string, error) {
	r, err := a.Store.UserRowByID(ctx(c), id)
	if err != nil {
		return nil, "", err
	}
	u := &r.User
	res := &scimUserRes{Schemas: []string{scimUser}, ID: strconv.FormatInt(u.ID, 10), ExternalID: u.ExternalID,
		UserName: u.Identifier(), Name: scimName{Formatted: u.Name}, DisplayName: u.Name, Active: u.Active}
	if u.HasEmail() {
		res.Emails = []scimEmail{{Value: u.Email, Type: "work", Primary: true}}
	}
	if r.TeamID != 0 {
		t, err := a.Store.Team(ctx(c), r.TeamID)
		if err != nil {
			return nil, "", err
		}
		res.Groups = []scimRef{{Value: strconv.FormatInt(t.ID, 10), Display: t.Name, Ref: a.location("Groups", t.ID)}}
	}
	etag := etagOf(res)
	res.Meta = metaOf("User", a.location("Users", u.ID), u.CreatedAt, u.CreatedAt)
	res.Meta["version"] = etag
	return res, etag, nil
}

func (a *API) scimUsers(c *fiber.Ctx) error {
	start, count := pageOf(c)
	q := store.UserQuery{Limit: max(count, 1), Offset: start - 1}
	if f := c.Query("filter"); f != "" {
		attr, value, err := parseFilter(f)
		if err != nil {
			return err
		}
		switch attr {
		case "username":
			// userName is the email, or the username of someone without
			// one (scimUserOf).
			if store.IsEmailIdentifier(value) {
				q.Email = value
			} else {
				q.Username = value
			}
		case "emails.value":
			q.Email = value
		case "externalid":
			q.ExternalID = value
		case "id":
			id, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return listResponse(c, 0, start, []any{})
			}
			res, _, err := a.scimUserOf(c, id)
			if errors.Is(err, store.ErrNotFound) {
				return listResponse(c, 0, start, []any{})
			} else if err != nil {
				return err
			}
			return listResponse(c, 1, start, []any{res})
		default:
			return badSCIM("invalidFilter", "Users can be filtered by userName, externalId, emails.value or id.")
		}
	}
	rows, more, err := a.Store.UserPage(ctx(c), q)
	if err != nil {
		return err
	}
	if count == 0 {
		rows = nil
	}
	out := make([]any, 0, len(rows))
	for _, r := range rows {
		res, _, err := a.scimUserOf(c, r.ID)
		if err != nil {
			return err
		}
		out = append(out, res)
	}
	total := start - 1 + len(out)
	if more || count == 0 {
		n, err := a.Store.CountUsers(ctx(c))
		if err != nil {
			return err
		}
		if q.Email == "" && q.Username == "" && q.ExternalID == "" {
			total = n
		}
	}
	return listResponse(c, total, start, out)
}

func (a *API) scimUserGet(c *fiber.Ctx) error {
	id, err := parseSCIMID(c)
	if err != nil {
		return err
	}
	res, etag, err := a.scimUserOf(c, id)
	if err != nil {
		return err
	}
	if m := c.Get(fiber.HeaderIfNoneMatch); m != "" && strings.TrimPrefix(m, "W/") == strings.TrimPrefix(etag, "W/") {
		c.Set(fiber.HeaderETag, etag)
		return c.SendStatus(fiber.StatusNotModified)
	}
	return scimJSON(c, fiber.StatusOK, res, etag)
}

// scimUserIn is a User as a provider sends it.
type scimUserIn struct {
	UserName    string      `json:"userName"`
	ExternalID  *string     `json:"externalId"`
	Name        *scimName   `json:"name"`
	DisplayName string      `json:"displayName"`
	Emails      []scimEmail `json:"emails"`
	Active      *bool       `json:"active"`
}

// usernameOf is the person's username: userName when it holds no '@'
// (staff without email, provisioned by an employee number or login).
func (in *scimUserIn) usernameOf() string {
	if u := strings.TrimSpace(in.UserName); u != "" && !store.IsEmailIdentifier(u) {
		return u
	}
	return ""
}

// emailOf is the person's address: userName when it is one (the mapping
// both providers suggest), else the primary or work email; "" for a
// username account sent without emails.
func (in *scimUserIn) emailOf() string {
	if a, err := mail.ParseAddress(in.UserName); err == nil && a.Address == strings.TrimSpace(in.UserName) {
		return in.UserName
	}
	for _, e := range in.Emails {
		if e.Primary || strings.EqualFold(e.Type, "work") {
			return e.Value
		}
	}
	if len(in.Emails) > 0 {
		return in.Emails[0].Value
	}
	if in.usernameOf() != "" {
		return ""
	}
	return in.UserName
}

func (in *scimUserIn) nameOf() string {
	switch {
	case strings.TrimSpace(in.DisplayName) != "":
		return in.DisplayName
	case in.Name != nil && in.Name.Formatted != "":
		return in.Name.Formatted
	case in.Name != nil && (in.Name.GivenName != "" || in.Name.FamilyName != ""):
		return strings.TrimSpace(in.Name.GivenName + " " + in.Name.FamilyName)
	}
	return in.UserName
}

func (a *API) scimUserCreate(c *fiber.Ctx) error {
	var in scimUserIn
	if err := decodeSCIM(c, &in); err != nil {
		return err
	}
	p := people.Person{Name: in.nameOf(), Email: strings.TrimSpace(in.emailOf()), Username: in.usernameOf(), Role: auth.Learner}
	if in.ExternalID != nil {
		p.ExternalID = *in.ExternalID
	}
	u, _, err := a.People.Create(ctx(c), actor(c), p, 0)
	if err != nil {
		return err
	}
	if in.Active != nil && !*in.Active {
		off := false
		if _, err := a.People.Update(ctx(c), actor(c), u.ID, people.Change{Active: &off}); err != nil {
			return err
		}
	}
	res, etag, err := a.scimUserOf(c, u.ID)
	if err != nil {
		return err
	}
	c.Location(a.location("Users", u.ID))
	return scimJSON(c, fiber.StatusCreated, res, etag)
}

// currentUser reads a user for a write and checks If-Match.
func (a *API) currentUser(c *fiber.Ctx) (int64, *scimUserRes, error) {
	id, err := parseSCIMID(c)
	if err != nil {
		return 0, nil, err
	}
	res, etag, err := a.scimUserOf(c, id)
	if err != nil {
		return 0, nil, err
	}
	return id, res, checkIfMatch(c, etag)
}

func (a *API) scimUserReplace(c *fiber.Ctx) error {
	id, _, err := a.currentUser(c)
	if err != nil {
		return err
	}
	var in scimUserIn
	if err := decodeSCIM(c, &in); err != nil {
		return err
	}
	name, email := in.nameOf(), strings.TrimSpace(in.emailOf())
	ch := people.Change{Name: &name, Email: &email, Active: in.Active}
	if username := in.usernameOf(); username != "" {
		ch.Username = &username
	}
	ext := ""
	if in.ExternalID != nil {
		ext = *in.ExternalID
	}
	ch.ExternalID = &ext
	return a.scimUserApply(c, id, ch, fiber.StatusOK)
}

func (a *API) scimUserApply(c *fiber.Ctx, id int64, ch people.Change, status int) error {
	if _, err := a.People.Update(ctx(c), actor(c), id, ch); err != nil {
		return err
	}
	res, etag, err := a.scimUserOf(c, id)
	if err != nil {
		return err
	}
	return scimJSON(c, status, res, etag)
}

// scimUserPatch applies PATCH operations as Entra ID and Okta send them:
// op names in any case ("Replace"), a path or a value object without one,
// booleans as strings ("False"), emails[type eq "work"].value. Attributes
// Frontline does not keep (title, phone numbers, extensions) are ignored.
func (a *API) scimUserPatch(c *fiber.Ctx) error {
	id, cur, err := a.currentUser(c)
	if err != nil {
		return err
	}
	var req patchRequest
	if err := decodeSCIM(c, &req); err != nil {
		return err
	}
	var ch people.Change
	given, family := "", ""
	set := func(path string, v any) error {
		switch strings.ToLower(path) {
		case "active":
			b, err := scimBool(v)
			ch.Active = &b
			return err
		case "username":
			s, err := scimString(v)
			if store.IsEmailIdentifier(s) {
				ch.Email = &s
			} else {
				ch.Username = &s
			}
			return err
		case `emails[type eq "work"].value`, "emails.value":
			s, err := scimString(v)
			ch.Email = &s
			return err
		case "displayname", "name.formatted":
			s, err := scimString(v)
			ch.Name = &s
			return err
		case "name.givenname":
			s, err := scimString(v)
			given = s
			return err
		case "name.familyname":
			s, err := scimString(v)
			family = s
			return err
		case "externalid":
			s, err := scimString(v)
			ch.ExternalID = &s
			return err
		case "name":
			m, _ := v.(map[string]any)
			for k, sub := range m {
				if err := setSub("name."+k, sub, &given, &family, &ch); err != nil {
					return err
				}
			}
		case "emails":
			list, _ := v.([]any)
			for _, e := range list {
				m, _ := e.(map[string]any)
				if s, ok := m["value"].(string); ok && (m["primary"] == true || strings.EqualFold(toString(m["type"]), "work") || len(list) == 1) {
					ch.Email = &s
				}
			}
		}
		return nil
	}
	for _, op := range req.Operations {
		var v any
		if len(op.Value) > 0 {
			if err := json.Unmarshal(op.Value, &v); err != nil {
				return badSCIM("invalidSyntax", "An operation's value is not valid JSON.")
			}
		}
		switch strings.ToLower(op.Op) {
		case "add", "replace":
			if op.Path == "" {
				m, ok := v.(map[string]any)
				if !ok {
					return badSCIM("invalidValue", "An operation without a path needs an object value.")
				}
				for k, sub := range m {
					if err := set(k, sub); err != nil {
						return err
					}
				}
				continue
			}
			if err := set(op.Path, v); err != nil {
				return err
			}
		case "remove":
			if strings.EqualFold(op.Path, "externalId") {
				empty := ""
				ch.ExternalID = &empty
			}
		default:
			return badSCIM("invalidSyntax", "op must be add, replace or remove.")
		}
	}
	if (given != "" || family != "") && ch.Name == nil {
		curGiven, curFamily, _ := strings.Cut(cur.DisplayName, " ")
		if given == "" {
			given = curGiven
		}
		if family == "" {
			family = curFamily
		}
		n := strings.TrimSpace(given + " " + family)
		ch.Name = &n
	}
	return a.scimUserApply(c, id, ch, fiber.StatusOK)
}

func setSub(path string, v any, given, family *string, ch *people.Change) error {
	s, err := scimString(v)
	if err != nil {
		return err
	}
	switch strings.ToLower(path) {
	case "name.givenname":
		*given = s
	case "name.familyname":
		*family = s
	case "name.formatted":
		ch.Name = &s
	}
	return nil
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// scimUserDelete deactivates: people are never deleted, their history
// stays, and a provider that deletes can provision them back.
func (a *API) scimUserDelete(c *fiber.Ctx) error {
	id, _, err := a.currentUser(c)
	if err != nil {
		return err
	}
	off := false
	if _, err := a.People.Update(ctx(c), actor(c), id, people.Change{Active: &off}); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
