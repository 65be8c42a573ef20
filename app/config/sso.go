package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// SSO is the OpenID Connect provider people may sign in with; Issuer is ""
// when single sign-on is off.
type SSO struct {
	Issuer       string   // FRONTLINE_OIDC_ISSUER
	ClientID     string   // FRONTLINE_OIDC_CLIENT_ID
	ClientSecret string   // FRONTLINE_OIDC_CLIENT_SECRET (or _FILE)
	Scopes       []string // FRONTLINE_OIDC_SCOPES; always holds openid
	// EmailClaims are tried in order; the first that holds a value names
	// the person (FRONTLINE_OIDC_EMAIL_CLAIM, comma-separated): an email,
	// or a username when the value has no '@'.
	EmailClaims  []string
	GroupsClaim  string            // FRONTLINE_OIDC_GROUPS_CLAIM: groups or department; "" for none
	TeamMap      map[string]string // FRONTLINE_OIDC_TEAMS: group → team path ("Acme/North/Leeds"), applied at every sign-in
	JIT          bool              // FRONTLINE_OIDC_CREATE_USERS: unknown people are created as learners
	Only         bool              // FRONTLINE_OIDC_ONLY: no password or passkey sign-in except for admins
	Name         string            // FRONTLINE_OIDC_NAME: the provider as the sign-in button names it
	HostedDomain string            // FRONTLINE_OIDC_HOSTED_DOMAIN: Google Workspace's hd claim must equal it
}

// Enabled reports whether single sign-on is configured.
func (s SSO) Enabled() bool { return s.Issuer != "" }

// ssoVars are the single sign-on settings, kept apart from the general ones.
var ssoVars = []Var{
	{"FRONTLINE_OIDC_ISSUER", "oidc-issuer", "", "OpenID Connect issuer URL (its /.well-known/openid-configuration is read); unset, single sign-on is off"},
	{"FRONTLINE_OIDC_CLIENT_ID", "oidc-client-id", "", "client ID registered at the provider"},
	{"FRONTLINE_OIDC_CLIENT_SECRET", "oidc-client-secret", "", "client secret (or FRONTLINE_OIDC_CLIENT_SECRET_FILE); empty for a public client (PKCE only)"},
	{"FRONTLINE_OIDC_SCOPES", "oidc-scopes", "openid email profile", "scopes asked for, separated by spaces or commas"},
	{"FRONTLINE_OIDC_EMAIL_CLAIM", "oidc-email-claim", "email", "claims naming the person, first present wins (Entra ID: preferred_username,upn); a value without @ is a username"},
	{"FRONTLINE_OIDC_GROUPS_CLAIM", "oidc-groups-claim", "", "claim with the person's groups or department, matched against FRONTLINE_OIDC_TEAMS"},
	{"FRONTLINE_OIDC_TEAMS", "oidc-teams", "", "group=Team/Path pairs separated by ';': the team a person signing on is put in, at creation and at every sign-in"},
	{"FRONTLINE_OIDC_CREATE_USERS", "oidc-create-users", "false", "true: someone unknown who signs on is created as a learner; false: refused"},
	{"FRONTLINE_OIDC_ONLY", "oidc-only", "false", "true: only admins may sign in with a password or passkey; everyone else uses single sign-on"},
	{"FRONTLINE_OIDC_NAME", "oidc-name", "single sign-on", "the provider's name on the sign-in button (\"Sign in with …\")"},
	{"FRONTLINE_OIDC_HOSTED_DOMAIN", "oidc-hosted-domain", "", "Google Workspace: the hd claim must equal this domain"},
}

func init() { Vars = append(Vars, ssoVars...) }

// loadSSO reads the single sign-on settings from the parsed values.
func loadSSO(vals map[string]*string) (SSO, error) {
	s := SSO{
		Issuer:       strings.TrimRight(strings.TrimSpace(*vals["FRONTLINE_OIDC_ISSUER"]), "/"),
		ClientID:     strings.TrimSpace(*vals["FRONTLINE_OIDC_CLIENT_ID"]),
		ClientSecret: *vals["FRONTLINE_OIDC_CLIENT_SECRET"],
		GroupsClaim:  strings.TrimSpace(*vals["FRONTLINE_OIDC_GROUPS_CLAIM"]),
		Name:         strings.TrimSpace(*vals["FRONTLINE_OIDC_NAME"]),
		HostedDomain: strings.ToLower(strings.TrimSpace(*vals["FRONTLINE_OIDC_HOSTED_DOMAIN"])),
		TeamMap:      map[string]string{},
	}
	var errs []error
	s.Scopes = []string{"openid"}
	for _, f := range strings.FieldsFunc(*vals["FRONTLINE_OIDC_SCOPES"], func(r rune) bool { return r == ',' || r == ' ' }) {
		if f != "openid" {
			s.Scopes = append(s.Scopes, f)
		}
	}
	for _, f := range strings.Split(*vals["FRONTLINE_OIDC_EMAIL_CLAIM"], ",") {
		if f = strings.TrimSpace(f); f != "" {
			s.EmailClaims = append(s.EmailClaims, f)
		}
	}
	for _, pair := range strings.Split(*vals["FRONTLINE_OIDC_TEAMS"], ";") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		group, team, ok := strings.Cut(pair, "=")
		group, team = strings.TrimSpace(group), strings.Trim(strings.TrimSpace(team), "/")
		if !ok || group == "" || team == "" {
			errs = append(errs, fmt.Errorf("config: FRONTLINE_OIDC_TEAMS: %q is not group=Team/Path", strings.TrimSpace(pair)))
			continue
		}
		s.TeamMap[group] = team
	}
	var err error
	if s.JIT, err = parseBool(*vals["FRONTLINE_OIDC_CREATE_USERS"]); err != nil {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_OIDC_CREATE_USERS: %w", err))
	}
	if s.Only, err = parseBool(*vals["FRONTLINE_OIDC_ONLY"]); err != nil {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_OIDC_ONLY: %w", err))
	}
	if s.Name == "" {
		s.Name = "single sign-on"
	}
	if s.Issuer == "" {
		if s.Only {
			errs = append(errs, errors.New("config: FRONTLINE_OIDC_ONLY needs FRONTLINE_OIDC_ISSUER: nobody but admins could sign in"))
		}
		return s, errors.Join(errs...)
	}
	if u, err := url.Parse(s.Issuer); err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_OIDC_ISSUER must be an https URL (http only on localhost), got %q", s.Issuer))
	}
	if s.ClientID == "" {
		errs = append(errs, errors.New("config: FRONTLINE_OIDC_CLIENT_ID is required with FRONTLINE_OIDC_ISSUER"))
	}
	if len(s.EmailClaims) == 0 {
		errs = append(errs, errors.New("config: FRONTLINE_OIDC_EMAIL_CLAIM names no claim"))
	}
	if len(s.TeamMap) > 0 && s.GroupsClaim == "" {
		errs = append(errs, errors.New("config: FRONTLINE_OIDC_TEAMS needs FRONTLINE_OIDC_GROUPS_CLAIM"))
	}
	return s, errors.Join(errs...)
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("want true or false, got %q", v)
}

// isLoopback reports whether host names this machine: the only place where
// plain http is acceptable for an identity provider or a passkey origin.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
