package people

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// Passkeys signs people in with WebAuthn credentials they registered in
// Settings. Sign-in uses discoverable credentials: the authenticator says
// whose passkey it is, so nobody types a name. The challenge of a ceremony
// in progress lives in the database (signin_challenges), is taken once and
// expires after PasskeyLifetime, so any instance can finish it.
type Passkeys struct {
	WebAuthn *webauthn.WebAuthn
}

// PasskeyLifetime is how long a person has to answer their authenticator.
const PasskeyLifetime = 5 * time.Minute

// passkeyThrottleKey is the account passkey sign-ins are counted under:
// whose passkey it is is known only once it checks out, so failures count
// against the address (see auth/throttle.go).
const passkeyThrottleKey = "(passkey)"

// Audit actions of passkeys.
const (
	ActionPasskeyAdd    = "passkey.add"
	ActionPasskeyRename = "passkey.rename"
	ActionPasskeyRemove = "passkey.remove"
)

// ErrPasskeyFailed is a passkey sign-in or registration that did not check
// out: an unknown or removed passkey, a wrong signature, an expired or used
// challenge. It does not say which.
var ErrPasskeyFailed = errors.New("people: the passkey could not be verified")

// ErrPasskeysOff is a base URL that cannot be a WebAuthn relying party.
var ErrPasskeysOff = errors.New("people: passkeys need FRONTLINE_BASE_URL to be https, or http://localhost")

// NewPasskeys makes the relying party of baseURL: its host is the RP ID and
// its origin the one origin accepted. Browsers allow WebAuthn only in a
// secure context, so the base URL must be https, or http on localhost; an
// IP address is never a valid RP ID.
func NewPasskeys(baseURL string) (*Passkeys, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return nil, ErrPasskeysOff
	}
	host := u.Hostname()
	if net.ParseIP(host) != nil || (u.Scheme != "https" && !(u.Scheme == "http" && (host == "localhost" || strings.HasSuffix(host, ".localhost")))) {
		return nil, ErrPasskeysOff
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID: host, RPDisplayName: "Frontline", RPOrigins: []string{u.Scheme + "://" + u.Host},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: PasskeyLifetime, TimeoutUVD: PasskeyLifetime},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: PasskeyLifetime, TimeoutUVD: PasskeyLifetime},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("people: passkeys: %w", err)
	}
	return &Passkeys{WebAuthn: wa}, nil
}

// passkeyUser is a person as the WebAuthn library sees them. The user
// handle is their ID in decimal: opaque to anyone else, stable, no PII.
type passkeyUser struct {
	u     *store.User
	creds []webauthn.Credential
}

