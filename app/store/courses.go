package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Course is a course's identity and the settings of its published version,
// copied here so lists and reports need no Markdown.
type Course struct {
	bun.BaseModel `bun:"table:courses,alias:c"`

	ID               int64     `bun:"id,pk,autoincrement"`
	Slug             string    `bun:"slug,notnull"`
	Title            string    `bun:"title,notnull"`
	Summary          string    `bun:"summary,notnull"`
	Refresher        string    `bun:"refresher,notnull"`
	Window           string    `bun:"refresher_window,notnull"`
	PassMark         int       `bun:"pass_mark,notnull"`
	CurrentVersionID int64     `bun:"current_version_id,nullzero"`
	CreatedAt        time.Time `bun:"created_at,notnull"`
	UpdatedAt        time.Time `bun:"updated_at,notnull"`
	ArchivedAt       time.Time `bun:"archived_at,nullzero"`
}

// CourseVersion is one immutable published version: the full Markdown source
// (a JSON list of files) and where it came from.
type CourseVersion struct {
	bun.BaseModel `bun:"table:course_versions,alias:v"`

	ID          int64     `bun:"id,pk,autoincrement"`
	CourseID    int64     `bun:"course_id,notnull"`
	Number      int       `bun:"number,notnull"`
	Source      string    `bun:"source,notnull"`
	Hash        string    `bun:"hash,notnull"`
	Origin      string    `bun:"origin,notnull"`
	Material    bool      `bun:"material,notnull"`
	Note        string    `bun:"note,notnull"`
	PublishedAt time.Time `bun:"published_at,notnull"`
	PublishedBy *int64    `bun:"published_by"`
}

// Version origins.
const (
	OriginFile    = "file"
	OriginEditor  = "editor"
	OriginImport  = "import"
	OriginRestore = "restore"
)

// CourseBySlug returns a course that has been published and not archived.
func (s *Store) CourseBySlug(ctx context.Context, slug string) (*Course, error) {
	c := new(Course)
	err := s.r.NewSelect().Model(c).Where("slug = ?", slug).
		Where("current_version_id IS NOT NULL").Where("archived_at IS NULL").Scan(ctx)
	return c, wrap(err, "load course %q", slug)
}

// PublishedCourses lists the courses people can take, by title.
func (s *Store) PublishedCourses(ctx context.Context) ([]Course, error) {
	var cs []Course
	err := s.r.NewSelect().Model(&cs).
		Where("current_version_id IS NOT NULL").Where("archived_at IS NULL").
		Order("title", "id").Scan(ctx)
	return cs, wrap(err, "list published courses")
}

// Version returns one course version.
func (s *Store) Version(ctx context.Context, id int64) (*CourseVersion, error) {
	v := new(CourseVersion)
	err := s.r.NewSelect().Model(v).Where("id = ?", id).Scan(ctx)
	return v, wrap(err, "load course version %d", id)
}

// LatestVersion returns a course's newest version with that origin, or any
// origin when origin is empty.
func (s *Store) LatestVersion(ctx context.Context, slug, origin string) (*CourseVersion, error) {
	v := new(CourseVersion)
	q := s.r.NewSelect().Model(v).
		Join("JOIN courses AS c ON c.id = v.course_id").Where("c.slug = ?", slug)
	if origin != "" {
		q = q.Where("v.origin = ?", origin)
	}
	err := q.OrderExpr("v.number DESC").Limit(1).Scan(ctx)
	return v, wrap(err, "load latest version of %q", slug)
}

// Publication is what Publish needs to add a version.
type Publication struct {
	Slug, Title, Summary string
	Refresher, Window    string
	PassMark             int
	Source, Hash, Origin string
	Material             bool
	Note                 string
	By                   *int64
	At                   time.Time
	// IfChanged publishes nothing when the newest version of the same origin
	// already has this hash (Publish then returns ErrUnchanged): decided
	// inside the transaction, so instances importing the same files at once
	// publish them once.
	IfChanged bool
}

// ErrUnchanged is returned (wrapped) by Publish with IfChanged when the
// source is already the newest version of its origin.
var ErrUnchanged = errors.New("store: unchanged")

// Publish creates the course if needed, adds the next version and makes it
// current, in one transaction. Two instances publishing at once cannot give
// two versions the same number: the second insert fails on the unique key.
func (s *Store) Publish(ctx context.Context, p Publication) (*CourseVersion, error) {
	var v *CourseVersion
	err := s.Tx(ctx, func(tx *Store) error {
		at := Now(p.At)
		c := &Course{Slug: p.Slug, Title: p.Title, Summary: p.Summary, Refresher: p.Refresher,
			Window: p.Window, PassMark: p.PassMark, CreatedAt: at, UpdatedAt: at}
		if _, err := tx.w.NewInsert().Model(c).On("CONFLICT (slug) DO NOTHING").Exec(ctx); err != nil {
			return wrap(err, "create course %q", p.Slug)
		}
		if err := tx.w.NewSelect().Model(c).Where("slug = ?", p.Slug).Scan(ctx); err != nil {
			return wrap(err, "load course %q", p.Slug)
		}
		if p.IfChanged {
			same, err := tx.w.NewSelect().Model((*CourseVersion)(nil)).
				Where("course_id = ?", c.ID).Where("origin = ?", p.Origin).
				Where("number = (SELECT MAX(number) FROM course_versions WHERE course_id = ? AND origin = ?)", c.ID, p.Origin).
				Where("hash = ?", p.Hash).Exists(ctx)
			if err != nil {
				return wrap(err, "compare %q with its last %s version", p.Slug, p.Origin)
			}
			if same {
				return fmt.Errorf("store: publish %q: %w", p.Slug, ErrUnchanged)
			}
		}
		var last int
		if err := tx.w.NewSelect().Model((*CourseVersion)(nil)).ColumnExpr("COALESCE(MAX(number), 0)").
			Where("course_id = ?", c.ID).Scan(ctx, &last); err != nil {
			return wrap(err, "number the version of %q", p.Slug)
		}
		v = &CourseVersion{CourseID: c.ID, Number: last + 1, Source: p.Source, Hash: p.Hash,
			Origin: p.Origin, Material: p.Material, Note: p.Note, PublishedAt: at, PublishedBy: p.By}
		if _, err := tx.w.NewInsert().Model(v).Exec(ctx); err != nil {
			return wrap(err, "insert version %d of %q", v.Number, p.Slug)
		}
		_, err := tx.w.NewUpdate().Model((*Course)(nil)).
			Set("title = ?", p.Title).Set("summary = ?", p.Summary).
			Set("refresher = ?", p.Refresher).Set("refresher_window = ?", p.Window).
			Set("pass_mark = ?", p.PassMark).Set("current_version_id = ?", v.ID).
			Set("updated_at = ?", at).Set("archived_at = NULL").
			Where("id = ?", c.ID).Exec(ctx)
		if err != nil {
			return wrap(err, "make version %d of %q current", v.Number, p.Slug)
		}
		return tx.Audit(ctx, &AuditEntry{ActorID: p.By, Action: "course.publish", Target: p.Slug,
			Detail: fmt.Sprintf("version %d from %s", v.Number, p.Origin), At: at})
	})
	return v, err
}
