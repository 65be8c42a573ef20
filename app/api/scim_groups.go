package api

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

// scimMaxMembers bounds the members a Group lists; a larger team is better
// read through /api/v1.
const scimMaxMembers = 10_000

type scimGroupRes struct {
	Schemas     []string  `json:"schemas"`
	ID          string    `json:"id"`
	ExternalID  string    `json:"externalId,omitempty"`
	DisplayName string    `json:"displayName"`
	Members     []scimRef `json:"members,omitempty"`
	Meta        fiber.Map `json:"meta"`
}

func (a *API) scimGroupOf(c *fiber.Ctx, t *store.Team) (*scimGroupRes, string, error) {
	res := &scimGroupRes{Schemas: []string{scimGroup}, ID: strconv.FormatInt(t.ID, 10), ExternalID: t.ExternalID, DisplayName: t.Name}
	us, err := a.Store.TeamMembers(ctx(c), t.ID, scimMaxMembers)
	if err != nil {
		return nil, "", err
	}
	for _, u := range us {
		res.Members = append(res.Members, scimRef{Value: strconv.FormatInt(u.ID, 10), Display: u.Identifier(), Ref: a.location("Users", u.ID)})
	}
	etag := etagOf(res)
	if strings.Contains(c.Query("excludedAttributes"), "members") {
		res.Members = nil
	}
	res.Meta = metaOf("Group", a.location("Groups", t.ID), t.CreatedAt, t.CreatedAt)
	res.Meta["version"] = etag
	return res, etag, nil
}

func (a *API) scimGroups(c *fiber.Ctx) error {
	start, count := pageOf(c)
	var ts []store.Team
	var err error
	if f := c.Query("filter"); f != "" {
		attr, value, ferr := parseFilter(f)
		if ferr != nil {
			return ferr
		}
		switch attr {
		case "displayname":
			ts, err = a.Store.FindTeams(ctx(c), value, "")
		case "externalid":
			ts, err = a.Store.FindTeams(ctx(c), "", value)
		case "id":
			n, perr := strconv.ParseInt(value, 10, 64)
			if perr == nil {
				t, terr := a.Store.Team(ctx(c), n)
				if terr == nil {
					ts = []store.Team{*t}
				}
			}
		default:
			return badSCIM("invalidFilter", "Groups can be filtered by displayName, externalId or id.")
		}
	} else {
		ts, err = a.Store.Teams(ctx(c))
	}
	if err != nil {
		return err
	}
	total := len(ts)
	ts = ts[min(start-1, len(ts)):]
	ts = ts[:min(count, len(ts))]
	out := make([]any, 0, len(ts))
	for i := range ts {
		res, _, err := a.scimGroupOf(c, &ts[i])
		if err != nil {
			return err
		}
		out = append(out, res)
	}
	return listResponse(c, total, start, out)
}

func (a *API) currentGroup(c *fiber.Ctx) (*store.Team, error) {
	id, err := parseSCIMID(c)
	if err != nil {
		return nil, err
	}
	return a.Store.Team(ctx(c), id)
}

func (a *API) scimGroupGet(c *fiber.Ctx) error {
	t, err := a.currentGroup(c)
	if err != nil {
		return err
	}
	res, etag, err := a.scimGroupOf(c, t)
	if err != nil {
		return err
	}
	if m := c.Get(fiber.HeaderIfNoneMatch); m != "" && strings.TrimPrefix(m, "W/") == strings.TrimPrefix(etag, "W/") {
		c.Set(fiber.HeaderETag, etag)
		return c.SendStatus(fiber.StatusNotModified)
	}
	return scimJSON(c, fiber.StatusOK, res, etag)
}

type scimGroupIn struct {
	DisplayName string    `json:"displayName"`
	ExternalID  *string   `json:"externalId"`
	Members     []scimRef `json:"members"`
}

