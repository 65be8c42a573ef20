package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/uptrace/bun"
)

// User is one person: a learner, trainer, manager or admin.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID int64 `bun:"id,pk,autoincrement"`
	// Email and Username are each "" (NULL) when the person has none; one
	// of them is always set. Staff without a company email have only a
	// username: they get no mail (no recovery, no reminders).
	Email        string    `bun:"email,nullzero"`
	Username     string    `bun:"username,nullzero"`
	Name         string    `bun:"name,notnull"`
	PasswordHash string    `bun:"password_hash,notnull"`
	Role         string    `bun:"role,notnull"`
	Active       bool      `bun:"active,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	LastSignInAt time.Time `bun:"last_signin_at,nullzero"`
	// ExternalID is what a provisioning system (SCIM's externalId) calls
	// the person; "" when none did.
	ExternalID string `bun:"external_id,nullzero"`
}

// NormaliseEmail is how emails are compared and stored.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NormaliseUsername is how usernames are compared and stored.
func NormaliseUsername(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// Username lengths, in characters.
const (
	MinUsername = 2
	MaxUsername = 64
)

// ValidUsername reports whether a normalised username may be used: 2 to 64
// letters, digits, dots, underscores and hyphens. It never holds '@', so a
// sign-in identifier with '@' is always an email (IsEmailIdentifier).
func ValidUsername(username string) bool {
	n := utf8.RuneCountInString(username)
	if n < MinUsername || n > MaxUsername || username != NormaliseUsername(username) {
		return false
	}
	for _, r := range username {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// IsEmailIdentifier tells what a typed sign-in identifier names: an email
// when it holds '@', otherwise a username.
func IsEmailIdentifier(identifier string) bool { return strings.Contains(identifier, "@") }

// NormaliseIdentifier normalises what someone typed to sign in, as an email
// or as a username.
func NormaliseIdentifier(identifier string) string {
	if IsEmailIdentifier(identifier) {
		return NormaliseEmail(identifier)
	}
	return NormaliseUsername(identifier)
}

// Identifier is how a person is shown wherever an email used to be (pages,
// exports, the API, the audit log): the email, else the username.
func (u User) Identifier() string {
	if u.Email != "" {
		return u.Email
	}
	return u.Username
}

// identifierSQL is Identifier in SQL, for the users table aliased u.
const identifierSQL = "COALESCE(u.email, u.username)"

// HasEmail reports whether mail can reach the person.
func (u User) HasEmail() bool { return u.Email != "" }

// CreateUser inserts u; an email or username already taken is ErrConflict.
// Like every insert of people it deletes the first-admin setup link in the
// same transaction (see retireSetupLinks).
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	u.Email = NormaliseEmail(u.Email)
	u.Username = NormaliseUsername(u.Username)
	return s.Tx(ctx, func(tx *Store) error {
		res, err := tx.w.NewInsert().Model(u).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return wrap(err, "create user %s", u.Identifier())
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wrap(ErrConflict, "create user %s", u.Identifier())
		}
		return tx.retireSetupLinks(ctx)
	})
}

// retireSetupLinks deletes the setup link once anyone has an account. The
// link is only for a database with no accounts, and people arrive by several
// paths (the setup page, invitations, "frontline user add", the demo, staff
// imports); doing it where rows enter the users table covers them all.
func (s *Store) retireSetupLinks(ctx context.Context) error {
	return s.DeleteTokens(ctx, PurposeSetup)
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

// UserByUsername returns the user with that username, compared
// case-insensitively.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	u := new(User)
	err := s.r.NewSelect().Model(u).Where("username = ?", NormaliseUsername(username)).Scan(ctx)
	return u, wrap(err, "load user by username")
}

// UserByIdentifier returns the user a typed sign-in identifier names: by
// email when it holds '@', otherwise by username.
func (s *Store) UserByIdentifier(ctx context.Context, identifier string) (*User, error) {
	if IsEmailIdentifier(identifier) {
		return s.UserByEmail(ctx, identifier)
	}
	if identifier = NormaliseUsername(identifier); identifier == "" {
		return nil, wrap(ErrNotFound, "load user by username")
	}
	return s.UserByUsername(ctx, identifier)
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

// LockAdmins holds the rows of the active admins until the transaction
// ends, so two transactions that each take one admin away cannot both count
// the other as still there. SQLite needs nothing: its writer is one
// connection holding the database's write lock for the whole transaction.
func (s *Store) LockAdmins(ctx context.Context) error {
	if s.dialect != database.Postgres {
		return nil
	}
	var ids []int64
	err := s.w.NewSelect().Model((*User)(nil)).Column("id").Where("role = ?", "admin").Where("active").
		For("UPDATE").Scan(ctx, &ids)
	return wrap(err, "lock the admins")
}

// CountUsers counts every user, active or not.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	n, err := s.r.NewSelect().Model((*User)(nil)).Count(ctx)
	return int(n), wrap(err, "count users")
}

// SetPassword stores a new password hash and ends every session of the
// person, in one transaction: whoever knew the old password (or holds a
// stolen cookie) is out. The caller signs the current browser in again.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	return s.SetPasswords(ctx, []int64{userID}, hash)
}

// SetPasswords gives the same password hash to several people (the demo's
// accounts) and ends their sessions, like SetPassword.
func (s *Store) SetPasswords(ctx context.Context, userIDs []int64, hash string) error {
	s.sessions.dropUsers(userIDs...)
	return s.Tx(ctx, func(tx *Store) error {
		return chunks(userIDs, batchRows, func(part []int64) error {
			_, err := tx.w.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).
				Where("id IN (?)", bun.In(part)).Exec(ctx)
			if err != nil {
				return wrap(err, "set the password of %d users", len(part))
			}
			return tx.DeleteUserSessions(ctx, part)
		})
	})
}

// InsertUsers inserts people and sets their IDs. Emails are normalised; an
// email already taken fails the whole statement (ErrConflict is not
// distinguished here): callers look existing people up first. Like
// CreateUser it retires the setup link in the same transaction.
func (s *Store) InsertUsers(ctx context.Context, users []User) error {
	if len(users) == 0 {
		return nil
	}
	for i := range users {
		users[i].Email = NormaliseEmail(users[i].Email)
		users[i].Username = NormaliseUsername(users[i].Username)
		users[i].CreatedAt = Now(users[i].CreatedAt)
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.retireSetupLinks(ctx); err != nil {
			return err
		}
		return chunks(users, batchRows, func(part []User) error {
			// Read the IDs back by email or username rather than trusting
			// that RETURNING lists rows in VALUES order, which neither
			// database promises. Both are unique; "@" keeps them apart.
			var got []User
			if _, err := tx.w.NewInsert().Model(&part).Returning("id, email, username").Exec(ctx, &got); err != nil {
				return wrap(err, "insert %d users", len(part))
			}
			ids := make(map[string]int64, len(got))
			for _, g := range got {
				ids[g.Identifier()] = g.ID
			}
			for i := range part {
				part[i].ID = ids[part[i].Identifier()]
				if part[i].ID == 0 {
					return fmt.Errorf("store: user %s was not returned by its insert", part[i].Identifier())
				}
			}
			return nil
		})
	})
}

// UsersByEmails returns the people with those emails (normalised); emails
// nobody has are left out.
func (s *Store) UsersByEmails(ctx context.Context, emails []string) ([]User, error) {
	var out []User
	norm := make([]string, len(emails))
	for i, e := range emails {
		norm[i] = NormaliseEmail(e)
	}
	err := chunks(norm, batchRows, func(part []string) error {
		var us []User
		if err := s.r.NewSelect().Model(&us).Where("email IN (?)", bun.In(part)).Scan(ctx); err != nil {
			return wrap(err, "look up %d users by email", len(part))
		}
		out = append(out, us...)
		return nil
	})
	return out, err
}

// UsersByUsernames returns the people with those usernames (normalised);
// usernames nobody has are left out.
func (s *Store) UsersByUsernames(ctx context.Context, usernames []string) ([]User, error) {
	var out []User
	norm := make([]string, len(usernames))
	for i, u := range usernames {
		norm[i] = NormaliseUsername(u)
	}
	err := chunks(norm, batchRows, func(part []string) error {
		var us []User
		if err := s.r.NewSelect().Model(&us).Where("username IN (?)", bun.In(part)).Scan(ctx); err != nil {
			return wrap(err, "look up %d users by username", len(part))
		}
		out = append(out, us...)
		return nil
	})
	return out, err
}

// PeopleFilter narrows the people page: a search over name, email and
// username, a
// team (with the teams below it), a role, and where the last page ended.
type PeopleFilter struct {
	Query string
	Team  *Team
	Role  string
	After *PeopleCursor
	Limit int
}

// PeopleCursor is where a page of people ends: they are listed by (name, id).
type PeopleCursor struct {
	Name string
	ID   int64
}

// SearchPeople returns a page of people in name order, and the cursor of
// the next page (nil on the last). The query matches a substring of the
// name, the email or the username, without regard to case; the (name, id) keyset reads
// users_name_idx, so a page costs the same on the first page and the last.
func (s *Store) SearchPeople(ctx context.Context, f PeopleFilter) ([]User, *PeopleCursor, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var us []User
	q := s.r.NewSelect().Model(&us).OrderExpr("?TableAlias.name, ?TableAlias.id").Limit(int64(f.Limit + 1))
	if t := strings.ToLower(strings.TrimSpace(f.Query)); t != "" {
		if s.dialect == database.SQLite {
			// A substring cannot use an index. Walking users_name_idx for
			// the order and fetching each row to test it took seconds for a
			// text few people match (100,000 row lookups); reading the
			// table once and sorting what matches takes milliseconds.
			q = q.ModelTableExpr(`users AS "user" NOT INDEXED`)
		}
		like := "%" + escapeLike(t) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("lower(?TableAlias.name) LIKE ? ESCAPE '\\'", like).
				WhereOr("?TableAlias.email LIKE ? ESCAPE '\\'", like).
				WhereOr("?TableAlias.username LIKE ? ESCAPE '\\'", like)
		})
	}
	if f.Role != "" {
		q = q.Where("?TableAlias.role = ?", f.Role)
	}
	if f.Team != nil {
		lo, hi := PathRange(f.Team.Path)
		q = q.Where("?TableAlias.id IN (SELECT m.user_id FROM team_members AS m JOIN teams AS t ON t.id = m.team_id "+
			"WHERE m.role = ? AND t.path >= ? AND t.path < ?)", MemberRole, lo, hi)
	}
	if f.After != nil {
		// A row comparison, which both databases read as one index range;
		// PostgreSQL does not for the equivalent OR.
		q = q.Where("(?TableAlias.name, ?TableAlias.id) > (?, ?)", f.After.Name, f.After.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, nil, wrap(err, "search people")
	}
	var next *PeopleCursor
	if len(us) > f.Limit {
		us = us[:f.Limit]
		last := us[len(us)-1]
		next = &PeopleCursor{Name: last.Name, ID: last.ID}
	}
	return us, next, nil
}

// UserRow is a person with the team they belong to (0: none).
type UserRow struct {
	User   `bun:",extend"`
	TeamID int64 `bun:"team_id,scanonly"`
}

// UserQuery filters a list of people; zero fields do not filter. Pages are
// ordered by ID, so a new person never shifts a page already read.
type UserQuery struct {
	Email      string // exact, compared as NormaliseEmail does
	Username   string // exact, compared as NormaliseUsername does
	ExternalID string
	Role       string
	Active     *bool
	TeamID     int64 // members of this team itself
	After      int64 // keyset: the last ID of the previous page
	Offset     int   // rows to skip (SCIM's startIndex − 1); After is cheaper
	Limit      int
}

// UserPage returns one page of people (q.Limit of them) and whether more
// follow. A deep page costs what the first does.
func (s *Store) UserPage(ctx context.Context, q UserQuery) ([]UserRow, bool, error) {
	if q.Limit <= 0 {
		return nil, false, fmt.Errorf("store: a page of people needs a limit")
	}
	var rows []UserRow
	sq := s.r.NewSelect().Model(&rows).ColumnExpr("?TableAlias.*").ColumnExpr("COALESCE(m.team_id, 0) AS team_id").
		Join("LEFT JOIN team_members AS m ON m.user_id = ?TableAlias.id AND m.role = ?", MemberRole)
	if q.Email != "" {
		sq = sq.Where("?TableAlias.email = ?", NormaliseEmail(q.Email))
	}
	if q.Username != "" {
		sq = sq.Where("?TableAlias.username = ?", NormaliseUsername(q.Username))
	}
	if q.ExternalID != "" {
		sq = sq.Where("?TableAlias.external_id = ?", q.ExternalID)
	}
	if q.Role != "" {
		sq = sq.Where("?TableAlias.role = ?", q.Role)
	}
	if q.Active != nil {
		sq = sq.Where("?TableAlias.active = ?", *q.Active)
	}
	if q.TeamID != 0 {
		sq = sq.Where("m.team_id = ?", q.TeamID)
	}
	if q.After != 0 {
		sq = sq.Where("?TableAlias.id > ?", q.After)
	}
	if q.Offset > 0 {
		sq = sq.Offset(int64(q.Offset))
	}
	if err := sq.OrderExpr("?TableAlias.id").Limit(int64(q.Limit + 1)).Scan(ctx); err != nil {
		return nil, false, wrap(err, "list people")
	}
	more := len(rows) > q.Limit
	if more {
		rows = rows[:q.Limit]
	}
	return rows, more, nil
}

// UserRowByID returns one person with their team.
func (s *Store) UserRowByID(ctx context.Context, id int64) (*UserRow, error) {
	r := new(UserRow)
	err := s.r.NewSelect().Model(r).ColumnExpr("?TableAlias.*").ColumnExpr("COALESCE(m.team_id, 0) AS team_id").
		Join("LEFT JOIN team_members AS m ON m.user_id = ?TableAlias.id AND m.role = ?", MemberRole).
		Where("?TableAlias.id = ?", id).Scan(ctx)
	return r, wrap(err, "load user %d", id)
}

// UpdateUser stores a person's name, email, username, role and external ID;
// an email or username someone else has is ErrConflict.
func (s *Store) UpdateUser(ctx context.Context, u *User) error {
	s.sessions.dropUsers(u.ID) // the cached user has the old name and role
	u.Email = NormaliseEmail(u.Email)
	u.Username = NormaliseUsername(u.Username)
	_, err := s.w.NewUpdate().Model(u).Column("name", "email", "username", "role", "external_id").WherePK().Exec(ctx)
	return wrap(err, "update user %d", u.ID)
}
