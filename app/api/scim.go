package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// SCIM 2.0 (RFC 7643, RFC 7644) for Entra ID and Okta: Users are people
// (userName is their email), Groups are teams. A person belongs to one
// team, so adding them to a group moves them out of the team they were in;
// removing them from a group leaves them in no team. Nobody is deleted:
// DELETE /Users deactivates (history stays), DELETE /Groups empties the
// team and forgets its external ID (teams are never deleted either).

const (
	scimUser      = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimGroup     = "urn:ietf:params:scim:schemas:core:2.0:Group"
	scimList      = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimPatch     = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	scimError     = "urn:ietf:params:scim:api:messages:2.0:Error"
	scimMediaType = "application/scim+json"
	// scimMaxResults bounds a page of a list (ServiceProviderConfig says so).
	scimMaxResults = 200
)

func (a *API) mountSCIM(r fiber.Router) {
	scim := a.need(auth.SCIM, a.scimRespond)
	g := r.Group("/scim/v2")
	g.Get("/ServiceProviderConfig", scim, a.scimConfig)
	g.Get("/ResourceTypes", scim, a.scimResourceTypes)
	g.Get("/Schemas", scim, a.scimSchemas)
	g.Get("/Users", scim, a.scimUsers)
	g.Post("/Users", scim, a.scimUserCreate)
	g.Get("/Users/:id", scim, a.scimUserGet)
	g.Put("/Users/:id", scim, a.scimUserReplace)
	g.Patch("/Users/:id", scim, a.scimUserPatch)
	g.Delete("/Users/:id", scim, a.scimUserDelete)
	g.Get("/Groups", scim, a.scimGroups)
	g.Post("/Groups", scim, a.scimGroupCreate)
	g.Get("/Groups/:id", scim, a.scimGroupGet)
	g.Put("/Groups/:id", scim, a.scimGroupReplace)
	g.Patch("/Groups/:id", scim, a.scimGroupPatch)
	g.Delete("/Groups/:id", scim, a.scimGroupDelete)
	r.Use("/scim", func(c *fiber.Ctx) error { return a.scimRespond(c, fiber.ErrNotFound) })
}

// scimErr is a SCIM error with its scimType (RFC 7644 §3.12).
type scimErr struct {
	status   int
	scimType string
	detail   string
}

func (e *scimErr) Error() string { return "scim: " + e.detail }

func badSCIM(scimType, detail string) *scimErr {
	return &scimErr{status: fiber.StatusBadRequest, scimType: scimType, detail: detail}
}

// scimRespond writes err in SCIM's error form: the same classification as
// the rest of the API, so the status codes agree.
func (a *API) scimRespond(c *fiber.Ctx, err error) error {
	body := fiber.Map{"schemas": []string{scimError}}
	var se *scimErr
	if errors.As(err, &se) {
		body["status"], body["detail"] = strconv.Itoa(se.status), se.detail
		if se.scimType != "" {
			body["scimType"] = se.scimType
		}
		c.Status(se.status)
	} else {
		p := a.classify(c, err)
		for k, v := range p.Header {
			c.Set(k, v)
		}
		detail := p.Detail
		for _, f := range []string{"email", "username", "name", "role"} {
			if msg, ok := p.Errors[f]; ok {
				detail += " " + f + ": " + msg
			}
		}
		body["status"], body["detail"] = strconv.Itoa(p.Status), detail
		switch {
		case p.Status == fiber.StatusConflict, p.Status == fiber.StatusUnprocessableEntity && strings.Contains(detail, "already has"):
			body["scimType"] = "uniqueness"
			body["status"] = "409"
			p.Status = fiber.StatusConflict
		case p.Status == fiber.StatusUnprocessableEntity:
			body["scimType"] = "invalidValue"
			body["status"] = "400"
			p.Status = fiber.StatusBadRequest
		}
		c.Status(p.Status)
	}
	return c.JSON(body, scimMediaType)
}

