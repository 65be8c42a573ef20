package people

import (
	"context"

	"github.com/frontline-lms/frontline/app/store"
)

// MaxInviteBatch is how many people one "invite the new people" reaches;
// the page offers the next batch after it. It bounds one transaction and,
// without mail, the links listed on one page.
const MaxInviteBatch = 200

// Invited is one person invited in bulk: Link is "" when it was mailed.
type Invited struct {
	User store.User
	Link string
}

// InviteNew invites the people who were added (by a staff import, say) and
// never sent an invitation, up to MaxInviteBatch: by mail when mail is
// configured, otherwise returning the links to hand over. Each invitation
// is audited with it.
func (s *Service) InviteNew(ctx context.Context, by store.Actor) ([]Invited, error) {
	var out []Invited
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		us, err := tx.Uninvited(ctx, MaxInviteBatch)
		if err != nil {
			return err
		}
		out = make([]Invited, 0, len(us))
		for _, u := range us {
			link, err := s.invite(ctx, tx, &by.ID, u.ID)
			if err != nil {
				return err
			}
			detail := "link shown to hand over"
			if link == "" {
				detail = "mailed"
			}
			if err := tx.Audit(ctx, by.Entry("user.invite", u.Identifier(), detail+" (invite the new people)", s.Now())); err != nil {
				return err
			}
			out = append(out, Invited{User: u, Link: link})
		}
		return nil
	})
	return out, err
}
