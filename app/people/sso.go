package people

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/store"
)

// SSO signs people in through an OpenID Connect provider: the
// authorization-code flow with PKCE, a state bound to the browser and a
// nonce bound to the ID token, both kept in the database (any instance can
// finish a sign-in another began) and good once. The provider's discovery
// document is read on first use, not at start-up, so an identity provider
// that is down does not stop Frontline from starting: password and passkey
// sign-in go on working.
type SSO struct {
	Config      config.SSO
	RedirectURL string       // BaseURL + /sso/callback, registered at the provider
	HTTP        *http.Client // for discovery, keys and the token exchange

	mu       sync.Mutex
	provider *oidc.Provider
}

// SSOLifetime is how long a person has at the provider before the sign-in
// they started is refused.
const SSOLifetime = 10 * time.Minute

// ActionUserCreateSSO is the audit action of a person created by their first
// single sign-on.
const ActionUserCreateSSO = "user.add.sso"

// SSORefused is a single sign-on turned away. Message is for the person;
// Detail, for the audit log, says why.
type SSORefused struct {
	Message string
	Detail  string
}

func (e *SSORefused) Error() string { return "people: single sign-on refused: " + e.Detail }

// ErrSSOUnavailable is a provider that could not be reached or answered
// nonsense: nobody's fault here, worth trying again later.
var ErrSSOUnavailable = errors.New("people: the identity provider did not answer")

// ssoPending is what a started sign-in keeps until the person comes back.
type ssoPending struct {
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
}

func (s *SSO) client(ctx context.Context) context.Context {
	if s.HTTP != nil {
		return oidc.ClientContext(ctx, s.HTTP)
	}
	return ctx
}

// discover returns the provider, reading its discovery document the first
// time (and again after a failure).
func (s *SSO) discover(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil {
		return s.provider, nil
	}
	// The provider keeps the context's client for fetching keys later, so it
	// gets one that outlives this request.
	p, err := oidc.NewProvider(s.client(context.WithoutCancel(ctx)), s.Config.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery at %s: %v", ErrSSOUnavailable, s.Config.Issuer, err)
	}
	s.provider = p
	return p, nil
}

func (s *SSO) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: s.Config.ClientID, ClientSecret: s.Config.ClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: s.RedirectURL, Scopes: s.Config.Scopes}
}

// BeginSSO starts a sign-in: it stores the state (hashed), nonce and PKCE
// verifier and returns the provider's address to send the browser to, and
// the state, which the caller also keeps in the browser (a cookie) so that
// only the browser that started a sign-in can finish it.
func (s *Service) BeginSSO(ctx context.Context, next string) (authURL, state string, err error) {
	if s.SSO == nil {
		return "", "", store.ErrNotFound
	}
	p, err := s.SSO.discover(ctx)
	if err != nil {
		return "", "", err
	}
	state = auth.NewToken()
	pend := ssoPending{Nonce: auth.NewToken(), Verifier: oauth2.GenerateVerifier(), Next: next}
	data, err := json.Marshal(pend)
	if err != nil {
		return "", "", err
	}
	now := s.Now()
	if err := s.Store.CreateChallenge(ctx, &store.SignInChallenge{Kind: store.ChallengeOIDC, KeyHash: auth.HashToken(state),
		Data: string(data), CreatedAt: now, ExpiresAt: now.Add(SSOLifetime)}); err != nil {
		return "", "", err
	}
	return s.SSO.oauth(p).AuthCodeURL(state, oidc.Nonce(pend.Nonce), oauth2.S256ChallengeOption(pend.Verifier)), state, nil
}

// SSOCallback is what the provider sends the browser back with.
type SSOCallback struct {
	State        string // the state parameter
	BrowserState string // the state this browser kept when it started
	Code         string
	Error        string // the provider's error parameter, when it refused
	IP           string
}

// FinishSSO completes a sign-in: the state must be this browser's and
// unused, the code is exchanged (with the PKCE verifier), the ID token
// verified (signature against the issuer's keys, issuer, audience, expiry)
// and its nonce compared; then the person is found by their identity at the
// provider, or by email (linking the identity), or created when
// just-in-time creation is on. It returns the person and where to go next.
// A refusal is an *SSORefused, audited as a failed sign-in.
func (s *Service) FinishSSO(ctx context.Context, cb SSOCallback) (*store.User, string, error) {
	if s.SSO == nil {
		return nil, "", store.ErrNotFound
	}
	u, next, err := s.finishSSO(ctx, cb)
	var refused *SSORefused
	if errors.As(err, &refused) {
		if aerr := s.Store.Audit(ctx, store.Actor{IP: cb.IP}.Entry(ActionSignInFailure, "sso", refused.Detail, s.Now())); aerr != nil {
			return nil, "", aerr
		}
	}
	return u, next, err
}

