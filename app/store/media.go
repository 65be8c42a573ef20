package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Media is an uploaded image. It lives in the database so that every app
// instance can serve it; its hash names it, so its URL never changes meaning
// and can be cached for good.
type Media struct {
	bun.BaseModel `bun:"table:media,alias:m"`

	ID          int64     `bun:"id,pk,autoincrement"`
	Hash        string    `bun:"hash,notnull"` // hex SHA-256 of Data
	ContentType string    `bun:"content_type,notnull"`
	Size        int       `bun:"size,notnull"`
	Data        []byte    `bun:"data,notnull"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	CreatedBy   *int64    `bun:"created_by"`
}

// SaveMedia stores an image unless the same bytes are already stored; either
// way m.ID is the row that holds them.
func (s *Store) SaveMedia(ctx context.Context, m *Media) error {
	m.CreatedAt = Now(m.CreatedAt)
	if _, err := s.w.NewInsert().Model(m).On("CONFLICT (hash) DO NOTHING").Exec(ctx); err != nil {
		return wrap(err, "store image %s", m.Hash)
	}
	err := s.w.NewSelect().Model(m).Column("id").Where("hash = ?", m.Hash).Scan(ctx)
	return wrap(err, "load image %s", m.Hash)
}

// MediaByHash returns a stored image.
func (s *Store) MediaByHash(ctx context.Context, hash string) (*Media, error) {
	m := new(Media)
	err := s.r.NewSelect().Model(m).Where("hash = ?", hash).Scan(ctx)
	return m, wrap(err, "load image %s", hash)
}
