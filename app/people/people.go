// Package people adds people and gives them a way in: the one-time setup link
// that creates the first admin, invitations, adding people from the browser
// or the shell, and signing in with a password under the throttle that
// auth/throttle.go describes. It holds the rules; the store holds the SQL.
package people

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
)

// Service adds people and issues their links.
type Service struct {
	Store    *store.Store
	BaseURL  string
	Now      func() time.Time
	Location *time.Location // the organisation's calendar: due dates of people joining a team
	Checks   *auth.Pool     // bounds the password checks of sign-ins running at once
	MailOn   bool           // a mail server is configured: recovery and invitations go by mail
	SSO      *SSO           // single sign-on (sso.go); nil when not configured
	Passkeys *Passkeys      // passkey sign-in (passkey.go); nil when the base URL cannot be a relying party
}

// FormError lists what is wrong with a form, field by field, so the form can
// come back with what was typed and a reason beside each field.
type FormError map[string]string

func (e FormError) Error() string {
	parts := make([]string, 0, len(e))
	for k, v := range e {
		parts = append(parts, k+": "+v)
	}
	return "people: " + strings.Join(parts, "; ")
}

// Person is what an admin types to add someone: an email, a username (for
// staff without email), or both.
type Person struct {
	Name, Email string
	Username    string
	Role        auth.Role
	ExternalID  string // what a provisioning system calls them (programs only)
}

// UsernameHint says what a username may hold, for forms and error messages.
const UsernameHint = "2 to 64 letters, digits, dots, hyphens or underscores, without @"

// Validate checks a person's fields.
func (p Person) Validate() FormError {
	fe := FormError{}
	if strings.TrimSpace(p.Name) == "" {
		fe["name"] = "Enter the person's name."
	} else if len(p.Name) > 200 {
		fe["name"] = "A name can be at most 200 characters."
	}
	email, username := strings.TrimSpace(p.Email), strings.TrimSpace(p.Username)
	switch {
	case email == "" && username == "":
		fe["email"] = "Enter an email address like name@example.com, or a username for someone without email."
	case email != "":
		if a, err := netmail.ParseAddress(email); err != nil || a.Address != email {
			fe["email"] = "Enter an email address like name@example.com."
		}
	}
	if username != "" && !store.ValidUsername(store.NormaliseUsername(username)) {
		fe["username"] = "Use " + UsernameHint + "."
	}
	if !p.Role.Valid() {
		fe["role"] = "Choose a role."
	}
	return fe
}