func (s *Service) finishSSO(ctx context.Context, cb SSOCallback) (*store.User, string, error) {
	cfg := s.SSO.Config
	if cb.State == "" || !auth.Equal(cb.State, cb.BrowserState) {
		return nil, "", &SSORefused{Message: "This sign-in was not started in this browser, or it was already used. Start again from the sign-in page.",
			Detail: "single sign-on: the state does not match this browser's"}
	}
	ch, err := s.Store.TakeChallenge(ctx, store.ChallengeOIDC, auth.HashToken(cb.State), s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", &SSORefused{Message: "This sign-in has expired or was already used. Start again from the sign-in page.",
			Detail: "single sign-on: unknown, used or expired state"}
	} else if err != nil {
		return nil, "", err
	}
	var pend ssoPending
	if err := json.Unmarshal([]byte(ch.Data), &pend); err != nil {
		return nil, "", fmt.Errorf("people: unreadable single sign-on state: %w", err)
	}
	if cb.Error != "" {
		return nil, pend.Next, &SSORefused{Message: cfg.Name + " did not sign you in. Try again, or ask your administrator.",
			Detail: "single sign-on: the provider answered " + clip(cb.Error, 100)}
	}
	p, err := s.SSO.discover(ctx)
	if err != nil {
		return nil, "", err
	}
	tok, err := s.SSO.oauth(p).Exchange(s.SSO.client(ctx), cb.Code, oauth2.VerifierOption(pend.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, pend.Next, &SSORefused{Message: cfg.Name + " did not accept this sign-in. Start again from the sign-in page.",
				Detail: "single sign-on: the code was refused: " + clip(re.ErrorCode, 100)}
		}
		return nil, "", fmt.Errorf("%w: token exchange: %v", ErrSSOUnavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, "", &SSORefused{Message: cfg.Name + " sent no ID token. Ask your administrator to check the single sign-on set-up.",
			Detail: "single sign-on: no id_token in the token response"}
	}
	idt, err := p.VerifierContext(s.SSO.client(ctx), &oidc.Config{ClientID: cfg.ClientID, Now: s.Now}).Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		detail := "single sign-on: the ID token failed verification"
		if errors.As(err, &expired) {
			detail = "single sign-on: the ID token has expired"
		}
		return nil, "", &SSORefused{Message: "The sign-in from " + cfg.Name + " could not be verified. Start again from the sign-in page.",
			Detail: detail}
	}
	if !auth.Equal(idt.Nonce, pend.Nonce) {
		return nil, "", &SSORefused{Message: "The sign-in from " + cfg.Name + " could not be verified. Start again from the sign-in page.",
			Detail: "single sign-on: the ID token's nonce is not this sign-in's"}
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, "", fmt.Errorf("people: unreadable ID token claims: %w", err)
	}
	id, refusal := readIdentity(cfg, idt.Issuer, idt.Subject, claims)
	if refusal != nil {
		return nil, "", refusal
	}
	u, err := s.signInIdentity(ctx, id, cb.IP)
	return u, pend.Next, err
}

// identity is what Frontline takes from a verified ID token.
type identity struct {
	Issuer, Subject string
	Email           string // lower-cased, "" when the claim names a username
	Username        string // a claim value without '@': a username account
	Name            string
	Groups          []string
	GroupsOverage   bool // the provider left the groups out (Entra ID's overage)
}

