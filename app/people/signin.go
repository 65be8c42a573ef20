package people

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// ErrBadCredentials is a sign-in whose email (or username) and password do
// not match an active account. It does not say which of the two was wrong.
var ErrBadCredentials = errors.New("people: the email or username and password do not match an account")

// Throttled is a sign-in refused before its password was checked, under the
// policy in auth (throttle.go).
type Throttled struct {
	Reason     string
	RetryAfter time.Duration
}

func (e *Throttled) Error() string {
	return fmt.Sprintf("people: sign-in refused (%s), try again in %s", e.Reason, e.RetryAfter)
}

// Audit actions of signing in.
const (
	ActionSignInSuccess   = "signin.success"
	ActionSignInFailure   = "signin.failure"
	ActionSignInThrottled = "signin.throttled"
)

// throttleKey is the account an attempt is counted against and audited
// under: the account's identifier (store.User.Identifier) when the typed
// email or username names one — so a person with both has one count, not
// two — else what was typed, normalised, made storable whatever a stranger
// sends (valid UTF-8, no NUL, which PostgreSQL refuses in text) and at most
// 254 bytes, the longest valid address, so that it fits an index entry.
func throttleKey(account string) string {
	k := strings.ToValidUTF8(strings.ReplaceAll(account, "\x00", "\uFFFD"), "\uFFFD")
	if len(k) > 254 {
		k = strings.ToValidUTF8(k[:254], "")
	}
	return k
}

// SignIn checks a password typed at address (the client's IP address) in
// three steps, so that the slow hash runs outside any transaction:
//
//  0. it takes a place among the checks running or waiting (auth.Pool), or
//     is turned away busy before touching the database;
//  1. the account the identifier names is looked up (its throttle key is
//     the account's, whichever identifier was typed); one transaction
//     locks the address, counts the attempts in the window and either
//     reserves this one or refuses it (audited as throttled);
//  2. the password is checked (the same work for an unknown email), once
//     one of the pool's few places is free (auth.Pool);
//  3. one transaction audits the outcome and, on success, releases the
//     reservations of this account from this address.
//
// A check that dies between 1 and 3 leaves its reservation counted, which
// errs on the side of refusing.
//
// identifier is an email when it holds '@', otherwise a username.
func (s *Service) SignIn(ctx context.Context, identifier, password, address string) (*store.User, error) {
	now := s.Now()
	account := store.NormaliseIdentifier(identifier)
	// A place among the checks first: turned away (busy), the sign-in has
	// cost nothing but this answer.
	admitted, err := s.Checks.Admit()
	if err != nil {
		return nil, err
	}
	defer admitted.Leave()
	var u *store.User
	lookup := error(store.ErrNotFound) // nobody's identifier holds bytes a database refuses
	if utf8.ValidString(account) && !strings.ContainsRune(account, 0) {
		u, lookup = s.Store.UserByIdentifier(ctx, account)
	}
	if lookup != nil && !errors.Is(lookup, store.ErrNotFound) {
		return nil, lookup
	}
	key := throttleKey(account)
	if lookup == nil {
		key = throttleKey(u.Identifier())
	}
	var refused *Throttled
	var reserved int64
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockSignInAddress(ctx, address, now); err != nil {
			return err
		}
		h, err := tx.SignInHistory(ctx, key, address, now.Add(-auth.ThrottleWindow))
		if err != nil {
			return err
		}
		if reason, wait := auth.Throttle(h, now); reason != "" {
			refused = &Throttled{Reason: reason, RetryAfter: wait}
			return tx.Audit(ctx, &store.AuditEntry{Action: ActionSignInThrottled, Target: key,
				Detail: fmt.Sprintf("%s; retry after %s", reason, wait.Round(time.Second)), IP: address, At: now})
		}
		reserved, err = tx.ReserveSignIn(ctx, key, address, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}

	err = lookup
	// The hash waits for a place among the few that may run at once; turned
	// away (busy, or the request over), the reservation is taken back: an
	// attempt that was never checked counts against nobody.
	release, aerr := admitted.Check(ctx)
	if aerr != nil {
		if cerr := s.Store.CancelSignIn(context.WithoutCancel(ctx), reserved); cerr != nil {
			return nil, cerr
		}
		return nil, aerr
	}
	ok := false
	if err != nil {
		auth.CheckNoAccount(password)
	} else {
		// Check before looking at Active, so a deactivated account takes
		// as long as any other.
		ok = auth.CheckPassword(u.PasswordHash, password) && u.Active
	}
	release()
	ssoOnly := ok && s.ssoOnly(u)

	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if !ok {
			return tx.Audit(ctx, &store.AuditEntry{Action: ActionSignInFailure, Target: key, IP: address, At: now})
		}
		if err := tx.ReleaseSignIns(ctx, key, address); err != nil {
			return err
		}
		if ssoOnly {
			return tx.Audit(ctx, &store.AuditEntry{ActorID: &u.ID, Action: ActionSignInFailure, Target: key, IP: address, At: now,
				Detail: "password sign-in is off: single sign-on only"})
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: &u.ID, Action: ActionSignInSuccess, Target: key, IP: address, At: now})
	})
	switch {
	case err != nil:
		return nil, err
	case ssoOnly:
		return nil, ErrSSOOnly
	case !ok:
		return nil, ErrBadCredentials
	}
	return u, nil
}
