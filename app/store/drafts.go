package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ErrStale is returned (wrapped) when a draft file is saved from a revision
// that is no longer the newest: someone else saved in between.
var ErrStale = errors.New("store: stale revision")

// Draft is a course being written in the browser: one per course slug, for a
// course not yet published or for the next version of a published one. Its
// files are the Markdown files of the course folder.
type Draft struct {
	bun.BaseModel `bun:"table:course_drafts,alias:d"`

	ID            int64     `bun:"id,pk,autoincrement"`
	Slug          string    `bun:"slug,notnull"`
	Title         string    `bun:"title,notnull"`
	CourseID      int64     `bun:"course_id,nullzero"`       // 0 until the course is first published
	BaseVersionID int64     `bun:"base_version_id,nullzero"` // the version the draft was started from
	Errors        int       `bun:"errors,notnull"`           // validation state after the last save
	Warnings      int       `bun:"warnings,notnull"`
	Changed       bool      `bun:"changed,notnull"` // edited since it was started
	CreatedAt     time.Time `bun:"created_at,notnull"`
	CreatedBy     *int64    `bun:"created_by"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`
	UpdatedBy     *int64    `bun:"updated_by"`

	Files []DraftFile `bun:"rel:has-many,join:id=draft_id"`
}

// DraftFile is one Markdown file of a draft. Revision grows by one on every
// save; a save names the revision it started from.
type DraftFile struct {
	bun.BaseModel `bun:"table:draft_files,alias:df"`

	ID        int64     `bun:"id,pk,autoincrement"`
	DraftID   int64     `bun:"draft_id,notnull"`
	Name      string    `bun:"name,notnull"`
	Body      string    `bun:"body,notnull"`
	Revision  int       `bun:"revision,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
	UpdatedBy *int64    `bun:"updated_by"`
}

// DraftFileInfo is a draft file with the name of whoever saved it last.
type DraftFileInfo struct {
	DraftFile
	ByName string
}

// CreateDraft inserts a draft and its files in one transaction. A slug that
// already has a draft is ErrConflict.
func (s *Store) CreateDraft(ctx context.Context, d *Draft, files []DraftFile) error {
	return s.Tx(ctx, func(tx *Store) error {
		d.CreatedAt, d.UpdatedAt = Now(d.CreatedAt), Now(d.UpdatedAt)
		res, err := tx.w.NewInsert().Model(d).On("CONFLICT (slug) DO NOTHING").Exec(ctx)
		if err != nil {
			return wrap(err, "create draft of %q", d.Slug)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wrap(ErrConflict, "create draft of %q", d.Slug)
		}
		if len(files) == 0 {
			return nil
		}
		for i := range files {
			files[i].DraftID = d.ID
			files[i].UpdatedAt = Now(files[i].UpdatedAt)
			if files[i].Revision == 0 {
				files[i].Revision = 1
			}
		}
		if _, err := tx.w.NewInsert().Model(&files).Exec(ctx); err != nil {
			return wrap(err, "insert the files of the draft of %q", d.Slug)
		}
		d.Files = files
		return nil
	})
}

// DraftBySlug returns a draft with its files in name order.
func (s *Store) DraftBySlug(ctx context.Context, slug string) (*Draft, error) {
	d := new(Draft)
	err := s.r.NewSelect().Model(d).Where("d.slug = ?", slug).
		Relation("Files", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("df.name") }).
		Scan(ctx)
	return d, wrap(err, "load the draft of %q", slug)
}

// Drafts lists every draft, without files.
func (s *Store) Drafts(ctx context.Context) ([]Draft, error) {
	var ds []Draft
	err := s.r.NewSelect().Model(&ds).Order("slug").Scan(ctx)
	return ds, wrap(err, "list drafts")
}

// DraftFileByID returns one file of a draft, with who saved it last.
func (s *Store) DraftFileByID(ctx context.Context, draftID, fileID int64) (*DraftFileInfo, error) {
	f := new(DraftFileInfo)
	err := s.r.NewSelect().Model((*DraftFile)(nil)).ColumnExpr("df.*").ColumnExpr("COALESCE(u.name, '') AS by_name").
		Join("LEFT JOIN users AS u ON u.id = df.updated_by").
		Where("df.id = ?", fileID).Where("df.draft_id = ?", draftID).Scan(ctx, f)
	return f, wrap(err, "load draft file %d", fileID)
}

// SaveDraftFile writes a file's text if its revision is still base, and
// returns the new revision. When someone saved in between it writes nothing
// and returns ErrStale with the file as it now stands, so the caller can show
// both texts.
func (s *Store) SaveDraftFile(ctx context.Context, draftID, fileID int64, base int, body string, by *int64, at time.Time) (*DraftFileInfo, error) {
	var out *DraftFileInfo
	err := s.Tx(ctx, func(tx *Store) error {
		at := Now(at)
		res, err := tx.w.NewUpdate().Model((*DraftFile)(nil)).
			Set("body = ?", body).Set("revision = revision + 1").Set("updated_at = ?", at).Set("updated_by = ?", by).
			Where("id = ?", fileID).Where("draft_id = ?", draftID).Where("revision = ?", base).Exec(ctx)
		if err != nil {
			return wrap(err, "save draft file %d", fileID)
		}
		n, _ := res.RowsAffected()
		if out, err = tx.DraftFileByID(ctx, draftID, fileID); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("store: draft file %d is at revision %d, not %d: %w", fileID, out.Revision, base, ErrStale)
		}
		return tx.touchDraft(ctx, draftID, by, at)
	})
	if errors.Is(err, ErrStale) {
		return out, err
	}
	return out, err
}

func (s *Store) touchDraft(ctx context.Context, draftID int64, by *int64, at time.Time) error {
	_, err := s.w.NewUpdate().Model((*Draft)(nil)).Set("changed = TRUE").
		Set("updated_at = ?", Now(at)).Set("updated_by = ?", by).Where("id = ?", draftID).Exec(ctx)
	return wrap(err, "mark draft %d changed", draftID)
}

// SetDraftState records a draft's title and validation state after a check.
func (s *Store) SetDraftState(ctx context.Context, draftID int64, title string, errs, warnings int) error {
	_, err := s.w.NewUpdate().Model((*Draft)(nil)).Set("title = ?", title).
		Set("errors = ?", errs).Set("warnings = ?", warnings).Where("id = ?", draftID).Exec(ctx)
	return wrap(err, "record the state of draft %d", draftID)
}

// AddDraftFile adds a file to a draft; a name already in the draft is ErrConflict.
func (s *Store) AddDraftFile(ctx context.Context, f *DraftFile) error {
	return s.Tx(ctx, func(tx *Store) error {
		f.UpdatedAt, f.Revision = Now(f.UpdatedAt), 1
		res, err := tx.w.NewInsert().Model(f).On("CONFLICT (draft_id, name) DO NOTHING").Exec(ctx)
		if err != nil {
			return wrap(err, "add %s to draft %d", f.Name, f.DraftID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wrap(ErrConflict, "add %s to draft %d", f.Name, f.DraftID)
		}
		return tx.touchDraft(ctx, f.DraftID, f.UpdatedBy, f.UpdatedAt)
	})
}

// RenameDraftFiles gives files of a draft new names (file ID -> name) in one
// transaction. It goes through temporary names so that swapping two names
// never trips the unique (draft, name) rule half-way.
func (s *Store) RenameDraftFiles(ctx context.Context, draftID int64, names map[int64]string, by *int64, at time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		for id := range names {
			if _, err := tx.w.NewUpdate().Model((*DraftFile)(nil)).Set("name = ?", fmt.Sprintf("~renaming-%d", id)).
				Where("id = ?", id).Where("draft_id = ?", draftID).Exec(ctx); err != nil {
				return wrap(err, "rename draft file %d", id)
			}
		}
		for id, name := range names {
			if _, err := tx.w.NewUpdate().Model((*DraftFile)(nil)).Set("name = ?", name).
				Where("id = ?", id).Where("draft_id = ?", draftID).Exec(ctx); err != nil {
				return wrap(err, "rename draft file %d to %s", id, name)
			}
		}
		return tx.touchDraft(ctx, draftID, by, at)
	})
}

// ReplaceDraftFileBody overwrites a file whatever its revision, for edits the
// server makes itself (renaming a module rewrites its title line).
func (s *Store) ReplaceDraftFileBody(ctx context.Context, draftID, fileID int64, body string, by *int64, at time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		_, err := tx.w.NewUpdate().Model((*DraftFile)(nil)).
			Set("body = ?", body).Set("revision = revision + 1").Set("updated_at = ?", Now(at)).Set("updated_by = ?", by).
			Where("id = ?", fileID).Where("draft_id = ?", draftID).Exec(ctx)
		if err != nil {
			return wrap(err, "rewrite draft file %d", fileID)
		}
		return tx.touchDraft(ctx, draftID, by, at)
	})
}

// DeleteDraftFile removes one file of a draft.
func (s *Store) DeleteDraftFile(ctx context.Context, draftID, fileID int64, by *int64, at time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		res, err := tx.w.NewDelete().Model((*DraftFile)(nil)).Where("id = ?", fileID).Where("draft_id = ?", draftID).Exec(ctx)
		if err != nil {
			return wrap(err, "delete draft file %d", fileID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return wrap(ErrNotFound, "delete draft file %d", fileID)
		}
		return tx.touchDraft(ctx, draftID, by, at)
	})
}

// DeleteDraft removes a draft and its files.
func (s *Store) DeleteDraft(ctx context.Context, draftID int64) error {
	_, err := s.w.NewDelete().Model((*Draft)(nil)).Where("id = ?", draftID).Exec(ctx)
	return wrap(err, "delete draft %d", draftID)
}

// DraftSummary is a draft as the trainer's course list shows it.
type DraftSummary struct {
	Draft
	ByName string // who saved it last
}

// DraftSummaries lists every draft with the name of whoever changed it last.
func (s *Store) DraftSummaries(ctx context.Context) ([]DraftSummary, error) {
	var out []DraftSummary
	err := s.r.NewSelect().Model((*Draft)(nil)).ColumnExpr("d.*").ColumnExpr("COALESCE(u.name, '') AS by_name").
		Join("LEFT JOIN users AS u ON u.id = d.updated_by").Order("d.slug").Scan(ctx, &out)
	return out, wrap(err, "list drafts")
}