// taken says which of a person's identifiers someone else already has: a
// FormError naming the field, or nil when both are free. Update asks before
// writing (PostgreSQL ends a transaction at a refused write); Create asks
// after its insert found a conflict.
func taken(ctx context.Context, tx *store.Store, u *store.User) error {
	if u.Email != "" {
		if other, err := tx.UserByEmail(ctx, u.Email); err == nil && other.ID != u.ID {
			return FormError{"email": "Someone with this email already has an account."}
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if u.Username != "" {
		if other, err := tx.UserByUsername(ctx, u.Username); err == nil && other.ID != u.ID {
			return FormError{"username": "Someone already has this username: choose another."}
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// conflict is the FormError of an insert or update refused as ErrConflict.
func conflict(ctx context.Context, tx *store.Store, u *store.User) error {
	if err := taken(ctx, tx, u); err != nil {
		return err
	}
	return FormError{"email": "Someone with this email or username already has an account."}
}

func checkPassword(fe FormError, password, confirm string) {
	if len([]rune(password)) < auth.MinPasswordLength {
		fe["password"] = fmt.Sprintf("Use at least %d characters.", auth.MinPasswordLength)
	} else if password != confirm {
		fe["confirm"] = "The two passwords differ."
	}
}

// link builds an absolute link from a path.
func (s *Service) link(path, token string) string { return s.BaseURL + path + token }

// SetupLink returns a fresh one-time link that creates the first admin, or ""
// when someone already has an account. The link works only while nobody has
// an account, for auth.SetupLifetime, and only the one made last: each call
// (each start of the server) deletes the earlier ones. With accounts present
// it deletes any setup link left over, such as one a database kept from
// before the first account came in by another path.
func (s *Service) SetupLink(ctx context.Context) (string, error) {
	token := auth.NewToken()
	now := s.Now()
	fresh := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteTokens(ctx, store.PurposeSetup); err != nil {
			return err
		}
		n, err := tx.CountUsers(ctx)
		if err != nil || n > 0 {
			return err
		}
		fresh = true
		return tx.CreateToken(ctx, &store.Token{TokenHash: auth.HashToken(token), Purpose: store.PurposeSetup,
			CreatedAt: store.Now(now), ExpiresAt: store.Now(now.Add(auth.SetupLifetime))})
	})
	if err != nil || !fresh {
		return "", err
	}
	return s.link("/setup/", token), nil
}

// ErrAccepted is an invitation resent to someone who has already chosen a
// password: they sign in, or recover it.
var ErrAccepted = errors.New("people: this person has already accepted their invitation")

// ErrLinkUsed is a setup or invitation link that is unknown, used or expired.
var ErrLinkUsed = errors.New("people: this link is not valid any more")

// CheckSetup reports whether a setup token can still be used.
func (s *Service) CheckSetup(ctx context.Context, token string) error {
	return s.usableSetup(ctx, s.Store, token)
}

// usableSetup is the one rule for a setup link: known, unused, unexpired,
// and nobody has an account yet.
func (s *Service) usableSetup(ctx context.Context, st *store.Store, token string) error {
	_, err := st.UsableToken(ctx, auth.HashToken(token), store.PurposeSetup, s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrLinkUsed
	} else if err != nil {
		return err
	}
	if n, err := st.CountUsers(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrLinkUsed
	}
	return nil
}

// CompleteSetup creates the first admin with the setup link, once.
func (s *Service) CompleteSetup(ctx context.Context, token string, p Person, password, confirm string) (*store.User, error) {
	p.Role = auth.Admin
	fe := p.Validate()
	if strings.TrimSpace(p.Email) == "" && strings.TrimSpace(p.Username) == "" {
		// The setup form asks for an email only.
		fe["email"] = "Enter an email address like name@example.com."
	}
	checkPassword(fe, password, confirm)
	if len(fe) > 0 {
		return nil, fe
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &store.User{Name: strings.TrimSpace(p.Name), Email: p.Email, Username: p.Username, PasswordHash: hash, Role: string(auth.Admin), Active: true, CreatedAt: store.Now(s.Now())}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := s.usableSetup(ctx, tx, token); err != nil {
			return err
		}
		if _, err := s.redeem(ctx, tx, token, store.PurposeSetup); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); errors.Is(err, store.ErrConflict) {
			return conflict(ctx, tx, u)
		} else if err != nil {
			return err
		}
		if err := tx.Audit(ctx, &store.AuditEntry{ActorID: &u.ID, Action: "user.setup", Target: u.Identifier(), At: s.Now()}); err != nil {
			return err
		}
		return webhooks.Emit(ctx, tx, webhooks.PersonCreated, map[string]any{"person": webhooks.PersonOf(u)}, "", s.Now())
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Add creates a person without a password and returns their invitation link.
func (s *Service) Add(ctx context.Context, by *int64, p Person) (*store.User, string, error) {
	var a store.Actor
	if by != nil {
		a.ID = *by
	}
	return s.Create(ctx, a, p, 0)
}

// Create is Add for a program (the API, SCIM): it keeps the external ID
// p carries, puts the person in team (0: none) in the same transaction, and
// audits with the caller's address.
func (s *Service) Create(ctx context.Context, by store.Actor, p Person, team int64) (*store.User, string, error) {
	if fe := p.Validate(); len(fe) > 0 {
		return nil, "", fe
	}
	u := &store.User{Name: strings.TrimSpace(p.Name), Email: p.Email, Username: p.Username, Role: string(p.Role), Active: true,
		CreatedAt: store.Now(s.Now()), ExternalID: strings.TrimSpace(p.ExternalID)}
	var link string
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateUser(ctx, u); errors.Is(err, store.ErrConflict) {
			return conflict(ctx, tx, u)
		} else if err != nil {
			return err
		}
		var err error
		var inviter *int64
		if by.ID != 0 {
			inviter = &by.ID
		}
		if link, err = s.invite(ctx, tx, inviter, u.ID); err != nil {
			return err
		}
		if err := tx.Audit(ctx, by.Entry("user.add", u.Identifier(), "role "+u.Role, s.Now())); err != nil {
			return err
		}
		if team != 0 {
			if err := tx.SetTeam(ctx, u.ID, team, s.Now(), s.Location); err != nil {
				return err
			}
			if err := tx.Audit(ctx, by.Entry("team.member", teamTarget(team), u.Identifier()+" joins", s.Now())); err != nil {
				return err
			}
		}
		return webhooks.Emit(ctx, tx, webhooks.PersonCreated, map[string]any{"person": webhooks.PersonOf(u)}, "", s.Now())
	})
	if err != nil {
		return nil, "", err
	}
	return u, link, nil
}

// Reinvite retires a person's earlier invitations and returns a new link
// ("" when it was mailed). It works until the person has chosen a password,
// and at most auth.MaxInvitationMails times an hour.
func (s *Service) Reinvite(ctx context.Context, by *int64, userID int64) (*store.User, string, error) {
	u, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	if u.PasswordHash != "" {
		return nil, "", ErrAccepted
	}
	var link string
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		n, err := tx.CountTokensSince(ctx, userID, store.PurposeInvite, s.Now().Add(-auth.LinkRateWindow))
		if err != nil {
			return err
		}
		if n >= auth.MaxInvitationMails {
			return ErrTooManyLinks
		}
		if link, err = s.invite(ctx, tx, by, userID); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: by, Action: "user.invite", Target: u.Identifier(), At: s.Now()})
	})
	return u, link, err
}

