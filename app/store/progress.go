package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// ModuleProgress is a person's latest read and pass of one module. The full
// history is in attempts; this row answers "is it done this cycle" in one read.
type ModuleProgress struct {
	bun.BaseModel `bun:"table:module_progress,alias:mp"`

	ID            int64     `bun:"id,pk,autoincrement"`
	UserID        int64     `bun:"user_id,notnull"`
	CourseID      int64     `bun:"course_id,notnull"`
	ModuleSlug    string    `bun:"module_slug,notnull"`
	VersionID     int64     `bun:"version_id,notnull"`
	FirstViewedAt time.Time `bun:"first_viewed_at,notnull"`
	ReadAt        time.Time `bun:"read_at,nullzero"`
	PassedAt      time.Time `bun:"passed_at,nullzero"`
	PassScore     *int      `bun:"pass_score"`
}

// Progress lists a person's progress on one course (courseID > 0) or on all.
func (s *Store) Progress(ctx context.Context, userID, courseID int64) ([]ModuleProgress, error) {
	var ps []ModuleProgress
	q := s.r.NewSelect().Model(&ps).Where("user_id = ?", userID)
	if courseID > 0 {
		q = q.Where("course_id = ?", courseID)
	}
	err := q.Scan(ctx)
	return ps, wrap(err, "load progress of user %d", userID)
}

// MarkViewed records the first view of a module; later views write nothing.
func (s *Store) MarkViewed(ctx context.Context, userID, courseID, versionID int64, module string, now time.Time) error {
	p := &ModuleProgress{UserID: userID, CourseID: courseID, ModuleSlug: module, VersionID: versionID, FirstViewedAt: Now(now)}
	_, err := s.w.NewInsert().Model(p).On("CONFLICT (user_id, course_id, module_slug) DO NOTHING").Exec(ctx)
	return wrap(err, "record view of module %s", module)
}

// MarkRead records that a module's lesson was read now.
func (s *Store) MarkRead(ctx context.Context, userID, courseID, versionID int64, module string, now time.Time) error {
	now = Now(now)
	p := &ModuleProgress{UserID: userID, CourseID: courseID, ModuleSlug: module, VersionID: versionID, FirstViewedAt: now, ReadAt: now}
	_, err := s.w.NewInsert().Model(p).
		On("CONFLICT (user_id, course_id, module_slug) DO UPDATE").
		Set("read_at = EXCLUDED.read_at").Set("version_id = EXCLUDED.version_id").
		Exec(ctx)
	return wrap(err, "record read of module %s", module)
}

// MarkPassed records a passed quiz, which also counts as reading the lesson.
func (s *Store) MarkPassed(ctx context.Context, userID, courseID, versionID int64, module string, score int, now time.Time) error {
	now = Now(now)
	p := &ModuleProgress{UserID: userID, CourseID: courseID, ModuleSlug: module, VersionID: versionID,
		FirstViewedAt: now, ReadAt: now, PassedAt: now, PassScore: &score}
	_, err := s.w.NewInsert().Model(p).
		On("CONFLICT (user_id, course_id, module_slug) DO UPDATE").
		Set("read_at = EXCLUDED.read_at").Set("passed_at = EXCLUDED.passed_at").
		Set("pass_score = EXCLUDED.pass_score").Set("version_id = EXCLUDED.version_id").
		Exec(ctx)
	return wrap(err, "record pass of module %s", module)
}
