package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// scimOperations are the SCIM routes, each needing the scim scope.
var scimOperations = []operation{
	{"GET", "/scim/v2/ServiceProviderConfig", auth.SCIM},
	{"GET", "/scim/v2/ResourceTypes", auth.SCIM},
	{"GET", "/scim/v2/Schemas", auth.SCIM},
	{"GET", "/scim/v2/Users", auth.SCIM},
	{"POST", "/scim/v2/Users", auth.SCIM},
	{"GET", "/scim/v2/Users/{id}", auth.SCIM},
	{"PUT", "/scim/v2/Users/{id}", auth.SCIM},
	{"PATCH", "/scim/v2/Users/{id}", auth.SCIM},
	{"DELETE", "/scim/v2/Users/{id}", auth.SCIM},
	{"GET", "/scim/v2/Groups", auth.SCIM},
	{"POST", "/scim/v2/Groups", auth.SCIM},
	{"GET", "/scim/v2/Groups/{id}", auth.SCIM},
	{"PUT", "/scim/v2/Groups/{id}", auth.SCIM},
	{"PATCH", "/scim/v2/Groups/{id}", auth.SCIM},
	{"DELETE", "/scim/v2/Groups/{id}", auth.SCIM},
}

// scim sends a SCIM request and checks its status and media type.
func (f *fixture) scim(method, path, token, body string, want int, header ...string) map[string]any {
	f.t.Helper()
	var b any
	if body != "" {
		b = body
	}
	res, _ := f.do(method, path, token, b, header...)
	if res.Status != want {
		f.t.Fatalf("%s %s: %d, want %d\n%s", method, path, res.Status, want, short(res.Body))
	}
	if len(res.Body) == 0 {
		return nil
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/scim+json") {
		f.t.Fatalf("%s %s: content type %q", method, path, ct)
	}
	var out map[string]any
	res.json(f.t, &out)
	if e := res.Header.Get("ETag"); e != "" {
		out["_etag"] = e
	}
	return out
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// person reads a person's email, name, activity and team from the store.
func (f *fixture) person(email string) (name string, active bool, team string) {
	f.t.Helper()
	ctx := context.Background()
	u, err := f.app.Store.UserByEmail(ctx, email)
	if err != nil {
		f.t.Fatalf("%s: %v", email, err)
	}
	if t, err := f.app.Store.TeamOf(ctx, u.ID); err == nil {
		team = t.Name
	}
	return u.Name, u.Active, team
}

// TestSCIMEntraIDProvisioning replays the requests Microsoft Entra ID's
// provisioning service sends, as its SCIM endpoint tutorial and validator
// list them: look-up by userName, create with an enterprise extension and
// a work email, PATCH with capitalised ops, a filtered email path and
// "False" as a string, groups created, members added and removed by value
// lists, a group renamed, then deleted — and checks the people and teams
// that result.
func TestSCIMEntraIDProvisioning(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		tok, _ := f.token(auth.SCIM)
		f.scim("GET", "/scim/v2/ServiceProviderConfig", tok, "", http.StatusOK)
		f.scim("GET", "/scim/v2/ResourceTypes", tok, "", http.StatusOK)
		f.scim("GET", "/scim/v2/Schemas", tok, "", http.StatusOK)

		list := f.scim("GET", `/scim/v2/Users?filter=userName+eq+%22alex.wu%40contoso.com%22`, tok, "", http.StatusOK)
		if list["totalResults"].(float64) != 0 {
			t.Fatalf("found before creation: %v", list)
		}
		u := f.scim("POST", "/scim/v2/Users", tok, `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  "userName": "alex.wu@contoso.com",
  "active": true,
  "emails": [{"primary": true, "type": "work", "value": "alex.wu@contoso.com"}],
  "meta": {"resourceType": "User"},
  "name": {"formatted": "Alex Wu", "familyName": "Wu", "givenName": "Alex"},
  "roles": [],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Front desk"}
}`, http.StatusCreated)
		uid := str(u, "id")
		if str(u, "userName") != "alex.wu@contoso.com" || str(u, "externalId") != "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef" || u["active"] != true {
			t.Fatalf("created %v", u)
		}
		// Creating the same person again is a uniqueness conflict, as SCIM says.
		f.scim("POST", "/scim/v2/Users", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alex.wu@contoso.com","active":true}`, http.StatusConflict)
		f.scim("POST", "/scim/v2/Users", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"nul@contoso.com","displayName":"A\u0000B"}`, http.StatusBadRequest)
		list = f.scim("GET", `/scim/v2/Users?filter=userName+eq+%22Alex.Wu%40contoso.com%22`, tok, "", http.StatusOK)
		if list["totalResults"].(float64) != 1 {
			t.Fatalf("look-up after creation: %v", list)
		}
		f.scim("GET", `/scim/v2/Users?filter=externalId+eq+%220a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef%22`, tok, "", http.StatusOK)
		f.scim("GET", `/scim/v2/Users?filter=title+co+%22x%22`, tok, "", http.StatusBadRequest)

		f.scim("PATCH", "/scim/v2/Users/"+uid, tok, `{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [
    {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "alex.wu@fabrikam.com"},
    {"op": "Replace", "path": "name.familyName", "value": "Wu-Jones"},
    {"op": "Add", "path": "title", "value": "Agent"}
  ]
}`, http.StatusOK)
		if name, active, _ := f.person("alex.wu@fabrikam.com"); name != "Alex Wu-Jones" || !active {
			t.Fatalf("after the update: %q active=%v", name, active)
		}

		g := f.scim("GET", `/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+%22Front+desk%22`, tok, "", http.StatusOK)
		if g["totalResults"].(float64) != 0 {
			t.Fatalf("group found before creation: %v", g)
		}
		g = f.scim("POST", "/scim/v2/Groups", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Front desk","meta":{"resourceType":"Group"}}`, http.StatusCreated)
		gid := str(g, "id")
		f.scim("PATCH", "/scim/v2/Groups/"+gid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"`+uid+`"}]}]}`, http.StatusOK)
		if _, _, team := f.person("alex.wu@fabrikam.com"); team != "Front desk" {
			t.Fatalf("Alex's team %q, want Front desk", team)
		}
		f.scim("PATCH", "/scim/v2/Groups/"+gid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Front desk (day)"}]}`, http.StatusOK)
		got := f.scim("GET", "/scim/v2/Groups/"+gid, tok, "", http.StatusOK)
		if str(got, "displayName") != "Front desk (day)" || len(got["members"].([]any)) != 1 {
			t.Fatalf("group %v", got)
		}
		f.scim("PATCH", "/scim/v2/Groups/"+gid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"`+uid+`"}]}]}`, http.StatusOK)
		if _, _, team := f.person("alex.wu@fabrikam.com"); team != "" {
			t.Fatalf("Alex still in %q", team)
		}

		// Entra sends active as the string "False" when it disables someone.
		f.scim("PATCH", "/scim/v2/Users/"+uid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`, http.StatusOK)
		if _, active, _ := f.person("alex.wu@fabrikam.com"); active {
			t.Fatal("Alex is still active after active=\"False\"")
		}
		f.scim("DELETE", "/scim/v2/Groups/"+gid, tok, "", http.StatusNoContent)
		f.scim("DELETE", "/scim/v2/Users/"+uid, tok, "", http.StatusNoContent)
		f.scim("GET", "/scim/v2/Users/999999", tok, "", http.StatusNotFound)
	})
}

