package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/database"
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

// MarkPassedProgress records a pass as MarkPassed does and returns the
// person's progress on the course after it, which a passing submit needs
// to judge completion. On PostgreSQL that is one statement: the upsert,
// and the course's other modules as they were before it (a statement sees
// the rows of its own upsert only through RETURNING).
func (s *Store) MarkPassedProgress(ctx context.Context, userID, courseID, versionID int64, module string, score int, now time.Time) ([]ModuleProgress, error) {
	if s.dialect != database.Postgres {
		if err := s.MarkPassed(ctx, userID, courseID, versionID, module, score, now); err != nil {
			return nil, err
		}
		return s.Progress(ctx, userID, courseID)
	}
	now = Now(now)
	var ps []ModuleProgress
	err := s.scanPrepared(ctx, true, &ps, s.sql.markPassedProgress,
		userID, courseID, module, versionID, now, now, now, score, userID, courseID, module)
	return ps, wrap(err, "record pass of module %s", module)
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

// enrolmentProgressColumns are the columns of an enrolmentProgressRow.
const enrolmentProgressColumns = `
	e.id AS e_id, e.user_id AS e_user_id, e.course_id AS e_course_id, e.assigned_at AS e_assigned_at,
	e.due_at AS e_due_at, e.started_at AS e_started_at, e.last_activity_at AS e_last_activity_at,
	e.last_completed_at AS e_last_completed_at, e.next_due_at AS e_next_due_at, e.cycle AS e_cycle,
	e.created_at AS e_created_at,
	mp.id AS p_id, mp.user_id AS p_user_id, mp.course_id AS p_course_id, mp.module_slug AS p_module_slug,
	mp.version_id AS p_version_id, mp.first_viewed_at AS p_first_viewed_at, mp.read_at AS p_read_at,
	mp.passed_at AS p_passed_at, mp.pass_score AS p_pass_score`

// enrolmentProgressSQL is prepared: it runs on every view of a course page.
const enrolmentProgressSQL = `SELECT` + enrolmentProgressColumns + `
FROM enrolments AS e
LEFT JOIN module_progress AS mp ON mp.user_id = e.user_id AND mp.course_id = e.course_id
WHERE e.user_id = ? AND e.course_id = ?`

// EnrolmentAndProgress reads a person's enrolment on a course and their
// progress on its modules in one query. The enrolment is nil (and
// ErrNotFound is not returned) when the person never opened the course.
func (s *Store) EnrolmentAndProgress(ctx context.Context, userID, courseID int64) (*Enrolment, []ModuleProgress, error) {
	var rows []enrolmentProgressRow
	err := s.scanPrepared(ctx, false, &rows, enrolmentProgressSQL, userID, courseID)
	if err != nil {
		return nil, nil, wrap(err, "load enrolment and progress of user %d on course %d", userID, courseID)
	}
	e, ps := enrolmentAndProgress(rows, func(r enrolmentProgressRow) enrolmentProgressRow { return r })
	return e, ps, nil
}

// enrolmentAndProgress gathers the enrolment and progress of joined rows.
func enrolmentAndProgress[R any](rows []R, ep func(R) enrolmentProgressRow) (*Enrolment, []ModuleProgress) {
	if len(rows) == 0 {
		return nil, nil
	}
	e := ep(rows[0]).E
	var ps []ModuleProgress
	for _, r := range rows {
		if p := ep(r).P; p.ID != 0 {
			ps = append(ps, p)
		}
	}
	return &e, ps
}

// moduleViewRow is one row of ModuleView: an enrolmentProgressRow with the
// open quiz draw beside it (NULLs when there is none).
type moduleViewRow struct {
	enrolmentProgressRow
	D QuizDraw `bun:"embed:d_"`
}

// moduleViewSQL adds the open draw (the one openDrawFilter finds, looked up
// once: the subquery names no outer column) to enrolmentProgressSQL.
func moduleViewSQL(db *bun.DB) string {
	return `SELECT` + enrolmentProgressColumns + ", " + columns(db, (*QuizDraw)(nil), "qd", "d_") + `
FROM enrolments AS e
LEFT JOIN module_progress AS mp ON mp.user_id = e.user_id AND mp.course_id = e.course_id
LEFT JOIN quiz_draws AS qd ON qd.id = (SELECT od.id FROM quiz_draws AS od WHERE ` + openDrawFilter("od") + `)
WHERE e.user_id = ? AND e.course_id = ?`
}

// ModuleView is what a module page reads, in one round trip: the person's
// enrolment on the course and progress on its modules (as
// EnrolmentAndProgress) and their open draw of the module's quiz on the
// version (as OpenQuizDraw; nil when there is none). When the person
// never opened the course, the enrolment is nil and so is the draw, which
// was then not looked for (a draw belongs to an enrolment's course; ask
// OpenQuizDraw once the enrolment exists).
func (s *Store) ModuleView(ctx context.Context, userID, courseID, versionID int64, module string) (*Enrolment, []ModuleProgress, *QuizDraw, error) {
	var rows []moduleViewRow
	err := s.scanPrepared(ctx, false, &rows, s.sql.moduleView, userID, courseID, module, versionID, userID, courseID)
	if err != nil {
		return nil, nil, nil, wrap(err, "load enrolment, progress and open quiz of user %d on module %s", userID, module)
	}
	e, ps := enrolmentAndProgress(rows, func(r moduleViewRow) enrolmentProgressRow { return r.enrolmentProgressRow })
	var d *QuizDraw
	if len(rows) > 0 && rows[0].D.ID != 0 {
		d = &rows[0].D
	}
	return e, ps, d, nil
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
