package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Job is one scheduled job's row: when it runs next and who holds it.
type Job struct {
	bun.BaseModel `bun:"table:jobs,alias:j"`

	Name       string    `bun:"name,pk"`
	NextRunAt  time.Time `bun:"next_run_at,notnull"`
	LeaseUntil time.Time `bun:"lease_until,nullzero"`
	LeaseOwner string    `bun:"lease_owner,notnull"`
	LastRunAt  time.Time `bun:"last_run_at,nullzero"`
	LastError  string    `bun:"last_error,notnull"`
	// LastSuccessAt is when the job last finished without an error.
	LastSuccessAt time.Time `bun:"last_success_at,nullzero"`
}

// LeaseJob takes a job for owner until now+lease if it is due and nobody
// holds it; the one UPDATE is atomic on both databases, so of several
// instances asking at once exactly one gets it. A new job is due at once.
func (s *Store) LeaseJob(ctx context.Context, name, owner string, now time.Time, lease time.Duration) (bool, error) {
	now = Now(now)
	if _, err := s.w.NewInsert().Model(&Job{Name: name, NextRunAt: now}).On("CONFLICT (name) DO NOTHING").Exec(ctx); err != nil {
		return false, wrap(err, "create job %s", name)
	}
	res, err := s.w.NewUpdate().Model((*Job)(nil)).
		Set("lease_until = ?", now.Add(lease)).Set("lease_owner = ?", owner).
		Where("name = ?", name).Where("next_run_at <= ?", now).
		Where("(lease_until IS NULL OR lease_until < ?)", now).Exec(ctx)
	if err != nil {
		return false, wrap(err, "lease job %s", name)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FinishJob releases a job owner holds and sets its next run.
func (s *Store) FinishJob(ctx context.Context, name, owner string, now, next time.Time, errText string) error {
	q := s.w.NewUpdate().Model((*Job)(nil)).
		Set("lease_until = NULL").Set("last_run_at = ?", Now(now)).Set("next_run_at = ?", Now(next)).
		Set("last_error = ?", errText)
	if errText == "" {
		q = q.Set("last_success_at = ?", Now(now))
	}
	_, err := q.Where("name = ?", name).Where("lease_owner = ?", owner).Exec(ctx)
	return wrap(err, "finish job %s", name)
}

// Jobs lists every job row.
func (s *Store) Jobs(ctx context.Context) ([]Job, error) {
	var js []Job
	return js, wrap(s.r.NewSelect().Model(&js).Order("name").Scan(ctx), "list jobs")
}
