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
	if courseID > 0 { // a passing quiz submit's read: prepared
		err := s.scanPrepared(ctx, false, &ps, s.sql.progress, userID, courseID)
		return ps, wrap(err, "load progress of user %d", userID)
	}
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
	_, err := s.execPrepared(ctx, markPassedSQL,
		userID, courseID, module, versionID, now, now, now, score)
	return wrap(err, "record pass of module %s", module)
}

const markPassedSQL = `INSERT INTO module_progress AS mp
	(user_id, course_id, module_slug, version_id, first_viewed_at, read_at, passed_at, pass_score)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id, course_id, module_slug) DO UPDATE SET read_at = EXCLUDED.read_at,
	passed_at = EXCLUDED.passed_at, pass_score = EXCLUDED.pass_score, version_id = EXCLUDED.version_id`

// enrolmentProgressRow is one row of EnrolmentAndProgress: the enrolment
// repeated beside each of its module progress rows (NULLs when none).
type enrolmentProgressRow struct {
	E Enrolment      `bun:"embed:e_"`
	P ModuleProgress `bun:"embed:p_"`
}

// enrolmentProgressSQL is prepared: it runs on every module page view.
const enrolmentProgressSQL = `SELECT
	e.id AS e_id, e.user_id AS e_user_id, e.course_id AS e_course_id, e.assigned_at AS e_assigned_at,
	e.due_at AS e_due_at, e.started_at AS e_started_at, e.last_activity_at AS e_last_activity_at,
	e.last_completed_at AS e_last_completed_at, e.next_due_at AS e_next_due_at, e.cycle AS e_cycle,
	e.created_at AS e_created_at,
	mp.id AS p_id, mp.user_id AS p_user_id, mp.course_id AS p_course_id, mp.module_slug AS p_module_slug,
	mp.version_id AS p_version_id, mp.first_viewed_at AS p_first_viewed_at, mp.read_at AS p_read_at,
	mp.passed_at AS p_passed_at, mp.pass_score AS p_pass_score
FROM enrolments AS e
LEFT JOIN module_progress AS mp ON mp.user_id = e.user_id AND mp.course_id = e.course_id
WHERE e.user_id = ? AND e.course_id = ?`

// EnrolmentAndProgress reads a person's enrolment on a course and their
// progress on its modules in one query: the module page's hot path. The
// enrolment is nil (and ErrNotFound is not returned) when the person never
// opened the course.
func (s *Store) EnrolmentAndProgress(ctx context.Context, userID, courseID int64) (*Enrolment, []ModuleProgress, error) {
	var rows []enrolmentProgressRow
	err := s.scanPrepared(ctx, false, &rows, enrolmentProgressSQL, userID, courseID)
	if err != nil {
		return nil, nil, wrap(err, "load enrolment and progress of user %d on course %d", userID, courseID)
	}
	if len(rows) == 0 {
		return nil, nil, nil
	}
	e := rows[0].E
	var ps []ModuleProgress
	for _, r := range rows {
		if r.P.ID != 0 {
			ps = append(ps, r.P)
		}
	}
	return &e, ps, nil
}

// InsertProgress inserts module progress rows as they are.
func (s *Store) InsertProgress(ctx context.Context, ps []ModuleProgress) error {
	for i := range ps {
		p := &ps[i]
		p.FirstViewedAt, p.ReadAt, p.PassedAt = Now(p.FirstViewedAt), nowOrZero(p.ReadAt), nowOrZero(p.PassedAt)
	}
	return insertPrepared(ctx, s, "module progress rows", "module_progress", []string{"user_id", "course_id", "module_slug",
		"version_id", "first_viewed_at", "read_at", "passed_at", "pass_score"}, ps,
		func(p *ModuleProgress, args []any) []any {
			var score any // NULL
			if p.PassScore != nil {
				score = *p.PassScore
			}
			return append(args, p.UserID, p.CourseID, p.ModuleSlug, p.VersionID, p.FirstViewedAt, p.ReadAt, p.PassedAt, score)
		}, "", nil)
}

// ProgressOfUsers lists the module progress of many people at once.
func (s *Store) ProgressOfUsers(ctx context.Context, userIDs []int64) ([]ModuleProgress, error) {
	return byUsers[ModuleProgress](ctx, s, userIDs, "module progress")
}
