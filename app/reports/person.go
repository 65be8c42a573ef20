package reports

import (
	"context"
	"errors"
	"time"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
)

// PersonAttemptsShown bounds the attempts a person's report lists.
const PersonAttemptsShown = 200

// PersonCourse is one course on a person's report: their standing, derived
// as their own dashboard derives it, with their completions (newest first)
// and attempts.
type PersonCourse struct {
	learning.CourseStanding
	Completions []store.Completion
	Attempts    []store.Attempt
}

// ModuleTitle is the title the current version gives the module an attempt
// was made on (found by slug or alias); a module since removed keeps its slug.
func (pc PersonCourse) ModuleTitle(slug string) string {
	if pc.Version != nil {
		if m, ok := pc.Version.Module(slug); ok {
			return m.Title
		}
	}
	return slug
}

// PersonReport is everything a manager sees of one person.
type PersonReport struct {
	Team    *store.Team // nil when they are in no team
	Courses []PersonCourse
	Shown   int // attempts listed, at most PersonAttemptsShown
}

// PersonReport reads u's report at now.
func (s *Service) PersonReport(ctx context.Context, u *store.User, now time.Time) (*PersonReport, error) {
	p := &PersonReport{}
	if t, err := s.Store.TeamOf(ctx, u.ID); err == nil {
		p.Team = t
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	rows, versions, err := s.Catalog.Published(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.Learning.Overview(ctx, u.ID, rows, versions, now)
	if err != nil {
		return nil, err
	}
	completions, err := s.Store.Completions(ctx, u.ID, 0)
	if err != nil {
		return nil, err
	}
	attempts, err := s.Store.AttemptsOfPerson(ctx, u.ID, PersonAttemptsShown)
	if err != nil {
		return nil, err
	}
	p.Shown = len(attempts)
	for _, cs := range all {
		pc := PersonCourse{CourseStanding: cs}
		for i := len(completions) - 1; i >= 0; i-- {
			if completions[i].CourseID == cs.Course.ID {
				pc.Completions = append(pc.Completions, completions[i])
			}
		}
		for _, a := range attempts {
			if a.CourseID == cs.Course.ID {
				pc.Attempts = append(pc.Attempts, a)
			}
		}
		p.Courses = append(p.Courses, pc)
	}
	return p, nil
}
