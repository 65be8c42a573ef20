package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Mail preferences. Digest-only people get no assignment or window-opened
// mail of their own, only the weekly digest; due and overdue mail (the
// compliance reminders) always goes out.
const (
	MailAll    = "all"
	MailDigest = "digest"
)

// UserSettings is a person's mail choice and private links.
type UserSettings struct {
	bun.BaseModel `bun:"table:user_settings,alias:us"`

	UserID           int64     `bun:"user_id,pk"`
	MailPref         string    `bun:"mail_pref,notnull"`
	CalendarToken    *string   `bun:"calendar_token"`
	UnsubscribeToken string    `bun:"unsubscribe_token,notnull"`
	UpdatedAt        time.Time `bun:"updated_at,notnull"`
}

// EnsureSettings returns a person's settings, creating the defaults (all
// mail, no calendar link) with the given unsubscribe token on first use.
func (s *Store) EnsureSettings(ctx context.Context, userID int64, unsubscribeToken string, now time.Time) (*UserSettings, error) {
	us := &UserSettings{UserID: userID, MailPref: MailAll, UnsubscribeToken: unsubscribeToken, UpdatedAt: Now(now)}
	if _, err := s.w.NewInsert().Model(us).On("CONFLICT (user_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, wrap(err, "create the settings of user %d", userID)
	}
	out := new(UserSettings)
	err := s.w.NewSelect().Model(out).Where("user_id = ?", userID).Scan(ctx)
	return out, wrap(err, "load the settings of user %d", userID)
}

// SettingsOf lists the settings rows of the given people (those who have one).
func (s *Store) SettingsOf(ctx context.Context, userIDs []int64) (map[int64]UserSettings, error) {
	out := map[int64]UserSettings{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []UserSettings
	err := s.r.NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(userIDs)).Scan(ctx)
	for _, r := range rows {
		out[r.UserID] = r
	}
	return out, wrap(err, "load settings")
}

// SetMailPref stores a person's mail choice.
func (s *Store) SetMailPref(ctx context.Context, userID int64, pref string, now time.Time) error {
	_, err := s.w.NewUpdate().Model((*UserSettings)(nil)).Set("mail_pref = ?", pref).Set("updated_at = ?", Now(now)).
		Where("user_id = ?", userID).Exec(ctx)
	return wrap(err, "set the mail choice of user %d", userID)
}

// SetCalendarToken replaces (or, with "", removes) a person's calendar link token.
func (s *Store) SetCalendarToken(ctx context.Context, userID int64, token string, now time.Time) error {
	q := s.w.NewUpdate().Model((*UserSettings)(nil)).Set("updated_at = ?", Now(now)).Where("user_id = ?", userID)
	if token == "" {
		q = q.Set("calendar_token = NULL")
	} else {
		q = q.Set("calendar_token = ?", token)
	}
	_, err := q.Exec(ctx)
	return wrap(err, "set the calendar link of user %d", userID)
}

// SettingsByCalendarToken finds whose calendar a token opens.
func (s *Store) SettingsByCalendarToken(ctx context.Context, token string) (*UserSettings, error) {
	us := new(UserSettings)
	err := s.r.NewSelect().Model(us).Where("calendar_token = ?", token).Scan(ctx)
	return us, wrap(err, "load calendar")
}

// SettingsByUnsubscribeToken finds whose mail an unsubscribe link is for.
func (s *Store) SettingsByUnsubscribeToken(ctx context.Context, token string) (*UserSettings, error) {
	us := new(UserSettings)
	err := s.r.NewSelect().Model(us).Where("unsubscribe_token = ?", token).Scan(ctx)
	return us, wrap(err, "load unsubscribe link")
}
