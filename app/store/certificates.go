package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Certificate is the verifiable record of one completion.
type Certificate struct {
	bun.BaseModel `bun:"table:certificates,alias:ce"`

	ID           int64     `bun:"id,pk,autoincrement"`
	CompletionID int64     `bun:"completion_id,notnull"`
	Code         string    `bun:"code,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
}

// EnsureCertificate returns the certificate of a completion, creating it
// with the given code if it has none yet (completions made before
// certificates existed get theirs on first view).
func (s *Store) EnsureCertificate(ctx context.Context, completionID int64, code string, now time.Time) (*Certificate, error) {
	c := &Certificate{CompletionID: completionID, Code: code, CreatedAt: Now(now)}
	if _, err := s.w.NewInsert().Model(c).On("CONFLICT (completion_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, wrap(err, "create the certificate of completion %d", completionID)
	}
	out := new(Certificate)
	err := s.w.NewSelect().Model(out).Where("completion_id = ?", completionID).Scan(ctx)
	return out, wrap(err, "load the certificate of completion %d", completionID)
}

// CertificateByCode finds a certificate by its verification code.
func (s *Store) CertificateByCode(ctx context.Context, code string) (*Certificate, error) {
	c := new(Certificate)
	err := s.r.NewSelect().Model(c).Where("code = ?", code).Scan(ctx)
	return c, wrap(err, "load certificate")
}

// CompletionByID returns one completion.
func (s *Store) CompletionByID(ctx context.Context, id int64) (*Completion, error) {
	c := new(Completion)
	err := s.r.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
	return c, wrap(err, "load completion %d", id)
}

// CourseByID returns a course row, published or not.
func (s *Store) CourseByID(ctx context.Context, id int64) (*Course, error) {
	c := new(Course)
	err := s.r.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
	return c, wrap(err, "load course %d", id)
}
