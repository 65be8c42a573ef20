package people

import (
	"context"
	"errors"
	"strconv"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// ErrMailChoice is a mail choice that is not one of the offered ones.
var ErrMailChoice = errors.New("people: not a mail choice")

// Settings returns a person's settings, creating them (every mail, no
// calendar link) on first use.
func (s *Service) Settings(ctx context.Context, userID int64) (*store.UserSettings, error) {
	return s.Store.EnsureSettings(ctx, userID, auth.NewToken(), s.Now())
}

// SetMailPref stores a person's mail choice: every mail, or the weekly
// digest only (due and overdue mail about their own courses stays on).
func (s *Service) SetMailPref(ctx context.Context, by store.Actor, pref string) error {
	if pref != store.MailAll && pref != store.MailDigest {
		return ErrMailChoice
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if _, err := tx.EnsureSettings(ctx, by.ID, auth.NewToken(), s.Now()); err != nil {
			return err
		}
		if err := tx.SetMailPref(ctx, by.ID, pref, s.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("settings.mail", userTarget(by.ID), pref, s.Now()))
	})
}

// Unsubscribe switches the owner of a mail's unsubscribe token to the
// weekly digest: the one-click link in every reminder.
func (s *Service) Unsubscribe(ctx context.Context, token, ip string) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		us, err := tx.SettingsByUnsubscribeToken(ctx, token)
		if err != nil {
			return err
		}
		if err := tx.SetMailPref(ctx, us.UserID, store.MailDigest, s.Now()); err != nil {
			return err
		}
		by := store.Actor{ID: us.UserID, IP: ip}
		return tx.Audit(ctx, by.Entry("settings.unsubscribe", userTarget(us.UserID), "weekly digest only, from a mail's link", s.Now()))
	})
}

// NewCalendarLink creates or replaces a person's private calendar link;
// the old one stops working at once.
func (s *Service) NewCalendarLink(ctx context.Context, by store.Actor) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if _, err := tx.EnsureSettings(ctx, by.ID, auth.NewToken(), s.Now()); err != nil {
			return err
		}
		if err := tx.SetCalendarToken(ctx, by.ID, auth.NewToken(), s.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("settings.calendar", userTarget(by.ID), "new private calendar link", s.Now()))
	})
}

func userTarget(id int64) string { return "user:" + strconv.FormatInt(id, 10) }
