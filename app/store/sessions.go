package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"
)

// Session is a signed-in browser. Only the token's hash is stored, so a copy
// of the database does not let anyone sign in as anybody.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         int64     `bun:"id,pk,autoincrement"`
	TokenHash  string    `bun:"token_hash,notnull"`
	UserID     int64     `bun:"user_id,notnull"`
	CSRFToken  string    `bun:"csrf_token,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	LastSeenAt time.Time `bun:"last_seen_at,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
	IP         string    `bun:"ip,notnull"`
	UserAgent  string    `bun:"user_agent,notnull"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// CreateSession inserts a session and records it as the person's last
// sign-in. Every way in (password, link, passkey, single sign-on) ends by
// creating a session, so the people page's "last sign-in" is kept here.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.w.NewInsert().Model(sess).Exec(ctx); err != nil {
			return wrap(err, "create session for user %d", sess.UserID)
		}
		_, err := tx.w.NewUpdate().Model((*User)(nil)).Set("last_signin_at = ?", Now(sess.CreatedAt)).
			Where("id = ?", sess.UserID).Exec(ctx)
		return wrap(err, "record the sign-in of user %d", sess.UserID)
	})
}

// UserSessions lists a person's unexpired sessions, most recently seen first.
func (s *Store) UserSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	var out []Session
	err := s.r.NewSelect().Model(&out).Where("user_id = ?", userID).Where("expires_at > ?", Now(now)).
		OrderExpr("last_seen_at DESC, id DESC").Scan(ctx)
	return out, wrap(err, "list the sessions of user %d", userID)
}

// DeleteOtherSessions ends every session of a person but keep, and says how
// many it ended. The cache entries go before and after the delete: a page
// view racing it cannot keep an ended session open on this instance.
func (s *Store) DeleteOtherSessions(ctx context.Context, userID, keep int64) (int, error) {
	s.sessions.dropUsers(userID)
	res, err := s.w.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Where("id <> ?", keep).Exec(ctx)
	s.sessions.dropUsers(userID)
	if err != nil {
		return 0, wrap(err, "end the other sessions of user %d", userID)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SessionByTokenHash returns the session and its user, if it has not
// expired: from this process's cache when it was read a moment ago (see
// sessionCache for how stale it may be), else from the database.
func (s *Store) SessionByTokenHash(ctx context.Context, hash string, now time.Time) (*Session, error) {
	if sess, ok := s.sessions.get(hash, now); ok {
		return sess, nil
	}
	var rows []sessionRow
	err := s.scanPrepared(ctx, false, &rows, s.sql.session, hash, Now(now))
	if err == nil && len(rows) == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return new(Session), wrap(err, "load session")
	}
	sess, u := rows[0].S, rows[0].U
	sess.User = &u
	s.sessions.put(hash, &sess)
	return &sess, nil
}

// sessionRow is a row of the session query: the session and its person.
type sessionRow struct {
	S Session `bun:"embed:"` // unprefixed: its belongs-to User needs user_id
	U User    `bun:"embed:u_"`
}

// TouchSession slides a session's expiry forward.
func (s *Store) TouchSession(ctx context.Context, id int64, now, expires time.Time) error {
	_, err := s.execPrepared(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?", Now(now), Now(expires), id)
	if err == nil {
		s.sessions.touched(id, Now(now), Now(expires))
	}
	return wrap(err, "touch session %d", id)
}

// DeleteSession ends a session server-side (sign-out).
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.w.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hash).Exec(ctx)
	s.sessions.dropHash(hash) // after the delete: a view racing it cannot put it back
	return wrap(err, "delete session")
}

// DeleteUserSessions ends every session of these people.
func (s *Store) DeleteUserSessions(ctx context.Context, userIDs []int64) error {
	s.sessions.dropUsers(userIDs...)
	_, err := s.w.NewDelete().Model((*Session)(nil)).Where("user_id IN (?)", bun.In(userIDs)).Exec(ctx)
	s.sessions.dropUsers(userIDs...) // again after the delete: a view racing it cannot put one back
	return wrap(err, "delete the sessions of %d users", len(userIDs))
}

// DeleteExpiredSessions removes sessions past their expiry and says how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.NewDelete().Model((*Session)(nil)).Where("expires_at <= ?", Now(now)).Exec(ctx)
	if err != nil {
		return 0, wrap(err, "delete expired sessions")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
