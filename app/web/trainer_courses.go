package web

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/store"
)

// trainerCourseRow is one line of the trainer's course list.
type trainerCourseRow struct {
	Slug, Title string
	Version     int // the published version's number, 0 when never published
	Archived    bool
	Draft       bool // a draft with changes not yet published
	Errors      int  // the draft's validation state
	Warnings    int
	ChangedBy   string // who changed it last: the draft's last saver, else the publisher
	ChangedAt   time.Time
	Origin      string // how the published version came: file, editor, import, restore
}

type trainerCoursesPage struct {
	Courses []trainerCourseRow
	Form    struct{ Title, Slug string }
	Error   string
}

func (s *Server) trainerCourseList(c *fiber.Ctx) error {
	return s.renderTrainerCourses(c, trainerCoursesPage{})
}

func (s *Server) renderTrainerCourses(c *fiber.Ctx, p trainerCoursesPage) error {
	cs, err := s.Store.CourseSummaries(ctx(c))
	if err != nil {
		return err
	}
	ds, err := s.Store.DraftSummaries(ctx(c))
	if err != nil {
		return err
	}
	rows := map[string]*trainerCourseRow{}
	for _, cs := range cs {
		by := cs.PublishedBy
		if by == "" && cs.Origin == store.OriginFile {
			by = "content files"
		}
		rows[cs.Slug] = &trainerCourseRow{Slug: cs.Slug, Title: cs.Title, Version: cs.VersionNumber,
			Archived: !cs.ArchivedAt.IsZero(), ChangedBy: by, ChangedAt: cs.PublishedAt, Origin: cs.Origin}
	}
	for _, d := range ds {
		r, ok := rows[d.Slug]
		if !ok {
			r = &trainerCourseRow{Slug: d.Slug, Title: d.Title}
			rows[d.Slug] = r
		}
		if r.Title == "" {
			r.Title = d.Title
		}
		r.Errors, r.Warnings = d.Errors, d.Warnings
		if d.Changed || r.Version == 0 {
			r.Draft = true
			if d.UpdatedAt.After(r.ChangedAt) {
				r.ChangedBy, r.ChangedAt = d.ByName, d.UpdatedAt
			}
		}
	}
	for _, r := range rows {
		p.Courses = append(p.Courses, *r)
	}
	slices.SortFunc(p.Courses, func(a, b trainerCourseRow) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Slug, b.Slug))
	})
	return s.render(c, "trainer_courses", "Courses", p)
}

// trainerCourseCreate starts a draft of a new course and opens its editor.
func (s *Server) trainerCourseCreate(c *fiber.Ctx) error {
	title := strings.TrimSpace(clone(c.FormValue("title")))
	slug := strings.TrimSpace(clone(c.FormValue("slug")))
	if slug == "" {
		slug = catalog.Slugify(title)
	}
	p := trainerCoursesPage{}
	p.Form.Title, p.Form.Slug = title, slug
	switch {
	case title == "":
		p.Error = "Give the course a title."
	case !catalog.ValidSlug(slug):
		p.Error = "The web address may hold only lowercase letters, digits and single hyphens, such as handling-complaints."
	}
	if p.Error == "" {
		d, err := s.Catalog.CreateCourse(ctx(c), slug, title, trainerActor(c), s.Now())
		switch {
		case errors.Is(err, store.ErrConflict):
			p.Error = "A course with the address " + slug + " exists already: open it from the list, or choose another address."
		case err != nil:
			return err
		default:
			return c.Redirect(trainerFileURL(d.Slug, d.Files[1].ID), fiber.StatusSeeOther)
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.renderTrainerCourses(c, p)
}
