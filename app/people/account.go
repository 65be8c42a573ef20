package people

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/store"
)

// Password accounts: recovery by mail, links issued by an admin or a
// manager, changing a password, and the sessions a person has open. Every
// link is random, kept only as its hash, single use, expiring, and limited
// per person and per address; its use and its issue are audited in the
// transaction that makes them.

var (
	// ErrNoMail is a recovery asked for while no mail server is configured.
	ErrNoMail = errors.New("people: no mail server is configured")
	// ErrNotYours is a manager issuing a link for someone outside the teams
	// they manage.
	ErrNotYours = errors.New("people: this person is not in a team you manage")
	// ErrInactive is a link asked for a deactivated account.
	ErrInactive = errors.New("people: this account is deactivated")
	// ErrTooManyLinks is the per-person limit on issued links.
	ErrTooManyLinks = errors.New("people: too many links for this person in the last hour")
)

// Audit actions of password accounts.
const (
	ActionResetRequest   = "account.reset_request"
	ActionResetThrottled = "account.reset_throttled"
	ActionReset          = "account.reset"
	ActionLinkIssue      = "signin.link_issue"
	ActionLinkUse        = "signin.link"
	ActionPassword       = "account.password"
	ActionPasswordFail   = "account.password_failure"
	ActionSignOutOthers  = "account.signout_others"
)

// RequestReset mails a one-time reset link to the account with that email,
// if there is one, it is active, and it has not had MaxResetLinks in the
// last hour. The answer is the same whether or not anyone has the address:
// nil, or Throttled when this address asked too often for this account (or
// for any, past the sign-in cap). The request is audited either way.
func (s *Service) RequestReset(ctx context.Context, email, address string) error {
	if !s.MailOn {
		return ErrNoMail
	}
	now := s.Now()
	account := store.NormaliseEmail(email)
	key := throttleKey("reset:" + account)
	var refused *Throttled
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockSignInAddress(ctx, address, now); err != nil {
			return err
		}
		h, err := tx.SignInHistory(ctx, key, address, now.Add(-auth.ThrottleWindow))
		if err != nil {
			return err
		}
		switch {
		case h.Pair >= auth.MaxResetRequests:
			refused = &Throttled{Reason: "recovery of this account from this address", RetryAfter: h.PairOldest.Add(auth.ThrottleWindow).Sub(now)}
		case h.Address >= auth.MaxAddressFailures:
			refused = &Throttled{Reason: auth.ThrottledAddress, RetryAfter: h.AddressOldest.Add(auth.ThrottleWindow).Sub(now)}
		}
		if refused != nil {
			return tx.Audit(ctx, &store.AuditEntry{Action: ActionResetThrottled, Target: key,
				Detail: fmt.Sprintf("%s; retry after %s", refused.Reason, refused.RetryAfter.Round(time.Second)), IP: address, At: now})
		}
		if _, err := tx.ReserveSignIn(ctx, key, address, now); err != nil {
			return err
		}
		detail, err := s.mailReset(ctx, tx, account, now)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Action: ActionResetRequest, Target: key, Detail: detail, IP: address, At: now})
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	return nil
}

// mailReset queues the reset mail when the account exists and may have one,
// and says for the audit log what it did.
func (s *Service) mailReset(ctx context.Context, tx *store.Store, account string, now time.Time) (string, error) {
	u, err := tx.UserByEmail(ctx, account)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "no such account: nothing sent", nil
	case err != nil:
		return "", err
	case !u.Active:
		return "account deactivated: nothing sent", nil
	}
	n, err := tx.CountTokensSince(ctx, u.ID, store.PurposeReset, now.Add(-auth.LinkRateWindow))
	if err != nil {
		return "", err
	}
	if n >= auth.MaxResetLinks {
		return fmt.Sprintf("%d links in the last hour: nothing sent", n), nil
	}
	t, token, err := s.newLink(ctx, tx, store.PurposeReset, u.ID, nil, auth.ResetLifetime)
	if err != nil {
		return "", err
	}
	msg := mail.ComposeAccountLink(mail.AccountLink{Kind: mail.KindRecovery, To: u.Email, Name: u.Name,
		Link: s.link("/reset/", token), Expires: t.ExpiresAt, Loc: s.Location})
	if err := s.enqueue(ctx, tx, store.MailRecovery, u.ID, t.ID, msg, now); err != nil {
		return "", err
	}
	return "link mailed", nil
}