// scimJSON answers v as application/scim+json with its version as ETag.
func scimJSON(c *fiber.Ctx, status int, v any, etag string) error {
	if etag != "" {
		c.Set(fiber.HeaderETag, etag)
	}
	return c.Status(status).JSON(v, scimMediaType)
}

// etagOf is a weak ETag over a resource's representation: it changes
// whenever anything SCIM shows of it changes, with no version column.
func etagOf(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return `W/"` + hex.EncodeToString(sum[:8]) + `"`
}

// checkIfMatch refuses a write whose If-Match names another version
// (RFC 7644 §3.14: 412 Precondition Failed).
func checkIfMatch(c *fiber.Ctx, etag string) error {
	if m := c.Get(fiber.HeaderIfMatch); m != "" && m != "*" && m != etag && strings.TrimPrefix(m, "W/") != strings.TrimPrefix(etag, "W/") {
		return &scimErr{status: fiber.StatusPreconditionFailed, detail: "The resource changed since you read it (If-Match)."}
	}
	return nil
}

func (a *API) location(kind string, id int64) string {
	return a.Config.BaseURL + "/scim/v2/" + kind + "/" + strconv.FormatInt(id, 10)
}

// --- discovery (RFC 7644 §4) ---

func (a *API) scimConfig(c *fiber.Ctx) error {
	return scimJSON(c, fiber.StatusOK, fiber.Map{
		"schemas":          []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"documentationUri": a.Config.BaseURL + "/api/v1/reference",
		"patch":            fiber.Map{"supported": true},
		"bulk":             fiber.Map{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           fiber.Map{"supported": true, "maxResults": scimMaxResults},
		"changePassword":   fiber.Map{"supported": false},
		"sort":             fiber.Map{"supported": false},
		"etag":             fiber.Map{"supported": true},
		"authenticationSchemes": []fiber.Map{{"type": "oauthbearertoken", "name": "API token",
			"description": "An API token with the scim scope, sent as Authorization: Bearer <token>.", "primary": true}},
		"meta": fiber.Map{"resourceType": "ServiceProviderConfig", "location": a.Config.BaseURL + "/scim/v2/ServiceProviderConfig"},
	}, "")
}

func (a *API) resourceTypes() []fiber.Map {
	return []fiber.Map{
		{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}, "id": "User", "name": "User",
			"endpoint": "/Users", "schema": scimUser, "meta": fiber.Map{"resourceType": "ResourceType", "location": a.Config.BaseURL + "/scim/v2/ResourceTypes/User"}},
		{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}, "id": "Group", "name": "Group",
			"endpoint": "/Groups", "schema": scimGroup, "meta": fiber.Map{"resourceType": "ResourceType", "location": a.Config.BaseURL + "/scim/v2/ResourceTypes/Group"}},
	}
}

func (a *API) scimResourceTypes(c *fiber.Ctx) error {
	rts := a.resourceTypes()
	return scimJSON(c, fiber.StatusOK, fiber.Map{"schemas": []string{scimList}, "totalResults": len(rts), "startIndex": 1,
		"itemsPerPage": len(rts), "Resources": rts}, "")
}

