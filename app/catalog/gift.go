package catalog

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
	"github.com/frontline-lms/frontline/courses/gift"
)

// ErrNotAModule is returned when GIFT questions are to go into course.md,
// which holds settings, not a quiz.
var ErrNotAModule = errors.New("catalog: questions go into a module, not course.md")

// ErrNoQuestions is returned (with the report) when a GIFT file holds no
// question Frontline can import; the draft is left as it was.
var ErrNoQuestions = errors.New("catalog: no question could be imported")

// quizLine is the "## Quiz" heading that starts a module's quiz.
var quizLine = regexp.MustCompile(`(?mi)^ {0,3}##[ \t]+quiz[ \t]*#*[ \t]*$`)

// ImportGIFT adds the questions of a GIFT file to the end of a module of a
// draft (under its "## Quiz", which it adds when the module has none), as
// an autosave from revision base would: a stale base is store.ErrStale.
// Imported IDs that the course already uses get a suffix. The report says
// what was imported, skipped or changed; nothing is saved when no question
// could be imported.
func (c *Catalog) ImportGIFT(ctx context.Context, d *store.Draft, fileID int64, base int, src string, by *int64, now time.Time) (*gift.Import, *store.DraftFileInfo, error) {
	var file *store.DraftFile
	for i := range d.Files {
		if d.Files[i].ID == fileID {
			file = &d.Files[i]
		}
	}
	if file == nil {
		return nil, nil, store.ErrNotFound
	}
	if file.Name == CourseFile {
		return nil, nil, ErrNotAModule
	}
	im := gift.Parse(src)
	if len(im.Questions) == 0 {
		return im, nil, ErrNoQuestions
	}
	taken := map[string]bool{}
	if course, _ := courses.ParseDraft(d.Slug, DraftFiles(d)); course != nil {
		for _, m := range course.Modules {
			for _, q := range m.Questions {
				taken[q.ID] = true
			}
		}
	}
	im.AvoidIDs(taken)
	body := strings.TrimRight(file.Body, "\n") + "\n\n"
	if !quizLine.MatchString(file.Body) {
		body += "## Quiz\n\n"
	}
	body += im.Markdown()
	saved, _, err := c.SaveFile(ctx, d, fileID, base, body, by, now)
	return im, saved, err
}

// WriteGIFT writes a course's questions as GIFT; files with errors are
// ErrInvalid with the problems, as for a publish.
func WriteGIFT(w io.Writer, slug string, files []courses.File) error {
	course, problems := courses.Parse(slug, files)
	if course == nil {
		return &InvalidError{Problems: problems}
	}
	return gift.Write(w, course)
}