// newLink retires a person's earlier links of purpose and makes a new one:
// only the newest link works.
func (s *Service) newLink(ctx context.Context, tx *store.Store, purpose string, userID int64, by *int64, life time.Duration) (*store.Token, string, error) {
	now := s.Now()
	if err := tx.RetireTokens(ctx, purpose, userID, now); err != nil {
		return nil, "", err
	}
	token := auth.NewToken()
	t := &store.Token{TokenHash: auth.HashToken(token), Purpose: purpose, UserID: &userID, CreatedBy: by,
		CreatedAt: store.Now(now), ExpiresAt: store.Now(now.Add(life))}
	if err := tx.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// enqueue puts an account mail in the outbox, keyed by its link so that it
// is queued once.
func (s *Service) enqueue(ctx context.Context, tx *store.Store, kind string, userID, tokenID int64, m mail.Message, now time.Time) error {
	_, err := tx.Enqueue(ctx, &store.OutboxMessage{Dedupe: kind + ":" + strconv.FormatInt(tokenID, 10), Kind: kind,
		UserID: userID, To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, CreatedAt: now})
	return err
}

// LinkHolder returns the person a reset or sign-in link is for, while the
// link can be used.
func (s *Service) LinkHolder(ctx context.Context, token, purpose string) (*store.User, error) {
	t, err := s.Store.UsableToken(ctx, auth.HashToken(token), purpose, s.Now())
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.UserID == nil) {
		return nil, ErrLinkUsed
	} else if err != nil {
		return nil, err
	}
	u, err := s.Store.UserByID(ctx, *t.UserID)
	if err == nil && !u.Active {
		return nil, ErrLinkUsed
	}
	return u, err
}

// UseLink redeems a reset link (purpose store.PurposeReset: a new password
// is required) or a sign-in link (store.PurposeSignIn: a new password is
// optional). Either way every other session of the person ends, and the
// caller signs this browser in.
func (s *Service) UseLink(ctx context.Context, token, purpose, password, confirm, address string) (*store.User, error) {
	setPassword := purpose == store.PurposeReset || password != "" || confirm != ""
	var hash string
	if setPassword {
		fe := FormError{}
		checkPassword(fe, password, confirm)
		if len(fe) > 0 {
			return nil, fe
		}
		var err error
		if hash, err = auth.HashPassword(password); err != nil {
			return nil, err
		}
	}
	var u *store.User
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		t, err := s.redeem(ctx, tx, token, purpose)
		if err != nil {
			return err
		}
		if t.UserID == nil {
			return ErrLinkUsed
		}
		if u, err = tx.UserByID(ctx, *t.UserID); err != nil {
			return err
		}
		if !u.Active {
			return ErrLinkUsed
		}
		if setPassword {
			err = tx.SetPassword(ctx, u.ID, hash) // ends every session
		} else {
			err = tx.DeleteUserSessions(ctx, []int64{u.ID})
		}
		if err != nil {
			return err
		}
		// A reset or sign-in link also settles any reset asked meanwhile.
		if err := tx.RetireTokens(ctx, store.PurposeReset, u.ID, s.Now()); err != nil {
			return err
		}
		action, detail := ActionLinkUse, "other sessions ended"
		if purpose == store.PurposeReset {
			action, detail = ActionReset, "new password; other sessions ended"
		} else if setPassword {
			detail = "new password; other sessions ended"
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: &u.ID, Action: action, Target: u.Identifier(), Detail: detail, IP: address, At: s.Now()})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// IssuedLink is a sign-in link an admin or manager hands over.
type IssuedLink struct {
	For     *store.User
	Link    string
	Expires time.Time
}

