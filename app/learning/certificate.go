package learning

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// codeAlphabet has no 0/O, 1/I/L: a code read aloud or typed from paper
// survives.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewCertificateCode returns a random verification code such as
// "K7QM-3XRP-WD9A" (12 symbols, about 59 bits).
func NewCertificateCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic("learning: crypto/rand failed: " + err.Error())
	}
	out := make([]byte, 0, 14)
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return string(out)
}

// Certificate is what a certificate shows. Verify shows only Name, Course,
// Completed, ValidUntil and Valid.
type Certificate struct {
	Code         string
	CompletionID int64
	UserID       int64
	Name         string
	Course       string
	CourseSlug   string
	Version      int
	Completed    time.Time
	ValidUntil   time.Time // the due date of the refresher as of this completion (a material change may bring it forward)
	Valid        bool      // now is on or before ValidUntil's day
	Score        int
}

// CertificateOf builds the certificate of a completion, creating its code
// if the completion predates certificates.
func (s *Service) CertificateOf(ctx context.Context, completionID int64, now time.Time) (*Certificate, error) {
	co, err := s.Store.CompletionByID(ctx, completionID)
	if err != nil {
		return nil, err
	}
	cert, err := s.Store.EnsureCertificate(ctx, co.ID, NewCertificateCode(), now)
	if err != nil {
		return nil, err
	}
	return s.certificate(ctx, co, cert.Code, now)
}

// Verify looks a certificate up by its code.
func (s *Service) Verify(ctx context.Context, code string, now time.Time) (*Certificate, error) {
	cert, err := s.Store.CertificateByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	co, err := s.Store.CompletionByID(ctx, cert.CompletionID)
	if err != nil {
		return nil, err
	}
	return s.certificate(ctx, co, cert.Code, now)
}

func (s *Service) certificate(ctx context.Context, co *store.Completion, code string, now time.Time) (*Certificate, error) {
	u, err := s.Store.UserByID(ctx, co.UserID)
	if err != nil {
		return nil, err
	}
	row, err := s.Store.CourseByID(ctx, co.CourseID)
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Version(ctx, co.VersionID)
	if err != nil {
		return nil, err
	}
	sched, err := s.Schedule(row)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Completions(ctx, co.UserID, co.CourseID)
	if err != nil {
		return nil, err
	}
	material, err := s.material(ctx, co.CourseID)
	if err != nil {
		return nil, err
	}
	// The history up to and including this completion; material changes up
	// to now, since they shorten what this completion is worth.
	var upTo []store.Completion
	for _, c := range all {
		if c.CompletedAt.Before(co.CompletedAt) || c.ID == co.ID || (c.CompletedAt.Equal(co.CompletedAt) && c.ID < co.ID) {
			upTo = append(upTo, c)
		}
	}
	st := courses.Derive(History(nil, upTo, material), sched, now)
	return &Certificate{Code: code, CompletionID: co.ID, UserID: u.ID, Name: u.Name, Course: row.Title, CourseSlug: row.Slug,
		Version: v.Number, Completed: co.CompletedAt, ValidUntil: st.NextDue,
		Valid: !st.NextDue.IsZero() && now.Before(st.NextDue.AddDate(0, 0, 1)), Score: co.Score}, nil
}
