package people

import (
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/config"
)

// TestReadIdentityHandlesEachProvidersClaims feeds readIdentity the claims
// that Entra ID, Okta, Google and Keycloak send, as their documentation
// shows them, and checks who and which team comes out.
func TestReadIdentityHandlesEachProvidersClaims(t *testing.T) {
	teams := map[string]string{
		"6f1b0c4e-entra-group-id": "Acme/North/Leeds",
		"Leeds desk":              "Acme/North/Leeds",
		"Acme/Support":            "Acme/Support",
		"Front desk":              "Acme/Hotel",
	}
	cases := []struct {
		name    string
		cfg     config.SSO
		claims  map[string]any
		email   string
		user    string // the username, when the claim holds no '@'
		team    string
		overage bool
		refused string // part of the refusal's detail; "" when admitted
	}{
		{name: "Entra ID names people by preferred_username when email is empty",
			cfg:    config.SSO{EmailClaims: []string{"email", "preferred_username", "upn"}, GroupsClaim: "groups"},
			claims: map[string]any{"preferred_username": "Nia.Okafor@Contoso.com", "name": "Nia Okafor", "groups": []any{"6f1b0c4e-entra-group-id"}},
			email:  "nia.okafor@contoso.com", team: "Acme/North/Leeds"},
		{name: "Entra ID falls back to upn",
			cfg:    config.SSO{EmailClaims: []string{"email", "preferred_username", "upn"}},
			claims: map[string]any{"email": "", "upn": "eli@contoso.com"},
			email:  "eli@contoso.com"},
		{name: "Entra ID's groups overage leaves the groups out",
			cfg: config.SSO{EmailClaims: []string{"email"}, GroupsClaim: "groups"},
			claims: map[string]any{"email": "omar@contoso.com",
				"_claim_names": map[string]any{"groups": "src1"}, "_claim_sources": map[string]any{"src1": map[string]any{"endpoint": "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}},
			email: "omar@contoso.com", overage: true},
		{name: "Okta sends group names in groups",
			cfg:    config.SSO{EmailClaims: []string{"email"}, GroupsClaim: "groups"},
			claims: map[string]any{"email": "ana@acme.com", "email_verified": true, "groups": []any{"Everyone", "Leeds desk"}},
			email:  "ana@acme.com", team: "Acme/North/Leeds"},
		{name: "Keycloak's full group paths match keys without the leading slash",
			cfg:    config.SSO{EmailClaims: []string{"email"}, GroupsClaim: "groups"},
			claims: map[string]any{"email": "kai@acme.com", "groups": []any{"/Acme", "/Acme/Support"}},
			email:  "kai@acme.com", team: "Acme/Support"},
		{name: "a department is one string",
			cfg:    config.SSO{EmailClaims: []string{"email"}, GroupsClaim: "department"},
			claims: map[string]any{"email": "li@acme.com", "department": "Front desk"},
			email:  "li@acme.com", team: "Acme/Hotel"},
		{name: "Google: an account of the right Workspace",
			cfg:    config.SSO{EmailClaims: []string{"email"}, HostedDomain: "acme.com"},
			claims: map[string]any{"email": "sam@acme.com", "email_verified": true, "hd": "acme.com"},
			email:  "sam@acme.com"},
		{name: "Google: a personal account is refused",
			cfg:     config.SSO{EmailClaims: []string{"email"}, HostedDomain: "acme.com"},
			claims:  map[string]any{"email": "sam@gmail.com", "email_verified": true},
			refused: "hosted domain"},
		{name: "an unverified email is refused",
			cfg:     config.SSO{EmailClaims: []string{"email"}},
			claims:  map[string]any{"email": "mei@acme.com", "email_verified": false},
			refused: "email_verified is false"},
		{name: "Keycloak's preferred_username without @ is a username",
			cfg:    config.SSO{EmailClaims: []string{"email", "preferred_username"}},
			claims: map[string]any{"preferred_username": "K.Till-042", "email_verified": false},
			user:   "k.till-042"},
		{name: "a value that is neither an email nor a username is refused",
			cfg:     config.SSO{EmailClaims: []string{"preferred_username"}},
			claims:  map[string]any{"preferred_username": "Kai Till"},
			refused: "neither an email address nor a valid username"},
		{name: "no claim names the person",
			cfg:     config.SSO{EmailClaims: []string{"email"}},
			claims:  map[string]any{"sub": "x"},
			refused: "none of the claims email"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, refused := readIdentity(c.cfg, "https://idp.example", "sub-1", c.claims)
			if c.refused != "" {
				if refused == nil || !strings.Contains(refused.Detail, c.refused) {
					t.Fatalf("refusal %+v, want one saying %q", refused, c.refused)
				}
				return
			}
			if refused != nil {
				t.Fatalf("refused: %s", refused.Detail)
			}
			if id.Email != c.email || id.Username != c.user {
				t.Errorf("email %q, username %q; want %q, %q", id.Email, id.Username, c.email, c.user)
			}
			if _, team := id.team(teams); team != c.team {
				t.Errorf("team %q (groups %v), want %q", team, id.Groups, c.team)
			}
			if id.GroupsOverage != c.overage {
				t.Errorf("overage %v, want %v", id.GroupsOverage, c.overage)
			}
			if strings.TrimSpace(id.Name) == "" {
				t.Errorf("no name")
			}
		})
	}
}