// invite retires a person's earlier invitations and makes a new one; with
// mail configured and an email to send to it also queues the invitation mail
// (the link is then not shown: it goes to the person only). Someone with
// only a username gets the link back, to be handed over.
func (s *Service) invite(ctx context.Context, tx *store.Store, by *int64, userID int64) (string, error) {
	t, token, err := s.newLink(ctx, tx, store.PurposeInvite, userID, by, auth.InviteLifetime)
	if err != nil {
		return "", err
	}
	link := s.link("/invite/", token)
	if !s.MailOn {
		return link, nil
	}
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	if !u.HasEmail() {
		return link, nil // a username account: the link is handed over
	}
	msg := mail.ComposeAccountLink(mail.AccountLink{Kind: mail.KindInvitation, To: u.Email, Name: u.Name,
		Link: link, Expires: t.ExpiresAt, Loc: s.Location})
	return "", s.enqueue(ctx, tx, store.MailInvitation, userID, t.ID, msg, s.Now())
}

// Invitation returns the person an invitation link is for.
func (s *Service) Invitation(ctx context.Context, token string) (*store.User, error) {
	t, err := s.Store.UsableToken(ctx, auth.HashToken(token), store.PurposeInvite, s.Now())
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.UserID == nil) {
		return nil, ErrLinkUsed
	} else if err != nil {
		return nil, err
	}
	return s.Store.UserByID(ctx, *t.UserID)
}

// AcceptInvitation sets the invited person's password, once.
func (s *Service) AcceptInvitation(ctx context.Context, token, password, confirm string) (*store.User, error) {
	fe := FormError{}
	checkPassword(fe, password, confirm)
	if len(fe) > 0 {
		return nil, fe
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	var u *store.User
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		t, err := s.redeem(ctx, tx, token, store.PurposeInvite)
		if err != nil {
			return err
		}
		if t.UserID == nil {
			return ErrLinkUsed
		}
		if err := tx.SetPassword(ctx, *t.UserID, hash); err != nil {
			return err
		}
		u, err = tx.UserByID(ctx, *t.UserID)
		return err
	})
	return u, err
}

// redeem marks a one-time token used, inside the caller's transaction. An
// unknown, expired or already used token — including one used a moment ago
// by another request or instance — is ErrLinkUsed.
func (s *Service) redeem(ctx context.Context, tx *store.Store, token, purpose string) (*store.Token, error) {
	t, err := tx.UsableToken(ctx, auth.HashToken(token), purpose, s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrLinkUsed
	} else if err != nil {
		return nil, err
	}
	if err := tx.UseToken(ctx, t.ID, s.Now()); errors.Is(err, store.ErrConflict) {
		return nil, ErrLinkUsed
	} else if err != nil {
		return nil, err
	}
	return t, nil
}
