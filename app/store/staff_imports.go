package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// StaffImport is an uploaded staff CSV between preview and confirmation,
// and the progress of applying it.
type StaffImport struct {
	bun.BaseModel `bun:"table:staff_imports,alias:si"`

	ID        int64     `bun:"id,pk,autoincrement"`
	CreatedBy int64     `bun:"created_by,nullzero"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	Filename  string    `bun:"filename,notnull"`
	Content   string    `bun:"content,notnull"`
	TotalRows int       `bun:"total_rows,notnull"`
	DoneRows  int       `bun:"done_rows,notnull"`
	Status    string    `bun:"status,notnull"`
	Summary   string    `bun:"summary,notnull"`
	AppliedAt time.Time `bun:"applied_at,nullzero"`

	LeaseOwner string    `bun:"lease_owner,notnull"` // the instance applying it
	LeaseUntil time.Time `bun:"lease_until,nullzero"`
}

// Import statuses. An applying import without a live lease waits for the
// job runner.
const (
	ImportPreviewed = "previewed"
	ImportApplying  = "applying"
	ImportApplied   = "applied"
	ImportFailed    = "failed"
)

// ErrLeaseLost is an instance writing to an import whose lease ran out and
// was taken by another: it must stop, the other carries on.
var ErrLeaseLost = errors.New("store: the lease on this import passed to another instance")

// CreateImport stores an upload for its preview.
func (s *Store) CreateImport(ctx context.Context, im *StaffImport) error {
	im.CreatedAt = Now(im.CreatedAt)
	_, err := s.w.NewInsert().Model(im).Exec(ctx)
	return wrap(err, "store staff import")
}

// StaffImport returns one import.
func (s *Store) StaffImport(ctx context.Context, id int64) (*StaffImport, error) {
	im := new(StaffImport)
	err := s.r.NewSelect().Model(im).Where("id = ?", id).Scan(ctx)
	return im, wrap(err, "load staff import %d", id)
}

// StartImport moves a previewed import to applying; false when it was not
// previewed (confirmed twice, or already applied).
func (s *Store) StartImport(ctx context.Context, id int64) (bool, error) {
	res, err := s.w.NewUpdate().Model((*StaffImport)(nil)).Set("status = ?", ImportApplying).
		Where("id = ?", id).Where("status = ?", ImportPreviewed).Exec(ctx)
	if err != nil {
		return false, wrap(err, "start staff import %d", id)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LeaseImport takes the oldest confirmed import nobody holds, for owner
// until now+lease; ErrNotFound when none waits. Each candidate is taken by
// one conditional UPDATE, so of several instances exactly one gets it.
func (s *Store) LeaseImport(ctx context.Context, owner string, now time.Time, lease time.Duration) (*StaffImport, error) {
	now = Now(now)
	free := func(q bun.QueryBuilder) bun.QueryBuilder {
		return q.Where("status = ?", ImportApplying).Where("(lease_until IS NULL OR lease_until < ?)", now)
	}
	var ids []int64
	if err := s.w.NewSelect().Model((*StaffImport)(nil)).Column("id").
		ApplyQueryBuilder(free).Order("id").Limit(5).Scan(ctx, &ids); err != nil {
		return nil, wrap(err, "look for staff imports to apply")
	}
	for _, id := range ids {
		res, err := s.w.NewUpdate().Model((*StaffImport)(nil)).
			Set("lease_owner = ?", owner).Set("lease_until = ?", now.Add(lease)).
			Where("id = ?", id).ApplyQueryBuilder(free).Exec(ctx)
		if err != nil {
			return nil, wrap(err, "lease staff import %d", id)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return s.StaffImport(ctx, id)
		}
	}
	return nil, wrap(sql.ErrNoRows, "lease a staff import")
}

// ImportProgress records how many rows owner has applied and renews its
// lease until now+lease; ErrLeaseLost when owner no longer holds it.
func (s *Store) ImportProgress(ctx context.Context, id int64, owner string, done int, now time.Time, lease time.Duration) error {
	res, err := s.w.NewUpdate().Model((*StaffImport)(nil)).Set("done_rows = ?", done).
		Set("lease_until = ?", Now(now).Add(lease)).
		Where("id = ?", id).Where("lease_owner = ?", owner).Where("status = ?", ImportApplying).Exec(ctx)
	if err != nil {
		return wrap(err, "record progress of staff import %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: staff import %d: %w", id, ErrLeaseLost)
	}
	return nil
}

// ReleaseImport hands an import owner holds back unfinished, for the next
// instance that looks (a shutdown between two batches).
func (s *Store) ReleaseImport(ctx context.Context, id int64, owner string) error {
	_, err := s.w.NewUpdate().Model((*StaffImport)(nil)).Set("lease_until = NULL").
		Where("id = ?", id).Where("lease_owner = ?", owner).Where("status = ?", ImportApplying).Exec(ctx)
	return wrap(err, "release staff import %d", id)
}

// FinishImport records the outcome of an import owner holds, and releases it.
func (s *Store) FinishImport(ctx context.Context, id int64, owner, status, summary string, now time.Time) error {
	res, err := s.w.NewUpdate().Model((*StaffImport)(nil)).Set("status = ?", status).Set("summary = ?", summary).
		Set("applied_at = ?", Now(now)).Set("lease_until = NULL").
		Where("id = ?", id).Where("lease_owner = ?", owner).Where("status = ?", ImportApplying).Exec(ctx)
	if err != nil {
		return wrap(err, "finish staff import %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: staff import %d: %w", id, ErrLeaseLost)
	}
	return nil
}

// SetTeams makes many people members of one team at once (leaving any other
// team) and enrols them on the courses assigned to it and its ancestors.
func (s *Store) SetTeams(ctx context.Context, teamID int64, userIDs []int64, now time.Time, loc *time.Location) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := Now(now)
		return chunks(userIDs, batchRows, func(part []int64) error {
			if _, err := tx.w.NewDelete().Model((*TeamMember)(nil)).Where("role = ?", MemberRole).
				Where("user_id IN (?)", bun.In(part)).Exec(ctx); err != nil {
				return wrap(err, "take %d people out of their teams", len(part))
			}
			ms := make([]TeamMember, len(part))
			for i, id := range part {
				ms[i] = TeamMember{TeamID: teamID, UserID: id, Role: MemberRole, JoinedAt: now}
			}
			if _, err := tx.w.NewInsert().Model(&ms).Exec(ctx); err != nil {
				return wrap(err, "put %d people in team %d", len(part), teamID)
			}
			return tx.enrolJoiners(ctx, teamID, part, now, loc)
		})
	})
}

// Memberships returns the team each of userIDs belongs to (absent: none).
func (s *Store) Memberships(ctx context.Context, userIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(userIDs))
	err := chunks(userIDs, batchRows, func(part []int64) error {
		var ms []TeamMember
		if err := s.r.NewSelect().Model(&ms).Where("role = ?", MemberRole).Where("user_id IN (?)", bun.In(part)).Scan(ctx); err != nil {
			return wrap(err, "read the teams of %d people", len(part))
		}
		for _, m := range ms {
			out[m.UserID] = m.TeamID
		}
		return nil
	})
	return out, err
}

// ManagerPairs returns, for userIDs, the set of (user, team) they manage.
func (s *Store) ManagerPairs(ctx context.Context, userIDs []int64) (map[[2]int64]bool, error) {
	out := map[[2]int64]bool{}
	err := chunks(userIDs, batchRows, func(part []int64) error {
		var ms []TeamMember
		if err := s.r.NewSelect().Model(&ms).Where("role = ?", ManagerRole).Where("user_id IN (?)", bun.In(part)).Scan(ctx); err != nil {
			return wrap(err, "read the managed teams of %d people", len(part))
		}
		for _, m := range ms {
			out[[2]int64{m.UserID, m.TeamID}] = true
		}
		return nil
	})
	return out, err
}

// UpdatePerson sets a person's name and role.
//
// username "" keeps the person's username; another value replaces it.
func (s *Store) UpdatePerson(ctx context.Context, userID int64, name, role, username string) error {
	s.sessions.dropUsers(userID) // the cached user has the old name and role
	q := s.w.NewUpdate().Model((*User)(nil)).Set("name = ?", name).Set("role = ?", role)
	if username != "" {
		q = q.Set("username = ?", NormaliseUsername(username))
	}
	_, err := q.Where("id = ?", userID).Exec(ctx)
	return wrap(err, "update user %d", userID)
}