func (p passkeyUser) WebAuthnID() []byte                         { return []byte(strconv.FormatInt(p.u.ID, 10)) }
func (p passkeyUser) WebAuthnName() string                       { return p.u.Identifier() }
func (p passkeyUser) WebAuthnDisplayName() string                { return p.u.Name }
func (p passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

func credentials(ps []store.Passkey) ([]webauthn.Credential, error) {
	out := make([]webauthn.Credential, 0, len(ps))
	for _, p := range ps {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(p.Data), &c); err != nil {
			return nil, fmt.Errorf("people: passkey %d is unreadable: %w", p.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func credentialID(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }

// PasskeyOptions is what the browser hands to navigator.credentials: the
// options, and the key that names this ceremony when the answer comes back.
type PasskeyOptions struct {
	Key       string `json:"key"`
	PublicKey any    `json:"publicKey"`
}

func (s *Service) passkeys() (*webauthn.WebAuthn, error) {
	if s.Passkeys == nil {
		return nil, ErrPasskeysOff
	}
	return s.Passkeys.WebAuthn, nil
}

// saveCeremony stores a ceremony's session data under a new key.
func (s *Service) saveCeremony(ctx context.Context, kind string, userID *int64, sd *webauthn.SessionData) (string, error) {
	data, err := json.Marshal(sd)
	if err != nil {
		return "", err
	}
	key := auth.NewToken()
	now := s.Now()
	err = s.Store.CreateChallenge(ctx, &store.SignInChallenge{Kind: kind, KeyHash: auth.HashToken(key), UserID: userID,
		Data: string(data), CreatedAt: now, ExpiresAt: now.Add(PasskeyLifetime)})
	return key, err
}

// takeCeremony takes (once) the session data stored under key.
func (s *Service) takeCeremony(ctx context.Context, tx *store.Store, kind, key string) (*store.SignInChallenge, webauthn.SessionData, error) {
	var sd webauthn.SessionData
	ch, err := tx.TakeChallenge(ctx, kind, auth.HashToken(key), s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, sd, fmt.Errorf("%w: challenge unknown, used or expired", ErrPasskeyFailed)
	} else if err != nil {
		return nil, sd, err
	}
	if err := json.Unmarshal([]byte(ch.Data), &sd); err != nil {
		return nil, sd, fmt.Errorf("people: unreadable passkey challenge: %w", err)
	}
	return ch, sd, nil
}

// BeginPasskeyAdd starts registering a passkey for u: a discoverable
// credential with user verification, excluding the ones u has already.
func (s *Service) BeginPasskeyAdd(ctx context.Context, u *store.User) (*PasskeyOptions, error) {
	wa, err := s.passkeys()
	if err != nil {
		return nil, err
	}
	ps, err := s.Store.Passkeys(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	creds, err := credentials(ps)
	if err != nil {
		return nil, err
	}
	pu := passkeyUser{u: u, creds: creds}
	creation, sd, err := wa.BeginRegistration(pu,
		webauthn.WithExclusions(webauthn.Credentials(creds).CredentialDescriptors()),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationRequired}))
	if err != nil {
		return nil, fmt.Errorf("people: begin passkey registration: %w", err)
	}
	key, err := s.saveCeremony(ctx, store.ChallengePasskeyAdd, &u.ID, sd)
	if err != nil {
		return nil, err
	}
	return &PasskeyOptions{Key: key, PublicKey: creation.Response}, nil
}

// PasskeyName is what a person may call a passkey.
func PasskeyName(name string, now time.Time) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "Passkey added " + now.Format("2 Jan 2006"), nil
	case len([]rune(name)) > 100:
		return "", FormError{"name": "A passkey's name can be at most 100 characters."}
	}
	return name, nil
}

// FinishPasskeyAdd checks the authenticator's answer to the ceremony named
// by key, begun by the same person, and stores the passkey.
func (s *Service) FinishPasskeyAdd(ctx context.Context, by store.Actor, key, name string, response []byte) (*store.Passkey, error) {
	wa, err := s.passkeys()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if name, err = PasskeyName(name, now); err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPasskeyFailed, err)
	}
	var pk *store.Passkey
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		ch, sd, err := s.takeCeremony(ctx, tx, store.ChallengePasskeyAdd, key)
		if err != nil {
			return err
		}
		if ch.UserID == nil || *ch.UserID != by.ID {
			return fmt.Errorf("%w: the ceremony was begun by someone else", ErrPasskeyFailed)
		}
		u, err := tx.UserByID(ctx, by.ID)
		if err != nil {
			return err
		}
		cred, err := wa.CreateCredential(passkeyUser{u: u}, sd, parsed)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrPasskeyFailed, err)
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return err
		}
		pk = &store.Passkey{UserID: u.ID, CredentialID: credentialID(cred.ID), Name: name, Data: string(data), CreatedAt: now}
		if err := tx.AddPasskey(ctx, pk); errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("%w: this passkey is registered already", ErrPasskeyFailed)
		} else if err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry(ActionPasskeyAdd, u.Identifier(), name, now))
	})
	return pk, err
}

// RenamePasskey renames one of the person's own passkeys.
func (s *Service) RenamePasskey(ctx context.Context, by store.Actor, id int64, name string) error {
	now := s.Now()
	name, err := PasskeyName(name, now)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.RenamePasskey(ctx, by.ID, id, name); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry(ActionPasskeyRename, userTarget(by.ID), name, now))
	})
}

// RemovePasskey deletes one of the person's own passkeys: it signs nobody
// in from then on.
func (s *Service) RemovePasskey(ctx context.Context, by store.Actor, id int64) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.RemovePasskey(ctx, by.ID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry(ActionPasskeyRemove, userTarget(by.ID), "passkey "+strconv.FormatInt(id, 10), s.Now()))
	})
}

// BeginPasskeySignIn starts a discoverable sign-in: no user named, user
// verification required (the passkey replaces the password, not adds to it).
func (s *Service) BeginPasskeySignIn(ctx context.Context) (*PasskeyOptions, error) {
	wa, err := s.passkeys()
	if err != nil {
		return nil, err
	}
	assertion, sd, err := wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, fmt.Errorf("people: begin passkey sign-in: %w", err)
	}
	key, err := s.saveCeremony(ctx, store.ChallengePasskeySignIn, nil, sd)
	if err != nil {
		return nil, err
	}
	return &PasskeyOptions{Key: key, PublicKey: assertion.Response}, nil
}

