package web

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Helpers shared by the trainer's handlers (trainer_*.go).

// actor is the signed-in person as the store records them.
func trainerActor(c *fiber.Ctx) *int64 {
	id := userOf(c).ID
	return &id
}

// trainerCourseParam is :course, copied (Fiber reuses it) and checked.
func trainerCourseParam(c *fiber.Ctx) (string, error) {
	slug := clone(c.Params("course"))
	if !catalog.ValidSlug(slug) {
		return "", fiber.ErrNotFound
	}
	return slug, nil
}

// draftOf opens the draft of the course in :course, starting one from the
// published version when there is none.
func (s *Server) draftOf(c *fiber.Ctx) (*store.Draft, error) {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return nil, err
	}
	return s.Catalog.OpenDraft(ctx(c), slug, trainerActor(c), s.Now())
}

// trainerFileParam finds the draft file named by :file (its ID).
func trainerFileParam(c *fiber.Ctx, d *store.Draft) (*store.DraftFile, error) {
	id, err := strconv.ParseInt(c.Params("file"), 10, 64)
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	for i := range d.Files {
		if d.Files[i].ID == id {
			return &d.Files[i], nil
		}
	}
	return nil, fiber.ErrNotFound
}

// trainerProblem is one validation problem as pages and the editor show it.
type trainerProblem struct {
	File     string `json:"file"`   // file name within the course, "" for the whole course
	FileID   int64  `json:"fileId"` // the draft file, 0 when none
	Line     int    `json:"line"`
	Warning  bool   `json:"warning"`
	Message  string `json:"message"`
	Location string `json:"location"` // "slug/file:line", as `frontline check` prints it
	URL      string `json:"url"`      // the editor at that line, "" when the file is not in the draft
}

// trainerProblems links problems to the draft's files, so a click opens the
// file at the line.
func trainerProblems(slug string, d *store.Draft, ps courses.Problems) []trainerProblem {
	ids := map[string]int64{}
	if d != nil {
		for _, f := range d.Files {
			ids[f.Name] = f.ID
		}
	}
	out := make([]trainerProblem, len(ps))
	for i, p := range ps {
		name := strings.TrimPrefix(p.File, slug+"/")
		if name == slug {
			name = ""
		}
		loc := p.File
		if p.Line > 0 {
			loc = fmt.Sprintf("%s:%d", p.File, p.Line)
		}
		out[i] = trainerProblem{File: name, FileID: ids[name], Line: p.Line, Warning: p.Severity == courses.Warning,
			Message: p.Message, Location: loc}
		if id := ids[name]; id != 0 {
			out[i].URL = trainerFileURL(slug, id) + "?line=" + strconv.Itoa(max(p.Line, 1))
		}
	}
	return out
}

// fragment renders one named template of a page's set without the layout,
// for HTML that JavaScript puts into a page.
func (s *Server) trainerFragment(page, name string, data any) (string, error) {
	t, ok := s.views.pages[page]
	if !ok {
		return "", fmt.Errorf("web: no view named %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("web: render %s/%s: %w", page, name, err)
	}
	return buf.String(), nil
}

func trainerCourseURL(slug string) string { return "/trainer/courses/" + slug }

func trainerFileURL(slug string, id int64) string {
	return "/trainer/courses/" + slug + "/files/" + strconv.FormatInt(id, 10)
}
