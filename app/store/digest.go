package store

import "context"

// Managed is one person a manager looks after, through a team they manage
// or one below it.
type Managed struct {
	ManagerID int64  `bun:"manager_id"`
	MemberID  int64  `bun:"member_id"`
	Team      string `bun:"team"`
}

// ManagedMembers lists, for every team manager, the members of the teams in
// their subtrees (teams hold a materialised path, so a subtree is a prefix):
// whom each manager's weekly digest covers.
func (s *Store) ManagedMembers(ctx context.Context) ([]Managed, error) {
	var out []Managed
	err := s.r.NewRaw(`SELECT DISTINCT mg.user_id AS manager_id, mb.user_id AS member_id, t.name AS team
FROM team_members AS mg
JOIN teams AS mt ON mt.id = mg.team_id
JOIN teams AS t ON t.path LIKE mt.path || '%'
JOIN team_members AS mb ON mb.team_id = t.id AND mb.role = 'member'
JOIN users AS u ON u.id = mg.user_id AND u.active
WHERE mg.role = 'manager'
ORDER BY manager_id, member_id`).Scan(ctx, &out)
	return out, wrap(err, "list the people each manager looks after")
}