// IssueSignInLink makes a one-time sign-in link for an active person: any
// person for an admin, a person in a team below one they manage for a
// manager. The link's use ends the person's other sessions.
func (s *Service) IssueSignInLink(ctx context.Context, by *store.User, address string, userID int64) (*IssuedLink, error) {
	u, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if err := s.mayIssue(ctx, by, u); err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, ErrInactive
	}
	var out *IssuedLink
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		n, err := tx.CountTokensSince(ctx, u.ID, store.PurposeSignIn, s.Now().Add(-auth.LinkRateWindow))
		if err != nil {
			return err
		}
		if n >= auth.MaxSignInLinks {
			return ErrTooManyLinks
		}
		t, token, err := s.newLink(ctx, tx, store.PurposeSignIn, u.ID, &by.ID, auth.SignInLinkLifetime)
		if err != nil {
			return err
		}
		out = &IssuedLink{For: u, Link: s.link("/signin/", token), Expires: t.ExpiresAt}
		return tx.Audit(ctx, store.Actor{ID: by.ID, IP: address}.Entry(ActionLinkIssue, u.Identifier(),
			"expires "+t.ExpiresAt.Format(time.RFC3339), s.Now()))
	})
	return out, err
}

// mayIssue is the rule for who may hand someone a way in: admins for
// anyone, managers for the people of the teams they manage and below.
func (s *Service) mayIssue(ctx context.Context, by, u *store.User) error {
	switch auth.Role(by.Role) {
	case auth.Admin:
		return nil
	case auth.Manager:
	default:
		return ErrNotYours
	}
	team, err := s.Store.TeamOf(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotYours
	} else if err != nil {
		return err
	}
	managed, err := s.Store.ManagedTeams(ctx, by.ID)
	if err != nil {
		return err
	}
	for _, t := range managed {
		if strings.HasPrefix(team.Path, t.Path) {
			return nil
		}
	}
	return ErrNotYours
}

// ChangePassword replaces a signed-in person's password after checking the
// current one. The check counts like a sign-in against the sign-in throttle
// (a stolen session cannot guess the password faster than the sign-in page
// allows) and runs in the pool of password checks. On success every session
// of the person ends; the caller signs this browser in again.
func (s *Service) ChangePassword(ctx context.Context, by store.Actor, current, password, confirm string) error {
	u, err := s.Store.UserByID(ctx, by.ID)
	if err != nil {
		return err
	}
	fe := FormError{}
	if current == "" && u.PasswordHash != "" {
		fe["current"] = "Enter your current password."
	}
	checkPassword(fe, password, confirm)
	if len(fe) > 0 {
		return fe
	}
	if u.PasswordHash == "" {
		// Signed in by a link and never chose a password: there is no
		// current one to ask for.
		return s.setOwnPassword(ctx, by, u, password, "")
	}
	now := s.Now()
	key := throttleKey(u.Identifier())
	var refused *Throttled
	var reserved int64
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockSignInAddress(ctx, by.IP, now); err != nil {
			return err
		}
		h, err := tx.SignInHistory(ctx, key, by.IP, now.Add(-auth.ThrottleWindow))
		if err != nil {
			return err
		}
		if reason, wait := auth.Throttle(h, now); reason != "" {
			refused = &Throttled{Reason: reason, RetryAfter: wait}
			return tx.Audit(ctx, by.Entry(ActionSignInThrottled, key, "changing the password: "+reason, now))
		}
		reserved, err = tx.ReserveSignIn(ctx, key, by.IP, now)
		return err
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	release, err := s.Checks.Acquire(ctx)
	if err != nil {
		if cerr := s.Store.CancelSignIn(context.WithoutCancel(ctx), reserved); cerr != nil {
			return cerr
		}
		return err
	}
	ok := auth.CheckPassword(u.PasswordHash, current)
	release()
	if !ok {
		if err := s.Store.Audit(ctx, by.Entry(ActionPasswordFail, u.Identifier(), "wrong current password", now)); err != nil {
			return err
		}
		return FormError{"current": "That is not your current password."}
	}
	return s.setOwnPassword(ctx, by, u, password, key)
}