// readIdentity reads the person from the claims, per the configuration.
// Providers differ: Entra ID may name a person by preferred_username or upn
// instead of email, and replaces the groups by a pointer to Microsoft
// Graph when there are too many (the "overage", _claim_names.groups);
// Keycloak writes group paths with a leading slash ("/Acme/Sales"); Google
// says which Workspace the account belongs to in hd.
func readIdentity(cfg config.SSO, issuer, subject string, claims map[string]any) (identity, *SSORefused) {
	id := identity{Issuer: issuer, Subject: subject}
	if cfg.HostedDomain != "" {
		if hd, _ := claims["hd"].(string); !strings.EqualFold(hd, cfg.HostedDomain) {
			return id, &SSORefused{Message: "Sign in with your " + cfg.HostedDomain + " account.",
				Detail: fmt.Sprintf("single sign-on: hosted domain %q is not %q", clip(hd, 100), cfg.HostedDomain)}
		}
	}
	// The first claim with a value names the person: an email when it
	// holds '@', otherwise a username (staff without email, named by an
	// employee number or a login such as Keycloak's preferred_username).
	for _, c := range cfg.EmailClaims {
		if v, _ := claims[c].(string); strings.TrimSpace(v) != "" {
			if store.IsEmailIdentifier(v) {
				id.Email = store.NormaliseEmail(v)
			} else {
				id.Username = store.NormaliseUsername(v)
			}
			break
		}
	}
	if id.Email == "" && id.Username == "" {
		return id, &SSORefused{Message: cfg.Name + " did not say who you are (no email address or username). Ask your administrator to check the single sign-on set-up.",
			Detail: "single sign-on: none of the claims " + strings.Join(cfg.EmailClaims, ", ") + " holds a value"}
	}
	if id.Username != "" && !store.ValidUsername(id.Username) {
		return id, &SSORefused{Message: cfg.Name + " named you by " + clip(id.Username, 100) + ", which cannot be a Frontline username. Ask your administrator to check the single sign-on set-up.",
			Detail: fmt.Sprintf("single sign-on: %q is neither an email address nor a valid username", clip(id.Username, 254))}
	}
	// An address the provider itself says is unverified could be anyone's:
	// linking it to an account would hand that account over.
	if v, ok := claims["email_verified"]; ok && id.Email != "" && (v == false || v == "false") {
		return id, &SSORefused{Message: cfg.Name + " has not verified your email address. Verify it there, then sign in again.",
			Detail: "single sign-on: email_verified is false for " + clip(id.Email, 254)}
	}
	id.Name, _ = claims["name"].(string)
	if strings.TrimSpace(id.Name) == "" {
		given, _ := claims["given_name"].(string)
		family, _ := claims["family_name"].(string)
		id.Name = strings.TrimSpace(given + " " + family)
	}
	if strings.TrimSpace(id.Name) == "" {
		id.Name, _, _ = strings.Cut(id.identifier(), "@")
	}
	id.Name = clip(strings.TrimSpace(id.Name), 200)
	if cfg.GroupsClaim != "" {
		switch v := claims[cfg.GroupsClaim].(type) {
		case string:
			id.Groups = []string{v}
		case []any:
			for _, g := range v {
				if s, ok := g.(string); ok {
					id.Groups = append(id.Groups, s)
				}
			}
		}
		if names, ok := claims["_claim_names"].(map[string]any); ok && names[cfg.GroupsClaim] != nil {
			id.GroupsOverage = true
		}
	}
	return id, nil
}

// identifier is the email, else the username (store.User.Identifier).
func (id identity) identifier() string {
	if id.Email != "" {
		return id.Email
	}
	return id.Username
}

// team is the configured team path of the first of the person's groups
// that the mapping names. A Keycloak group path ("/Acme/Sales") matches
// a key written with or without its leading slash.
func (id identity) team(teams map[string]string) (group, path string) {
	for _, g := range id.Groups {
		if p, ok := teams[g]; ok {
			return g, p
		}
		if p, ok := teams[strings.TrimPrefix(g, "/")]; ok {
			return g, p
		}
	}
	return "", ""
}