func attr(name, typ string, required bool, extra ...any) fiber.Map {
	m := fiber.Map{"name": name, "type": typ, "multiValued": false, "required": required, "caseExact": false,
		"mutability": "readWrite", "returned": "default", "uniqueness": "none"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	return m
}

func (a *API) scimSchemas(c *fiber.Ctx) error {
	schemas := []fiber.Map{
		{"id": scimUser, "name": "User", "description": "A person: userName is their email address, or their username (no @) when they have no email.", "attributes": []any{
			attr("userName", "string", true, "uniqueness", "server"),
			attr("name", "complex", false, "subAttributes", []any{attr("formatted", "string", false), attr("givenName", "string", false), attr("familyName", "string", false)}),
			attr("displayName", "string", false),
			attr("emails", "complex", false, "multiValued", true, "subAttributes", []any{attr("value", "string", false), attr("type", "string", false), attr("primary", "boolean", false)}),
			attr("active", "boolean", false),
			attr("externalId", "string", false, "caseExact", true),
			attr("groups", "complex", false, "multiValued", true, "mutability", "readOnly",
				"subAttributes", []any{attr("value", "string", false), attr("display", "string", false)}),
		}},
		{"id": scimGroup, "name": "Group", "description": "A team.", "attributes": []any{
			attr("displayName", "string", true),
			attr("externalId", "string", false, "caseExact", true),
			attr("members", "complex", false, "multiValued", true, "subAttributes", []any{attr("value", "string", false), attr("display", "string", false)}),
		}},
	}
	for _, s := range schemas {
		s["schemas"] = []string{"urn:ietf:params:scim:schemas:core:2.0:Schema"}
		s["meta"] = fiber.Map{"resourceType": "Schema", "location": a.Config.BaseURL + "/scim/v2/Schemas/" + s["id"].(string)}
	}
	return scimJSON(c, fiber.StatusOK, fiber.Map{"schemas": []string{scimList}, "totalResults": len(schemas), "startIndex": 1,
		"itemsPerPage": len(schemas), "Resources": schemas}, "")
}

// --- filters (RFC 7644 §3.4.2.2): the equality filters provisioning
// clients send, `attribute eq "value"`. ---

var filterRE = regexp.MustCompile(`(?i)^\s*([a-z.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$`)

func parseFilter(f string) (attr, value string, err error) {
	m := filterRE.FindStringSubmatch(f)
	if m == nil {
		return "", "", badSCIM("invalidFilter", `Only filters of the form attribute eq "value" are supported.`)
	}
	v, uerr := strconv.Unquote(`"` + m[2] + `"`)
	if uerr != nil {
		return "", "", badSCIM("invalidFilter", "The filter's value is not a valid string.")
	}
	return strings.ToLower(m[1]), v, nil
}

// pageOf reads startIndex (1-based) and count.
func pageOf(c *fiber.Ctx) (start, count int) {
	start, count = 1, 100
	if n, err := strconv.Atoi(c.Query("startIndex")); err == nil && n > 1 {
		start = n
	}
	if n, err := strconv.Atoi(c.Query("count")); err == nil && n >= 0 {
		count = min(n, scimMaxResults)
	}
	return start, count
}

func listResponse(c *fiber.Ctx, total, start int, resources []any) error {
	return scimJSON(c, fiber.StatusOK, fiber.Map{"schemas": []string{scimList}, "totalResults": total,
		"startIndex": start, "itemsPerPage": len(resources), "Resources": resources}, "")
}

func parseSCIMID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, &scimErr{status: fiber.StatusNotFound, detail: "No such resource."}
	}
	return id, nil
}

// scimBool reads a boolean as providers send it: Entra ID sends "True" and
// "False" as strings in PATCH operations.
func scimBool(v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		if p, err := strconv.ParseBool(strings.ToLower(b)); err == nil {
			return p, nil
		}
	}
	return false, badSCIM("invalidValue", fmt.Sprintf("%v is not a boolean.", v))
}

func scimString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", badSCIM("invalidValue", fmt.Sprintf("%v is not a string.", v))
	}
	return s, nil
}

// patchRequest is a PATCH body (RFC 7644 §3.5.2).
type patchRequest struct {
	Schemas    []string `json:"schemas"`
	Operations []struct {
		Op    string          `json:"op"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value"`
	} `json:"Operations"`
}

func decodeSCIM(c *fiber.Ctx, v any) error {
	if checkText(c.Body()) != nil {
		return badSCIM("invalidValue", "The body holds something that is not text (a NUL character or bytes that are not UTF-8).")
	}
	if err := json.Unmarshal(c.Body(), v); err != nil {
		return badSCIM("invalidSyntax", "The body is not valid JSON: "+err.Error())
	}
	return nil
}

func metaOf(kind, location string, created, modified time.Time) fiber.Map {
	return fiber.Map{"resourceType": kind, "created": created.UTC().Format(time.RFC3339), "lastModified": modified.UTC().Format(time.RFC3339), "location": location}
}
