package people

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
)

// The org chart and accounts, as an admin changes them: every change and its
// audit row commit together.

var (
	// ErrNoSuchPerson is an email address or username nobody has.
	ErrNoSuchPerson = errors.New("people: nobody has that email address or username")
	// ErrDeactivateSelf refuses an admin switching their own account off.
	ErrDeactivateSelf = errors.New("people: you cannot deactivate yourself")
	// ErrLastAdmin refuses leaving the organisation with no active admin.
	ErrLastAdmin = errors.New("people: this would leave no active admin")
)

// CreateTeam adds a team under parent (0: at the top).
func (s *Service) CreateTeam(ctx context.Context, by store.Actor, parent int64, name string) (*store.Team, error) {
	var t *store.Team
	err := s.Store.Tx(ctx, func(tx *store.Store) (err error) {
		if t, err = tx.CreateTeam(ctx, parent, name, s.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("team.create", teamTarget(t.ID), name+" under "+teamTarget(parent), s.Now()))
	})
	return t, err
}

// RenameTeam gives a team a new name.
func (s *Service) RenameTeam(ctx context.Context, by store.Actor, id int64, name string) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		old, err := tx.Team(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.RenameTeam(ctx, id, name); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("team.rename", teamTarget(id), fmt.Sprintf("%q → %q", old.Name, name), s.Now()))
	})
}

// MoveTeam moves a team, with everything below it, under parent.
func (s *Service) MoveTeam(ctx context.Context, by store.Actor, id, parent int64) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.MoveTeam(ctx, id, parent); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("team.move", teamTarget(id), "under "+teamTarget(parent), s.Now()))
	})
}

// AddMember puts the person with that email in a team, moving them out of
// any other; they are enrolled on the team's assigned courses at once.
func (s *Service) AddMember(ctx context.Context, by store.Actor, teamID int64, email string) (*store.User, error) {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetTeam(ctx, u.ID, teamID, s.Now(), s.Location); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("team.member", teamTarget(teamID), u.Identifier()+" joins", s.Now()))
	})
	return u, err
}

// SetManager makes the person with that email a manager of a team, or stops
// them being one. A learner made a manager gets the manager role, so the
// manager pages open for them.
func (s *Service) SetManager(ctx context.Context, by store.Actor, teamID int64, email string, manages bool) (*store.User, error) {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	// The page offers no button for a deactivated person; a hand-made form
	// must not get round that. Taking a manager off stays possible.
	if manages && !u.Active {
		return nil, ErrInactive
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetManager(ctx, teamID, u.ID, manages, s.Now()); err != nil {
			return err
		}
		detail := u.Identifier() + " no longer manages it"
		if manages {
			detail = u.Identifier() + " manages it"
		}
		if err := tx.Audit(ctx, by.Entry("team.manager", teamTarget(teamID), detail, s.Now())); err != nil {
			return err
		}
		if manages && auth.Role(u.Role) == auth.Learner {
			if err := tx.SetRole(ctx, u.ID, string(auth.Manager)); err != nil {
				return err
			}
			return tx.Audit(ctx, by.Entry("user.role", u.Identifier(), "learner → manager (made a team's manager)", s.Now()))
		}
		return nil
	})
	return u, err
}

// SetActive deactivates or reactivates someone. Their history and
// enrolments stay; a deactivated person cannot sign in (their sessions end)
// and leaves the matrices. Nobody may switch off their own account or the
// last active admin.
func (s *Service) SetActive(ctx context.Context, by store.Actor, userID int64, active bool) (*store.User, error) {
	if !active && userID == by.ID {
		return nil, ErrDeactivateSelf
	}
	var u *store.User
	err := s.Store.Tx(ctx, func(tx *store.Store) (err error) {
		if err := tx.LockAdmins(ctx); err != nil {
			return err
		}
		if u, err = tx.UserByID(ctx, userID); err != nil {
			return err
		}
		if err := tx.SetActive(ctx, userID, active); err != nil {
			return err
		}
		if !active && auth.Role(u.Role) == auth.Admin {
			n, err := tx.CountActiveAdmins(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				return ErrLastAdmin
			}
		}
		action := "user.deactivate"
		if active {
			action = "user.reactivate"
		}
		if err := tx.Audit(ctx, by.Entry(action, u.Identifier(), "", s.Now())); err != nil {
			return err
		}
		if active || !u.Active {
			return nil // only a change from active to not is an event
		}
		gone := *u
		gone.Active = false
		return webhooks.Emit(ctx, tx, webhooks.PersonDeactivated, map[string]any{"person": webhooks.PersonOf(&gone)}, "", s.Now())
	})
	return u, err
}

// userByEmail finds the person an admin named by email or username.
func (s *Service) userByEmail(ctx context.Context, email string) (*store.User, error) {
	u, err := s.Store.UserByIdentifier(ctx, strings.TrimSpace(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSuchPerson
	}
	return u, err
}

func teamTarget(id int64) string {
	if id == 0 {
		return "the top"
	}
	return "team:" + strconv.FormatInt(id, 10)
}

// ProvisionTeam adds a top-level team on behalf of a provisioning system
// (a SCIM group), with the system's own ID for it, in one transaction.
func (s *Service) ProvisionTeam(ctx context.Context, by store.Actor, name, externalID string) (*store.Team, error) {
	var t *store.Team
	err := s.Store.Tx(ctx, func(tx *store.Store) (err error) {
		if t, err = tx.CreateTeam(ctx, 0, name, s.Now()); err != nil {
			return err
		}
		if externalID != "" {
			if err := tx.SetTeamExternalID(ctx, t.ID, externalID); err != nil {
				return err
			}
			t.ExternalID = externalID
		}
		return tx.Audit(ctx, by.Entry("team.create", teamTarget(t.ID), name+" under the top (provisioned)", s.Now()))
	})
	return t, err
}

// SetTeamExternalID records what a provisioning system calls a team.
func (s *Service) SetTeamExternalID(ctx context.Context, by store.Actor, id int64, externalID string) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetTeamExternalID(ctx, id, externalID); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("team.external_id", teamTarget(id), externalID, s.Now()))
	})
}