// signInIdentity finds or creates the person of a verified identity and
// audits the sign-in, in one transaction.
func (s *Service) signInIdentity(ctx context.Context, id identity, ip string) (*store.User, error) {
	cfg := s.SSO.Config
	now := s.Now()
	by := store.Actor{IP: ip}
	var u *store.User
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		u, err = tx.UserByIdentity(ctx, id.Issuer, id.Subject)
		created := false
		switch {
		case err == nil:
			if err := tx.TouchIdentity(ctx, id.Issuer, id.Subject, now); err != nil {
				return err
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		default:
			u, created, err = s.linkOrCreate(ctx, tx, id, ip)
			if err != nil {
				return err
			}
		}
		if !u.Active {
			return &SSORefused{Message: "Your Frontline account has been deactivated. Ask your manager or administrator if this is a mistake.",
				Detail: "single sign-on: the account " + u.Identifier() + " is deactivated"}
		}
		by.ID = u.ID
		if !created {
			// The provider is where people move between teams: each
			// sign-in brings the team its groups map to (creation has
			// just done so).
			if err := s.followGroups(ctx, tx, u, id, by); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, by.Entry(ActionSignInSuccess, u.Identifier(), "single sign-on ("+cfg.Name+")", now))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// followGroups moves a person to the team their groups map to, when one
// does and it is not already theirs, audited as any team change. No mapped
// group (or groups the provider left out) leaves the team as it is: an
// admin may have placed the person by hand.
func (s *Service) followGroups(ctx context.Context, tx *store.Store, u *store.User, id identity, by store.Actor) error {
	group, path := id.team(s.SSO.Config.TeamMap)
	if path == "" {
		return nil
	}
	t, err := s.teamByPath(ctx, tx, path)
	if errors.Is(err, store.ErrNotFound) {
		return nil // reported at creation; a sign-in is no place to fail for it
	} else if err != nil {
		return err
	}
	cur, err := tx.TeamOf(ctx, u.ID)
	if err == nil && cur.ID == t.ID {
		return nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := tx.SetTeam(ctx, u.ID, t.ID, s.Now(), s.Location); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s joins, by single sign-on (group %q)", u.Identifier(), clip(group, 100))
	if err == nil {
		detail = fmt.Sprintf("%s joins from %s, by single sign-on (group %q)", u.Identifier(), cur.Name, clip(group, 100))
	}
	return tx.Audit(ctx, by.Entry("team.member", teamTarget(t.ID), detail, s.Now()))
}

// linkOrCreate links a first-time identity to the account with its email
// (or username), or creates a learner when just-in-time creation is on;
// created says which.
func (s *Service) linkOrCreate(ctx context.Context, tx *store.Store, id identity, ip string) (*store.User, bool, error) {
	cfg := s.SSO.Config
	now := s.Now()
	link := func(u *store.User) error {
		return tx.LinkIdentity(ctx, &store.UserIdentity{UserID: u.ID, Issuer: id.Issuer, Subject: id.Subject, CreatedAt: now, LastUsedAt: now})
	}
	u, err := tx.UserByIdentifier(ctx, id.identifier())
	if err == nil {
		return u, false, link(u)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	if !cfg.JIT {
		return nil, false, &SSORefused{Message: "There is no Frontline account for " + clip(id.identifier(), 254) + ". Ask your manager or administrator to add you.",
			Detail: "single sign-on: no account for " + clip(id.identifier(), 254) + " and creating accounts is off"}
	}
	if a, err := mail.ParseAddress(id.Email); id.Email != "" && (err != nil || a.Address != id.Email) {
		return nil, false, &SSORefused{Message: cfg.Name + " did not send an email address, so no account could be made. Ask your administrator to add you.",
			Detail: fmt.Sprintf("single sign-on: %q is not an email address", clip(id.Email, 254))}
	}
	u = &store.User{Email: id.Email, Username: id.Username, Name: id.Name, Role: string(auth.Learner), Active: true, CreatedAt: store.Now(now)}
	if err := tx.CreateUser(ctx, u); err != nil {
		return nil, false, err
	}
	if err := link(u); err != nil {
		return nil, false, err
	}
	detail := "learner, by single sign-on"
	group, path := id.team(cfg.TeamMap)
	switch {
	case path != "":
		t, err := s.teamByPath(ctx, tx, path)
		if errors.Is(err, store.ErrNotFound) {
			detail += fmt.Sprintf("; group %q maps to team %q, which does not exist", clip(group, 100), path)
			break
		} else if err != nil {
			return nil, false, err
		}
		if err := tx.SetTeam(ctx, u.ID, t.ID, now, s.Location); err != nil {
			return nil, false, err
		}
		detail += fmt.Sprintf("; team %s (group %q)", path, clip(group, 100))
	case id.GroupsOverage:
		detail += "; the provider left the groups out (too many), so no team"
	}
	if err := tx.Audit(ctx, store.Actor{ID: u.ID, IP: ip}.Entry(ActionUserCreateSSO, u.Identifier(), detail, now)); err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// teamByPath walks the team tree by names: "Acme/North/Leeds".
func (s *Service) teamByPath(ctx context.Context, tx *store.Store, path string) (*store.Team, error) {
	var parent int64
	var found *store.Team
	for _, name := range strings.Split(path, "/") {
		name = strings.TrimSpace(name)
		kids, err := tx.ChildTeams(ctx, parent)
		if err != nil {
			return nil, err
		}
		found = nil
		for i := range kids {
			if strings.EqualFold(kids[i].Name, name) {
				found = &kids[i]
				break
			}
		}
		if found == nil {
			return nil, fmt.Errorf("people: team %q: %w", path, store.ErrNotFound)
		}
		parent = found.ID
	}
	return found, nil
}

// clip shortens what a provider or stranger sent before it is stored.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// ErrSSOOnly is a right password (or passkey) of someone who must sign in
// through the identity provider: with FRONTLINE_OIDC_ONLY, only admins may
// use another way, so that a broken provider cannot lock everyone out.
var ErrSSOOnly = errors.New("people: this organisation signs in through its identity provider")

// ssoOnly reports whether u must sign in through the identity provider.
func (s *Service) ssoOnly(u *store.User) bool {
	return s.SSO != nil && s.SSO.Config.Only && u.Role != string(auth.Admin)
}

// SSOName is the provider's name for the sign-in button, "" when single
// sign-on is off; SSOOnly says whether it is the only way in for most.
func (s *Service) SSOName() string {
	if s.SSO == nil {
		return ""
	}
	return s.SSO.Config.Name
}

// SSOOnly reports whether people other than admins must use single sign-on.
func (s *Service) SSOOnly() bool { return s.SSO != nil && s.SSO.Config.Only }
