// Package catalog serves published course versions. It parses a version's
// Markdown once and keeps the result in memory by version ID, so a page view
// never parses Markdown, and it imports the content/ tree on start-up. Any
// instance can serve any version: the source lives in the database.
package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Catalog caches parsed versions. Versions are immutable, so an entry never
// goes stale; a new publish is a new ID.
type Catalog struct {
	st         *store.Store
	log        *slog.Logger
	reschedule Rescheduler

	mu        sync.RWMutex
	byVersion map[int64]*courses.Course
	bySlug    map[string]slugEntry
}

// slugEntry is a course row read a moment ago. Rows change only when a
// version is published, so every page view need not read one: this instance
// sees its own publishes at once (Forget), another instance's within RowTTL.
type slugEntry struct {
	row     *store.Course
	fetched time.Time
}

// RowTTL is how long a course row is reused before it is read again.
const RowTTL = 2 * time.Second

// Rescheduler re-derives the due dates stored for a course's learners
// inside a publish's transaction (learning.Service is the one the app uses):
// a material version or a new refresher rule moves them.
type Rescheduler interface {
	Reschedule(ctx context.Context, tx *store.Store, courseID int64, now time.Time) (int, error)
}

// New returns an empty catalog over st; every publish it makes keeps the
// stored due dates in step through r.
func New(st *store.Store, log *slog.Logger, r Rescheduler) *Catalog {
	return &Catalog{st: st, log: log, reschedule: r, byVersion: make(map[int64]*courses.Course), bySlug: make(map[string]slugEntry)}
}