// PasskeySignIn finishes a passkey sign-in. It obeys the sign-in throttle
// (failures count against the address) but not the password pool: there
// is no slow hash to bound. It is audited like a password sign-in.
func (s *Service) PasskeySignIn(ctx context.Context, key string, response []byte, address string) (*store.User, error) {
	wa, err := s.passkeys()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if err := s.reservePasskeyTry(ctx, address, now); err != nil {
		return nil, err
	}
	var u *store.User
	var pk *store.Passkey
	var reason string
	ssoOnly := false
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		_, sd, err := s.takeCeremony(ctx, tx, store.ChallengePasskeySignIn, key)
		if errors.Is(err, ErrPasskeyFailed) {
			reason = "challenge unknown, used or expired"
			return nil
		} else if err != nil {
			return err
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
		if err != nil {
			reason = "unreadable answer"
			return nil
		}
		handler := func(rawID, userHandle []byte) (webauthn.User, error) {
			p, err := tx.PasskeyByCredential(ctx, credentialID(rawID))
			if err != nil {
				return nil, err
			}
			owner, err := tx.UserByID(ctx, p.UserID)
			if err != nil {
				return nil, err
			}
			creds, err := credentials([]store.Passkey{*p})
			if err != nil {
				return nil, err
			}
			pk, u = p, owner
			return passkeyUser{u: owner, creds: creds}, nil
		}
		_, cred, err := wa.ValidatePasskeyLogin(handler, sd, parsed)
		switch {
		case err != nil && u == nil:
			reason = "unknown passkey"
			return nil
		case err != nil:
			reason = "the passkey's answer did not verify"
			return nil
		case cred.Authenticator.CloneWarning:
			reason = "the passkey's counter went backwards (a cloned authenticator?)"
			return nil
		case !u.Active:
			reason = "the account is deactivated"
			return nil
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return err
		}
		if err := tx.UsePasskey(ctx, pk.ID, string(data), now); err != nil {
			return err
		}
		if err := tx.ReleaseSignIns(ctx, passkeyThrottleKey, address); err != nil {
			return err
		}
		by := store.Actor{ID: u.ID, IP: address}
		if s.ssoOnly(u) {
			ssoOnly = true
			return tx.Audit(ctx, by.Entry(ActionSignInFailure, u.Identifier(), "passkey sign-in is off: single sign-on only", now))
		}
		return tx.Audit(ctx, by.Entry(ActionSignInSuccess, u.Identifier(), "passkey "+pk.Name, now))
	})
	switch {
	case err != nil:
		return nil, err
	case ssoOnly:
		return nil, ErrSSOOnly
	case reason != "":
		target := passkeyThrottleKey
		if u != nil {
			target = u.Identifier()
		}
		if err := s.Store.Audit(ctx, store.Actor{IP: address}.Entry(ActionSignInFailure, target, "passkey: "+reason, now)); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s", ErrPasskeyFailed, reason)
	}
	return u, nil
}

// reservePasskeyTry counts a passkey sign-in against the address under the
// sign-in throttle, or refuses it (audited) when the address is over.
func (s *Service) reservePasskeyTry(ctx context.Context, address string, now time.Time) error {
	var refused *Throttled
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockSignInAddress(ctx, address, now); err != nil {
			return err
		}
		h, err := tx.SignInHistory(ctx, passkeyThrottleKey, address, now.Add(-auth.ThrottleWindow))
		if err != nil {
			return err
		}
		if reason, wait := auth.Throttle(h, now); reason != "" {
			refused = &Throttled{Reason: reason, RetryAfter: wait}
			return tx.Audit(ctx, store.Actor{IP: address}.Entry(ActionSignInThrottled, passkeyThrottleKey,
				fmt.Sprintf("passkey: %s; retry after %s", reason, wait.Round(time.Second)), now))
		}
		_, err = tx.ReserveSignIn(ctx, passkeyThrottleKey, address, now)
		return err
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	return nil
}

// PasskeyList is a person's passkeys, for Settings.
func (s *Service) PasskeyList(ctx context.Context, userID int64) ([]store.Passkey, error) {
	return s.Store.Passkeys(ctx, userID)
}

// PasskeysOn reports whether passkeys can be used with this base URL.
func (s *Service) PasskeysOn() bool { return s.Passkeys != nil }