// TestSCIMOktaProvisioning replays Okta's SCIM 2.0 sequence from its
// protocol reference: look-up with startIndex and count, create (with a
// password and locale Frontline ignores), PUT with the whole user,
// deactivation by a replace whose value is an object, groups renamed by
// a path-less replace and members removed by a path filter. It also checks
// ETags: a matching If-None-Match is 304 and a stale If-Match is 412.
func TestSCIMOktaProvisioning(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		tok, _ := f.token(auth.SCIM)
		f.scim("GET", `/scim/v2/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100`, tok, "", http.StatusOK)
		u := f.scim("POST", "/scim/v2/Users", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local",
"name":{"givenName":"Test","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
"displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}`, http.StatusCreated)
		uid := str(u, "id")
		etag := u["_etag"].(string)
		f.scim("GET", "/scim/v2/Users/"+uid, tok, "", http.StatusNotModified, "If-None-Match", etag)
		f.scim("PUT", "/scim/v2/Users/"+uid, tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"`+uid+`","userName":"test.user@okta.local",
"name":{"givenName":"Another","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
"displayName":"Another User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"active":true}`, http.StatusOK)
		if name, _, _ := f.person("test.user@okta.local"); name != "Another User" {
			t.Fatalf("after PUT the name is %q", name)
		}
		// The version read before the PUT is stale now.
		f.scim("PATCH", "/scim/v2/Users/"+uid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
			http.StatusPreconditionFailed, "If-Match", etag)
		if _, active, _ := f.person("test.user@okta.local"); !active {
			t.Fatal("a write with a stale If-Match changed the person")
		}

		g := f.scim("POST", "/scim/v2/Groups", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2","members":[]}`, http.StatusCreated)
		gid := str(g, "id")
		f.scim("PATCH", "/scim/v2/Groups/"+gid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":"`+gid+`","displayName":"Test SCIMv2 Updated"}}]}`, http.StatusOK)
		f.scim("PATCH", "/scim/v2/Groups/"+gid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"`+uid+`","display":"test.user@okta.local"}]}]}`, http.StatusOK)
		if _, _, team := f.person("test.user@okta.local"); team != "Test SCIMv2 Updated" {
			t.Fatalf("team %q", team)
		}
		// A second group takes the member over: a person is in one team.
		g2 := f.scim("POST", "/scim/v2/Groups", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Night shift","members":[{"value":"`+uid+`"}]}`, http.StatusCreated)
		if _, _, team := f.person("test.user@okta.local"); team != "Night shift" {
			t.Fatalf("team %q, want Night shift", team)
		}
		// Removing them from the group they already left changes nothing.
		f.scim("PATCH", "/scim/v2/Groups/"+gid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"`+uid+`\"]"}]}`, http.StatusOK)
		if _, _, team := f.person("test.user@okta.local"); team != "Night shift" {
			t.Fatalf("team %q, want Night shift", team)
		}
		f.scim("PATCH", "/scim/v2/Groups/"+str(g2, "id"), tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"`+uid+`\"]"}]}`, http.StatusOK)
		if _, _, team := f.person("test.user@okta.local"); team != "" {
			t.Fatalf("team %q, want none", team)
		}
		f.scim("PATCH", "/scim/v2/Users/"+uid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`, http.StatusOK)
		if _, active, _ := f.person("test.user@okta.local"); active {
			t.Fatal("still active after Okta's deactivation")
		}
		groups := f.scim("GET", "/scim/v2/Groups?startIndex=1&count=1", tok, "", http.StatusOK)
		if groups["totalResults"].(float64) != 2 || len(groups["Resources"].([]any)) != 1 {
			t.Fatalf("groups page %v", groups)
		}
		f.scim("DELETE", "/scim/v2/Groups/"+gid, tok, "", http.StatusNoContent)

		// Every change is in the audit log under the token's maker.
		rows, _, err := f.app.Store.AuditLog(context.Background(), storeQuery("team.create"))
		if err != nil || len(rows) != 2 || rows[0].ActorID == nil || *rows[0].ActorID != f.admin.ID {
			b, _ := json.Marshal(rows)
			t.Fatalf("team.create audit rows %s, %v", b, err)
		}
	})
}

// TestSCIMUsernameAccounts: a userName without '@' provisions someone
// without email; they are found, shown and changed by that username.
func TestSCIMUsernameAccounts(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db, nil)
		tok, _ := f.token(auth.SCIM)
		ctx := context.Background()
		u := f.scim("POST", "/scim/v2/Users", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"K1042","displayName":"Kai Till","active":true}`, http.StatusCreated)
		uid := str(u, "id")
		if str(u, "userName") != "k1042" || u["emails"] != nil {
			t.Fatalf("created %v", u)
		}
		if got, err := f.app.Store.UserByUsername(ctx, "k1042"); err != nil || got.Email != "" || got.Name != "Kai Till" {
			t.Fatalf("stored %+v, %v", got, err)
		}
		f.scim("POST", "/scim/v2/Users", tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"k1042","displayName":"Kai Again"}`, http.StatusConflict)
		list := f.scim("GET", `/scim/v2/Users?filter=userName+eq+%22K1042%22`, tok, "", http.StatusOK)
		if list["totalResults"].(float64) != 1 {
			t.Fatalf("look-up by username: %v", list)
		}
		u = f.scim("PATCH", "/scim/v2/Users/"+uid, tok, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations":[{"op":"Replace","path":"userName","value":"k1043"}]}`, http.StatusOK)
		if str(u, "userName") != "k1043" {
			t.Fatalf("after the PATCH %v", u)
		}
		// A work email arrives: userName stays the username, the email is
		// listed.
		u = f.scim("PUT", "/scim/v2/Users/"+uid, tok, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"k1043","displayName":"Kai Till",
  "emails":[{"primary":true,"type":"work","value":"kai@contoso.com"}],"active":true}`, http.StatusOK, "If-Match", str(u, "_etag"))
		if str(u, "userName") != "kai@contoso.com" {
			t.Fatalf("after the PUT %v", u)
		}
		if got, err := f.app.Store.UserByUsername(ctx, "k1043"); err != nil || got.Email != "kai@contoso.com" {
			t.Fatalf("after the PUT %+v, %v", got, err)
		}
	})
}
