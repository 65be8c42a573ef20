package store

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// User is one person: a learner, trainer, manager or admin.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Email        string    `bun:"email,notnull"`
	Name         string    `bun:"name,notnull"`
	PasswordHash string    `bun:"password_hash,notnull"`
	Role         string    `bun:"role,notnull"`
	Active       bool      `bun:"active,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
}

// NormaliseEmail is how emails are compared and stored.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser inserts u; an email already taken is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	u.Email = NormaliseEmail(u.Email)
	res, err := s.w.NewInsert().Model(u).On("CONFLICT (email) DO NOTHING").Exec(ctx)
	if err != nil {
		return wrap(err, "create user %s", u.Email)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrConflict, "create user %s", u.Email)
	}
	return nil
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	err := s.r.NewSelect().Model(u).Where("id = ?", id).Scan(ctx)
	return u, wrap(err, "load user %d", id)
}

// UserByEmail returns the user with that email, compared case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	u := new(User)
	err := s.r.NewSelect().Model(u).Where("email = ?", NormaliseEmail(email)).Scan(ctx)
	return u, wrap(err, "load user by email")
}

// Users lists people by name.
func (s *Store) Users(ctx context.Context, limit int) ([]User, error) {
	var us []User
	err := s.r.NewSelect().Model(&us).Order("name", "id").Limit(int64(limit)).Scan(ctx)
	return us, wrap(err, "list users")
}

// CountActiveAdmins counts the people who can still administer Frontline.
func (s *Store) CountActiveAdmins(ctx context.Context) (int, error) {
	n, err := s.r.NewSelect().Model((*User)(nil)).Where("role = ?", "admin").Where("active").Count(ctx)
	return int(n), wrap(err, "count active admins")
}

// CountUsers counts every user, active or not.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	n, err := s.r.NewSelect().Model((*User)(nil)).Count(ctx)
	return int(n), wrap(err, "count users")
}

// SetPassword stores a new password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	_, err := s.w.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Where("id = ?", userID).Exec(ctx)
	return wrap(err, "set password of user %d", userID)
}
