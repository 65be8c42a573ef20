package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Team is one node of the organisation tree. Path is the materialised path
// of IDs from the root, "/1/7/42/", so that a team's subtree is every team
// whose path starts with its own: one range on an index, whatever the depth.
type Team struct {
	bun.BaseModel `bun:"table:teams,alias:t"`

	ID        int64     `bun:"id,pk,autoincrement"`
	ParentID  int64     `bun:"parent_id,nullzero"`
	Name      string    `bun:"name,notnull"`
	Path      string    `bun:"path,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	// ExternalID is what a provisioning system (SCIM's externalId) calls
	// the team; "" when none did.
	ExternalID string `bun:"external_id,nullzero"`
}

// Depth is 1 for a root team, 2 for its children, and so on.
func (t *Team) Depth() int { return strings.Count(t.Path, "/") - 1 }

// Membership roles in team_members.
const (
	MemberRole  = "member"  // belongs to the team (at most one team per person)
	ManagerRole = "manager" // sees the team and everything below it
)

// TeamMember is a person in a team, as member or manager.
type TeamMember struct {
	bun.BaseModel `bun:"table:team_members,alias:m"`

	ID       int64     `bun:"id,pk,autoincrement"`
	TeamID   int64     `bun:"team_id,notnull"`
	UserID   int64     `bun:"user_id,notnull"`
	Role     string    `bun:"role,notnull"`
	JoinedAt time.Time `bun:"joined_at,notnull"`
}

// PathRange returns the half-open range [lo, hi) of paths in the subtree of
// path: '0' is the byte after '/', so "/1/7/" covers "/1/7/…" up to "/1/70".
// Both databases compare these paths byte by byte (PostgreSQL through the
// column's "C" collation), so the range is an index range.
func PathRange(path string) (lo, hi string) {
	return path, path[:len(path)-1] + "0"
}

// CreateTeam adds a team under parentID (0 for a new root). A sibling with
// the same name is ErrConflict.
func (s *Store) CreateTeam(ctx context.Context, parentID int64, name string, now time.Time) (*Team, error) {
	name = strings.TrimSpace(name)
	t := &Team{ParentID: parentID, Name: name, CreatedAt: Now(now)}
	err := s.Tx(ctx, func(tx *Store) error {
		parentPath := "/"
		if parentID != 0 {
			p, err := tx.Team(ctx, parentID)
			if err != nil {
				return err
			}
			parentPath = p.Path
		}
		if n, err := tx.w.NewSelect().Model((*Team)(nil)).Where("name = ?", name).
			Apply(parentIs(parentID)).Count(ctx); err != nil {
			return wrap(err, "look for team %q", name)
		} else if n > 0 {
			return wrap(ErrConflict, "create team %q", name)
		}
		// The ID is known only after the insert: a placeholder path first.
		t.Path = "new:" + strconv.FormatInt(now.UnixNano(), 36) + ":" + name
		if _, err := tx.w.NewInsert().Model(t).Exec(ctx); err != nil {
			return wrap(err, "create team %q", name)
		}
		t.Path = parentPath + strconv.FormatInt(t.ID, 10) + "/"
		_, err := tx.w.NewUpdate().Model(t).Column("path").WherePK().Exec(ctx)
		return wrap(err, "set the path of team %d", t.ID)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func parentIs(parentID int64) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if parentID == 0 {
			return q.Where("parent_id IS NULL")
		}
		return q.Where("parent_id = ?", parentID)
	}
}

// Team returns one team.
func (s *Store) Team(ctx context.Context, id int64) (*Team, error) {
	t := new(Team)
	err := s.r.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	return t, wrap(err, "load team %d", id)
}

// Teams lists every team in the subtrees of paths (all teams when paths is
// empty), in path order.
func (s *Store) Teams(ctx context.Context, paths ...string) ([]Team, error) {
	var ts []Team
	q := s.r.NewSelect().Model(&ts)
	if len(paths) > 0 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			for _, p := range paths {
				lo, hi := PathRange(p)
				q = q.WhereOr("(path >= ? AND path < ?)", lo, hi)
			}
			return q
		})
	}
	err := q.Order("path").Scan(ctx)
	return ts, wrap(err, "list teams")
}

// ChildTeams lists the teams directly under parentID (0: the roots) by name.
func (s *Store) ChildTeams(ctx context.Context, parentID int64) ([]Team, error) {
	var ts []Team
	err := s.r.NewSelect().Model(&ts).Apply(parentIs(parentID)).Order("name", "id").Scan(ctx)
	return ts, wrap(err, "list the teams under %d", parentID)
}

// TeamsByIDs returns teams by ID (for breadcrumbs: the IDs of a path).
func (s *Store) TeamsByIDs(ctx context.Context, ids []int64) ([]Team, error) {
	var ts []Team
	if len(ids) == 0 {
		return nil, nil
	}
	err := s.r.NewSelect().Model(&ts).Where("id IN (?)", bun.In(ids)).Order("path").Scan(ctx)
	return ts, wrap(err, "load %d teams", len(ids))
}

// Ancestors returns the IDs on a team's path, root first, itself last.
func (t *Team) Ancestors() []int64 { return ancestors(t.Path) }

// RenameTeam changes a team's name; a sibling already so named is ErrConflict.
func (s *Store) RenameTeam(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	return s.Tx(ctx, func(tx *Store) error {
		t, err := tx.Team(ctx, id)
		if err != nil {
			return err
		}
		n, err := tx.w.NewSelect().Model((*Team)(nil)).Where("name = ?", name).Where("id <> ?", id).
			Apply(parentIs(t.ParentID)).Count(ctx)
		if err != nil {
			return wrap(err, "look for team %q", name)
		} else if n > 0 {
			return wrap(ErrConflict, "rename team %d", id)
		}
		_, err = tx.w.NewUpdate().Model((*Team)(nil)).Set("name = ?", name).Where("id = ?", id).Exec(ctx)
		return wrap(err, "rename team %d", id)
	})
}

// ErrCycle is returned when a team would move under itself.
var ErrCycle = fmt.Errorf("store: a team cannot move under itself or its own subteams: %w", ErrConflict)

// MoveTeam puts a team (with its subtree) under newParentID (0: make it a
// root). Every path in the subtree is rewritten in one statement.
func (s *Store) MoveTeam(ctx context.Context, id, newParentID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		t, err := tx.Team(ctx, id)
		if err != nil {
			return err
		}
		newPath := "/" + strconv.FormatInt(id, 10) + "/"
		if newParentID != 0 {
			p, err := tx.Team(ctx, newParentID)
			if err != nil {
				return err
			}
			if strings.HasPrefix(p.Path, t.Path) {
				return ErrCycle
			}
			newPath = p.Path + strconv.FormatInt(id, 10) + "/"
		}
		n, err := tx.w.NewSelect().Model((*Team)(nil)).Where("name = ?", t.Name).Where("id <> ?", id).
			Apply(parentIs(newParentID)).Count(ctx)
		if err != nil {
			return wrap(err, "look for team %q", t.Name)
		} else if n > 0 {
			return wrap(ErrConflict, "move team %d", id)
		}
		lo, hi := PathRange(t.Path)
		if _, err := tx.w.NewUpdate().Model((*Team)(nil)).
			Set("path = ? || substr(path, ?)", newPath, len(t.Path)+1).
			Where("path >= ? AND path < ?", lo, hi).Exec(ctx); err != nil {
			return wrap(err, "move the subtree of team %d", id)
		}
		q := tx.w.NewUpdate().Model((*Team)(nil)).Where("id = ?", id)
		if newParentID == 0 {
			q = q.Set("parent_id = NULL")
		} else {
			q = q.Set("parent_id = ?", newParentID)
		}
		_, err = q.Exec(ctx)
		return wrap(err, "move team %d", id)
	})
}

// SetTeam makes a person a member of teamID (0: of no team), leaving any
// team they belonged to, and enrols them on the courses assigned to the new
// team and its ancestors, each with their own due date. Enrolments of the
// old team stay: history is never removed.
func (s *Store) SetTeam(ctx context.Context, userID, teamID int64, now time.Time, loc *time.Location) error {
	return s.Tx(ctx, func(tx *Store) error {
		var cur []TeamMember
		if err := tx.w.NewSelect().Model(&cur).Where("user_id = ?", userID).Where("role = ?", MemberRole).Scan(ctx); err != nil {
			return wrap(err, "load the team of user %d", userID)
		}
		if len(cur) == 1 && cur[0].TeamID == teamID {
			return nil
		}
		if _, err := tx.w.NewDelete().Model((*TeamMember)(nil)).Where("user_id = ?", userID).
			Where("role = ?", MemberRole).Exec(ctx); err != nil {
			return wrap(err, "take user %d out of their team", userID)
		}
		if teamID == 0 {
			return nil
		}
		m := &TeamMember{TeamID: teamID, UserID: userID, Role: MemberRole, JoinedAt: Now(now)}
		if _, err := tx.w.NewInsert().Model(m).Exec(ctx); err != nil {
			return wrap(err, "put user %d in team %d", userID, teamID)
		}
		return tx.enrolJoiners(ctx, teamID, []int64{userID}, now, loc)
	})
}

// SetManager gives or takes away the management of a team.
func (s *Store) SetManager(ctx context.Context, teamID, userID int64, manages bool, now time.Time) error {
	if !manages {
		_, err := s.w.NewDelete().Model((*TeamMember)(nil)).Where("team_id = ?", teamID).
			Where("user_id = ?", userID).Where("role = ?", ManagerRole).Exec(ctx)
		return wrap(err, "remove user %d as manager of team %d", userID, teamID)
	}
	m := &TeamMember{TeamID: teamID, UserID: userID, Role: ManagerRole, JoinedAt: Now(now)}
	_, err := s.w.NewInsert().Model(m).On("CONFLICT (team_id, role, user_id) DO NOTHING").Exec(ctx)
	return wrap(err, "make user %d manager of team %d", userID, teamID)
}

// ManagedTeams lists the teams a person manages, in path order.
func (s *Store) ManagedTeams(ctx context.Context, userID int64) ([]Team, error) {
	var ts []Team
	err := s.r.NewSelect().Model(&ts).
		Join("JOIN team_members AS m ON m.team_id = t.id").
		Where("m.user_id = ?", userID).Where("m.role = ?", ManagerRole).
		Order("t.path").Scan(ctx)
	return ts, wrap(err, "list the teams user %d manages", userID)
}

// TeamOf returns the team a person belongs to; ErrNotFound when none.
func (s *Store) TeamOf(ctx context.Context, userID int64) (*Team, error) {
	t := new(Team)
	err := s.r.NewSelect().Model(t).
		Join("JOIN team_members AS m ON m.team_id = t.id").
		Where("m.user_id = ?", userID).Where("m.role = ?", MemberRole).Scan(ctx)
	return t, wrap(err, "load the team of user %d", userID)
}

// Managers lists the people who manage a team (not its ancestors).
func (s *Store) Managers(ctx context.Context, teamID int64) ([]User, error) {
	var us []User
	err := s.r.NewSelect().Model(&us).
		Join("JOIN team_members AS m ON m.user_id = ?TableAlias.id").
		Where("m.team_id = ?", teamID).Where("m.role = ?", ManagerRole).
		OrderExpr("?TableAlias.name, ?TableAlias.id").Scan(ctx)
	return us, wrap(err, "list the managers of team %d", teamID)
}

// TeamMembers lists the active and inactive members of one team itself (not
// its subteams), by name, at most limit.
func (s *Store) TeamMembers(ctx context.Context, teamID int64, limit int) ([]User, error) {
	var us []User
	err := s.r.NewSelect().Model(&us).
		Join("JOIN team_members AS m ON m.user_id = ?TableAlias.id").
		Where("m.team_id = ?", teamID).Where("m.role = ?", MemberRole).
		OrderExpr("?TableAlias.name, ?TableAlias.id").Limit(int64(limit)).Scan(ctx)
	return us, wrap(err, "list the members of team %d", teamID)
}

// SetActive deactivates or reactivates a person. A deactivated person can
// no longer sign in and leaves the reports; their history stays.
func (s *Store) SetActive(ctx context.Context, userID int64, active bool) error {
	s.sessions.dropUsers(userID)
	_, err := s.w.NewUpdate().Model((*User)(nil)).Set("active = ?", active).Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return wrap(err, "set user %d active=%v", userID, active)
	}
	if !active {
		_, err = s.w.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx)
	}
	return wrap(err, "end the sessions of user %d", userID)
}

// SetRole changes a person's role.
func (s *Store) SetRole(ctx context.Context, userID int64, role string) error {
	s.sessions.dropUsers(userID) // the cached user has the old role
	_, err := s.w.NewUpdate().Model((*User)(nil)).Set("role = ?", role).Where("id = ?", userID).Exec(ctx)
	return wrap(err, "set the role of user %d", userID)
}

// SetTeamExternalID records what a provisioning system calls a team.
func (s *Store) SetTeamExternalID(ctx context.Context, id int64, externalID string) error {
	q := s.w.NewUpdate().Model((*Team)(nil)).Where("id = ?", id)
	if externalID == "" {
		q = q.Set("external_id = NULL")
	} else {
		q = q.Set("external_id = ?", externalID)
	}
	_, err := q.Exec(ctx)
	return wrap(err, "set the external ID of team %d", id)
}

// FindTeams lists the teams with that exact name and external ID ("" does
// not filter), in path order.
func (s *Store) FindTeams(ctx context.Context, name, externalID string) ([]Team, error) {
	var ts []Team
	q := s.r.NewSelect().Model(&ts)
	if name != "" {
		q = q.Where("name = ?", strings.TrimSpace(name))
	}
	if externalID != "" {
		q = q.Where("external_id = ?", externalID)
	}
	err := q.Order("path").Scan(ctx)
	return ts, wrap(err, "find teams")
}
