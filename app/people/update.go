package people

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// Change is what a program changes of a person; nil fields stay as they are.
type Change struct {
	Name, Email, Username, ExternalID *string
	Role                              *auth.Role
	Active                            *bool
	Team                              *int64 // 0: no team
}

// Update applies a change to a person in one transaction with its audit
// rows. The same rules hold as in the browser: the fields are validated as
// a new person's, nobody switches off the last active admin, and a person
// belongs to at most one team (joining one leaves the other).
func (s *Service) Update(ctx context.Context, by store.Actor, id int64, ch Change) (*store.User, error) {
	var u *store.User
	err := s.Store.Tx(ctx, func(tx *store.Store) (err error) {
		if err := tx.LockAdmins(ctx); err != nil {
			return err
		}
		if u, err = tx.UserByID(ctx, id); err != nil {
			return err
		}
		before := *u
		if ch.Name != nil {
			u.Name = strings.TrimSpace(*ch.Name)
		}
		if ch.Email != nil {
			u.Email = strings.TrimSpace(*ch.Email)
		}
		if ch.Username != nil {
			u.Username = store.NormaliseUsername(*ch.Username)
		}
		if ch.Role != nil {
			u.Role = string(*ch.Role)
		}
		if ch.ExternalID != nil {
			u.ExternalID = strings.TrimSpace(*ch.ExternalID)
		}
		if fe := (Person{Name: u.Name, Email: u.Email, Username: u.Username, Role: auth.Role(u.Role)}).Validate(); len(fe) > 0 {
			return fe
		}
		u.Email = store.NormaliseEmail(u.Email)
		if err := taken(ctx, tx, u); err != nil {
			return err
		}
		if err := tx.UpdateUser(ctx, u); errors.Is(err, store.ErrConflict) {
			return conflict(ctx, tx, u)
		} else if err != nil {
			return err
		}
		var changed []string
		if before.Name != u.Name {
			changed = append(changed, fmt.Sprintf("name %q → %q", before.Name, u.Name))
		}
		if before.Email != u.Email {
			changed = append(changed, "email "+before.Email+" → "+u.Email)
		}
		if before.Username != u.Username {
			changed = append(changed, fmt.Sprintf("username %q → %q", before.Username, u.Username))
		}
		if before.ExternalID != u.ExternalID {
			changed = append(changed, fmt.Sprintf("external ID %q → %q", before.ExternalID, u.ExternalID))
		}
		if len(changed) > 0 {
			if err := tx.Audit(ctx, by.Entry("user.update", u.Identifier(), strings.Join(changed, ", "), s.Now())); err != nil {
				return err
			}
		}
		if before.Role != u.Role {
			if err := tx.Audit(ctx, by.Entry("user.role", u.Identifier(), before.Role+" → "+u.Role, s.Now())); err != nil {
				return err
			}
		}
		if ch.Active != nil && *ch.Active != before.Active {
			if !*ch.Active && id == by.ID {
				return ErrDeactivateSelf
			}
			if err := tx.SetActive(ctx, id, *ch.Active); err != nil {
				return err
			}
			u.Active = *ch.Active
			action := "user.deactivate"
			if u.Active {
				action = "user.reactivate"
			}
			if err := tx.Audit(ctx, by.Entry(action, u.Identifier(), "", s.Now())); err != nil {
				return err
			}
		}
		if before.Role == string(auth.Admin) && (u.Role != before.Role || !u.Active) {
			n, err := tx.CountActiveAdmins(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				return ErrLastAdmin
			}
		}
		if ch.Team != nil {
			cur, err := tx.TeamOf(ctx, id)
			switch {
			case errors.Is(err, store.ErrNotFound):
				cur = &store.Team{}
			case err != nil:
				return err
			}
			if cur.ID != *ch.Team {
				if err := tx.SetTeam(ctx, id, *ch.Team, s.Now(), s.Location); err != nil {
					return err
				}
				detail := u.Identifier() + " joins"
				target := teamTarget(*ch.Team)
				if *ch.Team == 0 {
					detail, target = u.Identifier()+" leaves", teamTarget(cur.ID)
				}
				return tx.Audit(ctx, by.Entry("team.member", target, detail, s.Now()))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