func (a *API) scimGroupCreate(c *fiber.Ctx) error {
	var in scimGroupIn
	if err := decodeSCIM(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.DisplayName) == "" {
		return badSCIM("invalidValue", "A group needs a displayName.")
	}
	ext := ""
	if in.ExternalID != nil {
		ext = *in.ExternalID
	}
	t, err := a.People.ProvisionTeam(ctx(c), actor(c), in.DisplayName, ext)
	if err != nil {
		return err
	}
	for _, m := range in.Members {
		if err := a.joinTeam(c, t.ID, m.Value); err != nil {
			return err
		}
	}
	res, etag, err := a.scimGroupOf(c, t)
	if err != nil {
		return err
	}
	c.Location(a.location("Groups", t.ID))
	return scimJSON(c, fiber.StatusCreated, res, etag)
}

// joinTeam puts the person a member reference names in team (0: none).
func (a *API) joinTeam(c *fiber.Ctx, team int64, member string) error {
	id, err := strconv.ParseInt(member, 10, 64)
	if err != nil {
		return badSCIM("invalidValue", "A member's value must be a User's id.")
	}
	_, err = a.People.Update(ctx(c), actor(c), id, people.Change{Team: &team})
	return err
}

// leaveTeam takes the person out of team if they are in it.
func (a *API) leaveTeam(c *fiber.Ctx, team int64, member string) error {
	id, err := strconv.ParseInt(member, 10, 64)
	if err != nil {
		return badSCIM("invalidValue", "A member's value must be a User's id.")
	}
	r, err := a.Store.UserRowByID(ctx(c), id)
	if err != nil || r.TeamID != team {
		return err // not found, or not in this team: nothing to do
	}
	none := int64(0)
	_, err = a.People.Update(ctx(c), actor(c), id, people.Change{Team: &none})
	return err
}

