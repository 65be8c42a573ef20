package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// course is a published course and its current version.
type course struct {
	ID             int64     `json:"id"`
	Slug           string    `json:"slug"`
	Title          string    `json:"title"`
	Summary        string    `json:"summary"`
	Refresher      string    `json:"refresher"`
	Window         string    `json:"refresher_window"`
	PassMark       int       `json:"pass_mark"`
	CurrentVersion int64     `json:"current_version_id"`
	UpdatedAt      time.Time `json:"updated_at"`
	Versions       []version `json:"versions,omitempty"`
}

type version struct {
	ID          int64     `json:"id"`
	Number      int       `json:"number"`
	Hash        string    `json:"hash"`
	Origin      string    `json:"origin"`
	Material    bool      `json:"material"`
	Note        string    `json:"note"`
	PublishedAt time.Time `json:"published_at"`
}

func courseOf(r *store.Course) course {
	return course{ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Refresher: r.Refresher, Window: r.Window,
		PassMark: r.PassMark, CurrentVersion: r.CurrentVersionID, UpdatedAt: r.UpdatedAt.UTC()}
}

func (a *API) courseList(c *fiber.Ctx) error {
	rows, err := a.Store.PublishedCourses(ctx(c))
	if err != nil {
		return err
	}
	out := make([]course, len(rows))
	for i := range rows {
		out[i] = courseOf(&rows[i])
	}
	return c.JSON(fiber.Map{"data": out})
}

// publishedCourse reads the course of the :id parameter; an archived
// course is not published, so not found.
func (a *API) publishedCourse(c *fiber.Ctx) (*store.Course, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	r, err := a.Store.CourseByID(ctx(c), id)
	if err != nil {
		return nil, err
	}
	if !r.ArchivedAt.IsZero() || r.CurrentVersionID == 0 {
		return nil, fiber.ErrNotFound
	}
	return r, nil
}

func (a *API) courseGet(c *fiber.Ctx) error {
	r, err := a.publishedCourse(c)
	if err != nil {
		return err
	}
	vs, err := a.Store.Versions(ctx(c), r.ID)
	if err != nil {
		return err
	}
	out := courseOf(r)
	for _, v := range vs {
		out.Versions = append(out.Versions, version{ID: v.ID, Number: v.Number, Hash: v.Hash, Origin: v.Origin,
			Material: v.Material, Note: v.Note, PublishedAt: v.PublishedAt.UTC()})
	}
	return c.JSON(out)
}

type sourceFile struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// versionSource is a version's Markdown, file by file, as it was
// published.
func (a *API) versionSource(c *fiber.Ctx) error {
	r, err := a.publishedCourse(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("number"))
	if err != nil || n < 1 {
		return fiber.ErrNotFound
	}
	v, err := a.Store.VersionByNumber(ctx(c), r.ID, n)
	if err != nil {
		return err
	}
	parsed, err := a.Catalog.Version(ctx(c), v.ID)
	if err != nil {
		return err
	}
	files := make([]sourceFile, len(parsed.Files))
	for i, f := range parsed.Files {
		files[i] = sourceFile{Name: f.Name, Text: f.Text}
	}
	return c.JSON(fiber.Map{"course_id": r.ID, "version": v.Number, "hash": v.Hash, "files": files})
}

// certificate is what verifying a certificate's code shows: the same as
// the public verification page, no more.
type certificate struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Course      string    `json:"course"`
	CourseSlug  string    `json:"course_slug"`
	Version     int       `json:"version"`
	CompletedAt time.Time `json:"completed_at"`
	ValidUntil  *string   `json:"valid_until"` // YYYY-MM-DD
	Valid       bool      `json:"valid"`
}

func (a *API) certificateVerify(c *fiber.Ctx) error {
	code := strings.ToUpper(strings.TrimSpace(c.Params("code")))
	cert, err := a.Learning.Verify(ctx(c), code, a.Now())
	if err != nil {
		return err
	}
	out := certificate{Code: cert.Code, Name: cert.Name, Course: cert.Course, CourseSlug: cert.CourseSlug,
		Version: cert.Version, CompletedAt: cert.Completed.UTC(), Valid: cert.Valid}
	if !cert.ValidUntil.IsZero() {
		d := cert.ValidUntil.Format(time.DateOnly)
		out.ValidUntil = &d
	}
	return c.JSON(out)
}