// setOwnPassword stores a person's new password, ends every session of
// theirs and, after a checked current password, releases its reservation.
func (s *Service) setOwnPassword(ctx context.Context, by store.Actor, u *store.User, password, key string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if key != "" {
			if err := tx.ReleaseSignIns(ctx, key, by.IP); err != nil {
				return err
			}
		}
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry(ActionPassword, u.Identifier(), "every session ended", s.Now()))
	})
}

// SessionView is one signed-in browser as Settings lists it.
type SessionView struct {
	ID         int64
	Device     string
	IP         string
	SignedInAt time.Time
	LastSeenAt time.Time
	Current    bool
}

// Sessions lists a person's open sessions, marking the one asking.
func (s *Service) Sessions(ctx context.Context, userID, currentID int64) ([]SessionView, error) {
	ss, err := s.Store.UserSessions(ctx, userID, s.Now())
	if err != nil {
		return nil, err
	}
	out := make([]SessionView, len(ss))
	for i, x := range ss {
		out[i] = SessionView{ID: x.ID, Device: Device(x.UserAgent), IP: x.IP, SignedInAt: x.CreatedAt,
			LastSeenAt: x.LastSeenAt, Current: x.ID == currentID}
	}
	return out, nil
}

// SignOutOthers ends every session of the person but the one asking, and
// says how many it ended.
func (s *Service) SignOutOthers(ctx context.Context, by store.Actor, keep int64) (int, error) {
	var n int
	err := s.Store.Tx(ctx, func(tx *store.Store) (err error) {
		if n, err = tx.DeleteOtherSessions(ctx, by.ID, keep); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry(ActionSignOutOthers, userTarget(by.ID), strconv.Itoa(n)+" sessions ended", s.Now()))
	})
	return n, err
}

// Device names the browser and system a User-Agent describes, in the words
// a person would use ("Chrome on Android"). It is a hint for recognising a
// session, not an identification: the header is whatever the client sends.
func Device(ua string) string {
	if ua == "" {
		return "Unknown device"
	}
	has := func(s string) bool { return strings.Contains(ua, s) }
	var browser string
	switch {
	case has("Edg/"):
		browser = "Edge"
	case has("OPR/"), has("Opera"):
		browser = "Opera"
	case has("SamsungBrowser/"):
		browser = "Samsung Internet"
	case has("Firefox/"), has("FxiOS/"):
		browser = "Firefox"
	case has("Chrome/"), has("CriOS/"), has("Chromium/"):
		browser = "Chrome"
	case has("Safari/"):
		browser = "Safari"
	case has("curl/"):
		browser = "curl"
	default:
		browser = "A browser"
	}
	var system string
	switch {
	case has("iPhone"):
		system = "iPhone"
	case has("iPad"):
		system = "iPad"
	case has("Android"):
		system = "Android"
	case has("Windows"):
		system = "Windows"
	case has("Mac OS X"), has("Macintosh"):
		system = "Mac"
	case has("CrOS"):
		system = "ChromeOS"
	case has("Linux"):
		system = "Linux"
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}

// SetRole changes a person's role. Nobody may leave the organisation
// without an active admin.
func (s *Service) SetRole(ctx context.Context, by store.Actor, userID int64, role auth.Role) (*store.User, error) {
	if !role.Valid() {
		return nil, FormError{"role": "Choose a role."}
	}
	var u *store.User
	err := s.Store.Tx(ctx, func(tx *store.Store) (err error) {
		if err := tx.LockAdmins(ctx); err != nil {
			return err
		}
		if u, err = tx.UserByID(ctx, userID); err != nil {
			return err
		}
		if u.Role == string(role) {
			return nil
		}
		if err := tx.SetRole(ctx, userID, string(role)); err != nil {
			return err
		}
		if auth.Role(u.Role) == auth.Admin {
			n, err := tx.CountActiveAdmins(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				return ErrLastAdmin
			}
		}
		detail := u.Role + " → " + string(role)
		u.Role = string(role)
		return tx.Audit(ctx, by.Entry("user.role", u.Identifier(), detail, s.Now()))
	})
	return u, err
}
