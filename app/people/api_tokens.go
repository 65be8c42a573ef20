package people

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// API tokens: an admin makes one in the browser for a program, sees it
// once, and may revoke it; the program sends it as a bearer token.

var (
	// ErrTokenUnknown is a bearer token nobody made.
	ErrTokenUnknown = errors.New("people: unknown API token")
	// ErrTokenRevoked is a token an admin revoked.
	ErrTokenRevoked = errors.New("people: the API token was revoked")
	// ErrTokenExpired is a token past its expiry.
	ErrTokenExpired = errors.New("people: the API token has expired")
)

// TokenTouchEvery bounds how often a token's "last used" is written: at
// most once a minute per token, so a busy program does not turn every read
// into an update of the same row.
const TokenTouchEvery = time.Minute

// NewAPIToken is what an admin types to make a token.
type NewAPIToken struct {
	Name    string
	Scopes  []string
	Expires string // days from today, "" for no expiry
}

// CreateAPIToken makes a token and returns it with its secret, which is
// shown once and never stored.
func (s *Service) CreateAPIToken(ctx context.Context, by store.Actor, n NewAPIToken) (*store.APIToken, string, error) {
	fe := FormError{}
	name := strings.TrimSpace(n.Name)
	if name == "" {
		fe["name"] = "Name the token after the program that will use it."
	} else if len(name) > 200 {
		fe["name"] = "A name can be at most 200 characters."
	}
	scopes, ok := auth.ParseScopes(strings.Join(n.Scopes, " "))
	if !ok || len(scopes) == 0 {
		fe["scopes"] = "Choose at least one scope."
	}
	var expires time.Time
	if d := strings.TrimSpace(n.Expires); d != "" {
		days, err := strconv.Atoi(d)
		if err != nil || days < 1 || days > 3660 {
			fe["expires"] = "Enter a number of days from 1 to 3660, or leave it empty for no expiry."
		} else {
			expires = s.Now().AddDate(0, 0, days)
		}
	}
	if len(fe) > 0 {
		return nil, "", fe
	}
	secret := auth.APITokenPrefix + auth.NewToken()
	t := &store.APIToken{Name: name, TokenHash: auth.HashToken(secret), Scopes: auth.JoinScopes(scopes),
		CreatedBy: by.ID, CreatedAt: s.Now(), ExpiresAt: expires}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("api_token.create", tokenTarget(t.ID), name+" ("+t.Scopes+")", s.Now()))
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// RevokeAPIToken stops a token working at once, on every instance: each
// request reads the token's row.
func (s *Service) RevokeAPIToken(ctx context.Context, by store.Actor, id int64) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		t, err := tx.APIToken(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.RevokeAPIToken(ctx, id, s.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("api_token.revoke", tokenTarget(id), t.Name, s.Now()))
	})
}

// APITokens lists the tokens, newest first.
func (s *Service) APITokens(ctx context.Context) ([]store.APIToken, error) {
	return s.Store.APITokens(ctx)
}

// Authenticate returns the token a bearer secret names, if it still works.
func (s *Service) Authenticate(ctx context.Context, secret string) (*store.APIToken, error) {
	if !strings.HasPrefix(secret, auth.APITokenPrefix) {
		return nil, ErrTokenUnknown
	}
	t, err := s.Store.APITokenByHash(ctx, auth.HashToken(secret))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrTokenUnknown
	case err != nil:
		return nil, err
	case !t.RevokedAt.IsZero():
		return nil, ErrTokenRevoked
	case !t.ExpiresAt.IsZero() && !s.Now().Before(t.ExpiresAt):
		return nil, ErrTokenExpired
	}
	return t, nil
}

// RecordAPIUse writes the audit row of one request made with a token —
// every use is audited — and moves its "last used" forward, at most once
// per TokenTouchEvery, in the same transaction: one commit per request.
func (s *Service) RecordAPIUse(ctx context.Context, t *store.APIToken, ip, method, path string, status int) error {
	now := s.Now()
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if now.Sub(t.LastUsedAt) >= TokenTouchEvery {
			if err := tx.TouchAPIToken(ctx, t.ID, now); err != nil {
				return err
			}
		}
		by := store.Actor{ID: t.CreatedBy, IP: ip}
		return tx.Audit(ctx, by.Entry("api.request", tokenTarget(t.ID), method+" "+path+" "+strconv.Itoa(status), now))
	})
}

func tokenTarget(id int64) string { return "api_token:" + strconv.FormatInt(id, 10) }
