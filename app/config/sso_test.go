package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSingleSignOnSettings(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "oidc-secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(nil, env(map[string]string{
		"FRONTLINE_OIDC_ISSUER":             "https://login.microsoftonline.com/tenant/v2.0/",
		"FRONTLINE_OIDC_CLIENT_ID":          "frontline",
		"FRONTLINE_OIDC_CLIENT_SECRET_FILE": secret,
		"FRONTLINE_OIDC_SCOPES":             "email, profile openid",
		"FRONTLINE_OIDC_EMAIL_CLAIM":        "email, preferred_username,upn",
		"FRONTLINE_OIDC_GROUPS_CLAIM":       "groups",
		"FRONTLINE_OIDC_TEAMS":              "g-leeds = Acme/North/Leeds/ ; /Acme/Support=Acme/Support",
		"FRONTLINE_OIDC_CREATE_USERS":       "yes",
		"FRONTLINE_OIDC_ONLY":               "true",
		"FRONTLINE_OIDC_NAME":               "Contoso",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := SSO{Issuer: "https://login.microsoftonline.com/tenant/v2.0", ClientID: "frontline", ClientSecret: "s3cret",
		Scopes: []string{"openid", "email", "profile"}, EmailClaims: []string{"email", "preferred_username", "upn"},
		GroupsClaim: "groups", TeamMap: map[string]string{"g-leeds": "Acme/North/Leeds", "/Acme/Support": "Acme/Support"},
		JIT: true, Only: true, Name: "Contoso"}
	if d := cmp.Diff(want, c.SSO); d != "" {
		t.Fatalf("SSO settings (-want +got):\n%s", d)
	}
	if d, err := Load(nil, env(nil)); err != nil || d.SSO.Enabled() || d.SSO.JIT || d.SSO.Only || d.SSO.Name != "single sign-on" {
		t.Fatalf("defaults: %+v, %v; want off, no creation, not only, a generic name", d.SSO, err)
	}
}

func TestSingleSignOnSettingsRefuseWhatCannotWork(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		says string
	}{
		{map[string]string{"FRONTLINE_OIDC_ONLY": "true"}, "FRONTLINE_OIDC_ONLY needs FRONTLINE_OIDC_ISSUER"},
		{map[string]string{"FRONTLINE_OIDC_ISSUER": "http://idp.example.com", "FRONTLINE_OIDC_CLIENT_ID": "x"}, "must be an https URL"},
		{map[string]string{"FRONTLINE_OIDC_ISSUER": "https://idp.example.com"}, "FRONTLINE_OIDC_CLIENT_ID is required"},
		{map[string]string{"FRONTLINE_OIDC_ISSUER": "https://idp.example.com", "FRONTLINE_OIDC_CLIENT_ID": "x", "FRONTLINE_OIDC_TEAMS": "a=B"}, "needs FRONTLINE_OIDC_GROUPS_CLAIM"},
		{map[string]string{"FRONTLINE_OIDC_TEAMS": "just-a-group"}, `"just-a-group" is not group=Team/Path`},
		{map[string]string{"FRONTLINE_OIDC_CREATE_USERS": "sometimes"}, "want true or false"},
	} {
		_, err := Load(nil, env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%v: error %v, want one saying %q", tc.env, err, tc.says)
		}
	}
	if c, err := Load(nil, env(map[string]string{"FRONTLINE_OIDC_ISSUER": "http://127.0.0.1:5556/dex", "FRONTLINE_OIDC_CLIENT_ID": "x"})); err != nil || !c.SSO.Enabled() {
		t.Fatalf("a provider on loopback over http: %v", err)
	}
}