// setMembers makes the team's members exactly want.
func (a *API) setMembers(c *fiber.Ctx, t *store.Team, want []scimRef) error {
	cur, err := a.Store.TeamMembers(ctx(c), t.ID, scimMaxMembers)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, m := range want {
		keep[m.Value] = true
	}
	for _, u := range cur {
		id := strconv.FormatInt(u.ID, 10)
		if keep[id] {
			delete(keep, id)
			continue
		}
		if err := a.leaveTeam(c, t.ID, id); err != nil {
			return err
		}
	}
	for _, m := range want {
		if keep[m.Value] {
			if err := a.joinTeam(c, t.ID, m.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *API) rename(c *fiber.Ctx, t *store.Team, name string) error {
	if strings.TrimSpace(name) == "" {
		return badSCIM("invalidValue", "A group needs a displayName.")
	}
	if strings.TrimSpace(name) == t.Name {
		return nil
	}
	return a.People.RenameTeam(ctx(c), actor(c), t.ID, name)
}

func (a *API) setGroupExternalID(c *fiber.Ctx, t *store.Team, ext string) error {
	if ext == t.ExternalID {
		return nil
	}
	return a.People.SetTeamExternalID(ctx(c), actor(c), t.ID, ext)
}

func (a *API) scimGroupReplace(c *fiber.Ctx) error {
	t, err := a.currentGroup(c)
	if err != nil {
		return err
	}
	if _, etag, err := a.scimGroupOf(c, t); err != nil {
		return err
	} else if err := checkIfMatch(c, etag); err != nil {
		return err
	}
	var in scimGroupIn
	if err := decodeSCIM(c, &in); err != nil {
		return err
	}
	if err := a.rename(c, t, in.DisplayName); err != nil {
		return err
	}
	if in.ExternalID != nil {
		if err := a.setGroupExternalID(c, t, *in.ExternalID); err != nil {
			return err
		}
	}
	if err := a.setMembers(c, t, in.Members); err != nil {
		return err
	}
	return a.scimGroupAnswer(c, t.ID)
}

func (a *API) scimGroupAnswer(c *fiber.Ctx, id int64) error {
	t, err := a.Store.Team(ctx(c), id)
	if err != nil {
		return err
	}
	res, etag, err := a.scimGroupOf(c, t)
	if err != nil {
		return err
	}
	return scimJSON(c, fiber.StatusOK, res, etag)
}

var memberPathRE = regexp.MustCompile(`(?i)^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$`)

// scimGroupPatch applies PATCH operations as Entra ID and Okta send them:
// members added and removed by value lists, removed by a path filter
// (members[value eq "id"]), replaced wholesale, and displayName replaced
// by path or by a value object without one.
func (a *API) scimGroupPatch(c *fiber.Ctx) error {
	t, err := a.currentGroup(c)
	if err != nil {
		return err
	}
	if _, etag, err := a.scimGroupOf(c, t); err != nil {
		return err
	} else if err := checkIfMatch(c, etag); err != nil {
		return err
	}
	var req patchRequest
	if err := decodeSCIM(c, &req); err != nil {
		return err
	}
	for _, op := range req.Operations {
		var refs []scimRef
		var obj map[string]json.RawMessage
		var str string
		path := strings.ToLower(op.Path)
		switch {
		case path == "members" && len(op.Value) > 0:
			if err := json.Unmarshal(op.Value, &refs); err != nil {
				return badSCIM("invalidValue", "members takes a list of {\"value\": \"<user id>\"}.")
			}
		case path == "" && len(op.Value) > 0:
			if err := json.Unmarshal(op.Value, &obj); err != nil {
				return badSCIM("invalidValue", "An operation without a path needs an object value.")
			}
		case path == "displayname" || path == "externalid":
			if err := json.Unmarshal(op.Value, &str); err != nil {
				return badSCIM("invalidValue", op.Path+" takes a string.")
			}
		}
		switch o := strings.ToLower(op.Op); {
		case o == "add" && path == "members":
			for _, m := range refs {
				if err := a.joinTeam(c, t.ID, m.Value); err != nil {
					return err
				}
			}
		case o == "replace" && path == "members":
			if err := a.setMembers(c, t, refs); err != nil {
				return err
			}
		case o == "remove" && path == "members":
			if len(op.Value) == 0 {
				refs = nil
				if err := a.setMembers(c, t, nil); err != nil {
					return err
				}
			}
			for _, m := range refs {
				if err := a.leaveTeam(c, t.ID, m.Value); err != nil {
					return err
				}
			}
		case o == "remove" && memberPathRE.MatchString(op.Path):
			if err := a.leaveTeam(c, t.ID, memberPathRE.FindStringSubmatch(op.Path)[1]); err != nil {
				return err
			}
		case (o == "add" || o == "replace") && path == "displayname":
			if err := a.rename(c, t, str); err != nil {
				return err
			}
		case (o == "add" || o == "replace") && path == "externalid":
			if err := a.setGroupExternalID(c, t, str); err != nil {
				return err
			}
		case (o == "add" || o == "replace") && path == "":
			for k, raw := range obj {
				switch strings.ToLower(k) {
				case "displayname":
					if err := json.Unmarshal(raw, &str); err != nil {
						return badSCIM("invalidValue", "displayName takes a string.")
					}
					if err := a.rename(c, t, str); err != nil {
						return err
					}
				case "externalid":
					if err := json.Unmarshal(raw, &str); err != nil {
						return badSCIM("invalidValue", "externalId takes a string.")
					}
					if err := a.setGroupExternalID(c, t, str); err != nil {
						return err
					}
				case "members":
					if err := json.Unmarshal(raw, &refs); err != nil {
						return badSCIM("invalidValue", "members takes a list of {\"value\": \"<user id>\"}.")
					}
					if err := a.setMembers(c, t, refs); err != nil {
						return err
					}
				}
			}
		default:
			return badSCIM("invalidPath", "Unsupported operation "+op.Op+" on "+op.Path+".")
		}
		if t, err = a.Store.Team(ctx(c), t.ID); err != nil {
			return err
		}
	}
	return a.scimGroupAnswer(c, t.ID)
}

// scimGroupDelete empties the team and forgets its external ID: teams are
// never deleted (their history and assignments stay).
func (a *API) scimGroupDelete(c *fiber.Ctx) error {
	t, err := a.currentGroup(c)
	if err != nil {
		return err
	}
	if err := a.setMembers(c, t, nil); err != nil {
		return err
	}
	if err := a.setGroupExternalID(c, t, ""); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