// publish is the one way the catalog publishes: the version, and in the same
// transaction the due dates it moves. A material version reopens the
// refresher of everyone who completed an earlier one; a new interval or
// window changes every completed person's due date.
func (c *Catalog) publish(ctx context.Context, tx *store.Store, p store.Publication) (*store.CourseVersion, error) {
	prev, err := tx.CourseAnyState(ctx, p.Slug)
	if errors.Is(err, store.ErrNotFound) {
		prev, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := tx.Publish(ctx, p)
	if err != nil {
		return nil, err
	}
	if prev != nil && (p.Material || prev.Refresher != p.Refresher || prev.Window != p.Window) {
		n, err := c.reschedule.Reschedule(ctx, tx, v.CourseID, p.At)
		if err != nil {
			return nil, fmt.Errorf("catalog: reschedule after publishing %q: %w", p.Slug, err)
		}
		c.log.Info("moved due dates after a publish", "course", p.Slug, "version", v.Number, "enrolments", n)
	}
	return v, nil
}

// Version returns the parsed course of one published version.
func (c *Catalog) Version(ctx context.Context, id int64) (*courses.Course, error) {
	c.mu.RLock()
	course, ok := c.byVersion[id]
	c.mu.RUnlock()
	if ok {
		return course, nil
	}
	v, err := c.st.Version(ctx, id)
	if err != nil {
		return nil, err
	}
	course, err = Build(v)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if cached, ok := c.byVersion[id]; ok {
		course = cached // another request built it first; keep one copy
	} else {
		c.byVersion[id] = course
	}
	c.mu.Unlock()
	return course, nil
}

// Current returns a published course and its current version, parsed.
func (c *Catalog) Current(ctx context.Context, slug string) (*store.Course, *courses.Course, error) {
	c.mu.RLock()
	e, ok := c.bySlug[slug]
	c.mu.RUnlock()
	row := e.row
	if !ok || time.Since(e.fetched) > RowTTL {
		var err error
		if row, err = c.st.CourseBySlug(ctx, slug); err != nil {
			return nil, nil, err
		}
		c.mu.Lock()
		c.bySlug[slug] = slugEntry{row: row, fetched: time.Now()}
		c.mu.Unlock()
	}
	course, err := c.Version(ctx, row.CurrentVersionID)
	if err != nil {
		return nil, nil, err
	}
	return row, course, nil
}

// Published returns every course people can take, by title, with its current
// version parsed (from the cache): what dashboards and reports list.
func (c *Catalog) Published(ctx context.Context) ([]store.Course, []*courses.Course, error) {
	rows, err := c.st.PublishedCourses(ctx)
	if err != nil {
		return nil, nil, err
	}
	versions := make([]*courses.Course, len(rows))
	for i, r := range rows {
		if versions[i], err = c.Version(ctx, r.CurrentVersionID); err != nil {
			return nil, nil, err
		}
	}
	return rows, versions, nil
}

// Forget drops a course's cached row, after this instance published it.
func (c *Catalog) Forget(slug string) {
	c.mu.Lock()
	delete(c.bySlug, slug)
	c.mu.Unlock()
}

// Build parses a stored version. Published versions passed validation when
// they were published; if one no longer parses (a stricter parser after an
// upgrade), that is an error worth seeing, not something to hide.
func Build(v *store.CourseVersion) (*courses.Course, error) {
	files, err := DecodeSource(v.Source)
	if err != nil {
		return nil, fmt.Errorf("catalog: version %d: %w", v.ID, err)
	}
	slug := ""
	if len(files) > 0 {
		slug = files[0].Course
	}
	course, problems := courses.Parse(slug, toFiles(files))
	if course == nil {
		return nil, fmt.Errorf("catalog: version %d of %q no longer parses: %v", v.ID, slug, problems.Errors())
	}
	return course, nil
}

// sourceFile is the stored form of one Markdown file of a version.
type sourceFile struct {
	Course string `json:"course"`
	Name   string `json:"name"`
	Text   string `json:"text"`
}

// EncodeSource turns a course's files into the text stored in course_versions.
func EncodeSource(c *courses.Course) string {
	fs := make([]sourceFile, len(c.Files))
	for i, f := range c.Files {
		fs[i] = sourceFile{Course: c.Slug, Name: f.Name, Text: f.Text}
	}
	b, err := json.Marshal(fs)
	if err != nil {
		panic(err) // strings always marshal
	}
	return string(b)
}

// DecodeSource reverses EncodeSource.
func DecodeSource(s string) ([]sourceFile, error) {
	var fs []sourceFile
	if err := json.Unmarshal([]byte(s), &fs); err != nil {
		return nil, fmt.Errorf("unable to decode the stored source: %w", err)
	}
	return fs, nil
}

func toFiles(sf []sourceFile) []courses.File {
	out := make([]courses.File, len(sf))
	for i, f := range sf {
		out[i] = courses.File{Name: f.Name, Text: f.Text}
	}
	return out
}

// ImportReport says what an import did with each course folder.
type ImportReport struct {
	Published []string                    // a new version was published
	Unchanged []string                    // the source equals the last imported file version
	Broken    map[string]courses.Problems // errors: the last good version keeps serving
}

// Import publishes a new version of each course in fsys whose source differs
// from the version last imported from files. A course whose file is unchanged
// never overrides a newer version published in the browser; a broken course
// is reported and its last good version keeps serving.
func (c *Catalog) Import(ctx context.Context, fsys fs.FS, now time.Time) (ImportReport, error) {
	rep := ImportReport{Broken: map[string]courses.Problems{}}
	loaded, err := courses.LoadTree(fsys)
	if err != nil {
		return rep, fmt.Errorf("catalog: unable to read the course files: %w", err)
	}
	for _, l := range loaded {
		if l.Course == nil {
			rep.Broken[l.Slug] = l.Problems
			c.log.Error("course has errors; the last good version keeps serving",
				"course", l.Slug, "problems", problemLines(l.Problems.Errors()))
			continue
		}
		if c.importedAlready(ctx, l.Course) {
			rep.Unchanged = append(rep.Unchanged, l.Slug)
			continue
		}
		pub := Publication(l.Course, store.OriginFile, "imported from content files", nil, now)
		pub.IfChanged = true
		var v *store.CourseVersion
		err := c.st.Tx(ctx, func(tx *store.Store) (err error) {
			v, err = c.publish(ctx, tx, pub)
			return err
		})
		if errors.Is(err, store.ErrUnchanged) ||
			(errors.Is(err, store.ErrConflict) && c.importedAlready(ctx, l.Course)) {
			// Another instance starting at the same moment published the
			// same files first: seen inside the transaction, or (on
			// PostgreSQL, where both may read before either commits) when
			// the version number's unique key stops the second.
			rep.Unchanged = append(rep.Unchanged, l.Slug)
			continue
		}
		if err != nil {
			return rep, err
		}
		c.Forget(l.Slug)
		rep.Published = append(rep.Published, l.Slug)
		c.log.Info("published course version", "course", l.Slug, "version", v.Number, "origin", v.Origin)
	}
	return rep, nil
}

// importedAlready reports whether the last version imported from files has
// exactly this source.
func (c *Catalog) importedAlready(ctx context.Context, course *courses.Course) bool {
	last, err := c.st.LatestVersion(ctx, course.Slug, store.OriginFile)
	return err == nil && last.Hash == course.Hash
}

// Publication describes a parsed course for store.Publish.
func Publication(course *courses.Course, origin, note string, by *int64, now time.Time) store.Publication {
	return store.Publication{
		Slug: course.Slug, Title: course.Title, Summary: course.Summary,
		Refresher: course.Refresher.String(), Window: course.Window.String(), PassMark: course.Pass,
		Source: EncodeSource(course), Hash: course.Hash, Origin: origin, Material: course.Material,
		Note: note, By: by, At: now,
	}
}

func problemLines(ps courses.Problems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
