package store

import (
	"context"
	"fmt"
	"time"
)

// CourseSummary is a course as the trainer's course list shows it: its
// published version and who published it.
type CourseSummary struct {
	ID            int64
	Slug          string
	Title         string
	ArchivedAt    time.Time `bun:",nullzero"`
	VersionID     int64     `bun:",nullzero"`
	VersionNumber int       `bun:",nullzero"`
	PublishedAt   time.Time `bun:",nullzero"`
	PublishedBy   string    // name, "" for a file import
	Origin        string
}

// CourseSummaries lists every course, archived ones too, by title.
func (s *Store) CourseSummaries(ctx context.Context) ([]CourseSummary, error) {
	var out []CourseSummary
	err := s.r.NewSelect().Model((*Course)(nil)).
		ColumnExpr("c.id, c.slug, c.title, c.archived_at").
		ColumnExpr("v.id AS version_id, v.number AS version_number, v.published_at, v.origin").
		ColumnExpr("COALESCE(u.name, '') AS published_by").
		Join("LEFT JOIN course_versions AS v ON v.id = c.current_version_id").
		Join("LEFT JOIN users AS u ON u.id = v.published_by").
		Order("c.title", "c.id").Scan(ctx, &out)
	return out, wrap(err, "list courses for trainers")
}

// CourseAnyState returns a course row whether or not it is archived.
func (s *Store) CourseAnyState(ctx context.Context, slug string) (*Course, error) {
	c := new(Course)
	err := s.r.NewSelect().Model(c).Where("slug = ?", slug).Scan(ctx)
	return c, wrap(err, "load course %q", slug)
}

// VersionInfo is one version in a course's history, without its source.
type VersionInfo struct {
	ID          int64
	Number      int
	Hash        string
	Origin      string
	Material    bool
	Note        string
	PublishedAt time.Time
	ByName      string // "" when published from files at start-up
}

// Versions lists a course's versions, newest first.
func (s *Store) Versions(ctx context.Context, courseID int64) ([]VersionInfo, error) {
	var out []VersionInfo
	err := s.r.NewSelect().Model((*CourseVersion)(nil)).
		ColumnExpr("v.id, v.number, v.hash, v.origin, v.material, v.note, v.published_at").
		ColumnExpr("COALESCE(u.name, '') AS by_name").
		Join("LEFT JOIN users AS u ON u.id = v.published_by").
		Where("v.course_id = ?", courseID).OrderExpr("v.number DESC").Scan(ctx, &out)
	return out, wrap(err, "list the versions of course %d", courseID)
}

// VersionByNumber returns one version of a course by its number.
func (s *Store) VersionByNumber(ctx context.Context, courseID int64, number int) (*CourseVersion, error) {
	v := new(CourseVersion)
	err := s.r.NewSelect().Model(v).Where("course_id = ?", courseID).Where("number = ?", number).Scan(ctx)
	return v, wrap(err, "load version %d of course %d", number, courseID)
}

// ArchiveCourse takes a course away from learners (their records stay) and
// writes the audit entry, in one transaction. Publishing it again brings it back.
func (s *Store) ArchiveCourse(ctx context.Context, courseID int64, slug string, by *int64, at time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		at := Now(at)
		res, err := tx.w.NewUpdate().Model((*Course)(nil)).Set("archived_at = ?", at).Set("updated_at = ?", at).
			Where("id = ?", courseID).Where("archived_at IS NULL").Exec(ctx)
		if err != nil {
			return wrap(err, "archive course %q", slug)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wrap(ErrNotFound, "archive course %q", slug)
		}
		return tx.Audit(ctx, &AuditEntry{ActorID: by, Action: "course.delete", Target: slug,
			Detail: fmt.Sprintf("course %d archived: learners no longer see it; records are kept", courseID), At: at})
	})
}

// AuditFor returns the newest audit entries about one target.
func (s *Store) AuditFor(ctx context.Context, target string, limit int) ([]AuditEntry, error) {
	var es []AuditEntry
	err := s.r.NewSelect().Model(&es).Where("target = ?", target).OrderExpr("at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return es, wrap(err, "read the audit log of %q", target)
}
