package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Authoring in the browser. A draft is a course folder kept in the database
// (course.md plus one file per module, each with a revision); it is checked
// with the same courses.Parse as `frontline check` on every save, and
// publishing a draft without errors makes it a version like any file import,
// with origin "editor". The draft is then gone: the next edit starts a new
// one from the published version.

// ErrInvalid is returned (wrapped) when a course with errors is to be
// published or imported; the problems come with it.
var ErrInvalid = errors.New("catalog: the course has errors")

// InvalidError carries the problems that stopped a publish or an import.
type InvalidError struct{ Problems courses.Problems }

func (e *InvalidError) Error() string {
	return fmt.Sprintf("catalog: %d problems stop publishing", len(e.Problems.Errors()))
}

func (e *InvalidError) Unwrap() error { return ErrInvalid }

// CourseFile is the name of a course's settings file.
const CourseFile = "course.md"

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s can name a course or module: lowercase
// letters, digits and single hyphens.
func ValidSlug(s string) bool { return len(s) <= 60 && slugRE.MatchString(s) }

// Slugify makes a slug from a title: "Greet, then help!" -> "greet-then-help".
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// yamlString writes s as a YAML scalar: plain when that is safe, else a
// double-quoted string (JSON strings are valid YAML).
func yamlString(s string) string {
	if s != "" && !strings.ContainsAny(s, ":#'\"{}[],&*!|>%@`\\") && strings.TrimSpace(s) == s {
		return s
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// DraftFiles turns a draft's files into the parser's.
func DraftFiles(d *store.Draft) []courses.File {
	out := make([]courses.File, len(d.Files))
	for i, f := range d.Files {
		out[i] = courses.File{Name: f.Name, Text: f.Body}
	}
	return out
}

// Check parses a draft, records its title and validation state, and returns
// the course (nil when it has errors) and every problem.
func (c *Catalog) Check(ctx context.Context, d *store.Draft) (*courses.Course, courses.Problems, error) {
	course, problems := courses.Parse(d.Slug, DraftFiles(d))
	title := d.Title
	if course != nil {
		title = course.Title
	} else if i := slices.IndexFunc(d.Files, func(f store.DraftFile) bool { return f.Name == CourseFile }); i >= 0 {
		if t := FileTitle(d.Files[i].Body); t != "" {
			title = t
		}
	}
	errs := len(problems.Errors())
	if title != d.Title || errs != d.Errors || len(problems)-errs != d.Warnings {
		if err := c.st.SetDraftState(ctx, d.ID, title, errs, len(problems)-errs); err != nil {
			return nil, nil, err
		}
		d.Title, d.Errors, d.Warnings = title, errs, len(problems)-errs
	}
	return course, problems, nil
}

var titleRE = regexp.MustCompile(`(?m)^title:[ \t]*(.*?)[ \t]*$`)

// FileTitle reads the title line of a file's front matter without a
// full parse, for the list of a draft that does not parse yet.
func FileTitle(text string) string {
	fm, _, ok := splitFrontMatter(text)
	if !ok {
		return ""
	}
	m := titleRE.FindStringSubmatch(fm)
	if m == nil {
		return ""
	}
	t := m[1]
	if uq, err := strconv.Unquote(t); err == nil {
		return uq
	}
	return strings.Trim(t, `'`)
}

// splitFrontMatter returns the front matter (between the first two "---"
// lines) and the rest.
func splitFrontMatter(text string) (fm, rest string, ok bool) {
	if !strings.HasPrefix(text, "---\n") && !strings.HasPrefix(text, "---\r\n") {
		return "", text, false
	}
	start := strings.Index(text, "\n") + 1
	end := strings.Index(text[start:], "\n---")
	if end < 0 {
		return "", text, false
	}
	fm = text[start : start+end+1]
	rest = text[start+end+1:]
	return fm, rest, true
}

// setTitle rewrites the title line of a file's front matter, adding one when
// there is none.
func setTitle(text, title string) string {
	line := "title: " + yamlString(title)
	fm, rest, ok := splitFrontMatter(text)
	if !ok {
		return "---\n" + line + "\n---\n\n" + text
	}
	if loc := titleRE.FindStringIndex(fm); loc != nil {
		fm = fm[:loc[0]] + line + fm[loc[1]:]
	} else {
		fm = line + "\n" + fm
	}
	return "---\n" + fm + rest
}

// NewCourseFiles is the starting point of a course written in the browser: a
// valid course.md and one module with a lesson and a question, so the preview
// shows something at once and the format explains itself.
func NewCourseFiles(title string) []courses.File {
	return []courses.File{
		{Name: CourseFile, Text: "---\ntitle: " + yamlString(title) + "\nsummary: " + courses.PlaceholderSummary + "\n" +
			"refresher: 12 months\nwindow: 30 days\npass: 80\n---\n\n" + courses.PlaceholderIntro + "\n"},
		{Name: "01-first-module.md", Text: newModuleText("First module", "first-module")},
	}
}

// newModuleText starts a module; its question's ID comes from the module's
// slug, which is unique in the course, so IDs never clash.
func newModuleText(title, slug string) string {
	return "---\ntitle: " + yamlString(title) + "\nminutes: 5\n---\n\n" + courses.PlaceholderLesson + "\n\n" +
		"## Quiz\n\n### " + courses.PlaceholderQuestion + " {#" + slug + "-first-question}\n\n" +
		"- [ ] " + courses.PlaceholderWrong + "\n\n  " + courses.PlaceholderFeedback + "\n\n- [x] " + courses.PlaceholderRight + "\n\n> " + courses.PlaceholderExplanation + "\n"
}

// CreateCourse starts a draft of a new course. A slug already used by a
// course or a draft is store.ErrConflict.
func (c *Catalog) CreateCourse(ctx context.Context, slug, title string, by *int64, now time.Time) (*store.Draft, error) {
	if _, err := c.st.CourseAnyState(ctx, slug); err == nil {
		return nil, fmt.Errorf("catalog: course %q exists: %w", slug, store.ErrConflict)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	d := &store.Draft{Slug: slug, Title: title, Changed: true, CreatedAt: now, CreatedBy: by, UpdatedAt: now, UpdatedBy: by}
	err := c.st.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateDraft(ctx, d, draftFiles(NewCourseFiles(title), by, now)); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: by, Action: "course.create", Target: slug, Detail: "draft of a new course: " + title, At: now})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func draftFiles(files []courses.File, by *int64, now time.Time) []store.DraftFile {
	out := make([]store.DraftFile, len(files))
	for i, f := range files {
		out[i] = store.DraftFile{Name: f.Name, Body: f.Text, Revision: 1, UpdatedAt: now, UpdatedBy: by}
	}
	return out
}

// OpenDraft returns the course's draft, starting one from the published
// version when there is none.
func (c *Catalog) OpenDraft(ctx context.Context, slug string, by *int64, now time.Time) (*store.Draft, error) {
	d, err := c.st.DraftBySlug(ctx, slug)
	if !errors.Is(err, store.ErrNotFound) {
		return d, err
	}
	row, err := c.st.CourseAnyState(ctx, slug)
	if err != nil {
		return nil, err
	}
	if row.CurrentVersionID == 0 {
		return nil, fmt.Errorf("catalog: course %q has no version: %w", slug, store.ErrNotFound)
	}
	v, err := c.st.Version(ctx, row.CurrentVersionID)
	if err != nil {
		return nil, err
	}
	src, err := DecodeSource(v.Source)
	if err != nil {
		return nil, err
	}
	d = &store.Draft{Slug: slug, Title: row.Title, CourseID: row.ID, BaseVersionID: v.ID,
		CreatedAt: now, CreatedBy: by, UpdatedAt: now, UpdatedBy: by}
	err = c.st.CreateDraft(ctx, d, draftFiles(toFiles(src), by, now))
	if errors.Is(err, store.ErrConflict) { // someone else opened it a moment ago
		return c.st.DraftBySlug(ctx, slug)
	}
	if err != nil {
		return nil, err
	}
	return c.st.DraftBySlug(ctx, slug)
}

// SaveFile saves one file of a draft from revision base and checks the
// draft again. A stale base is store.ErrStale with the file as it now is.
func (c *Catalog) SaveFile(ctx context.Context, d *store.Draft, fileID int64, base int, body string, by *int64, now time.Time) (*store.DraftFileInfo, courses.Problems, error) {
	f, err := c.st.SaveDraftFile(ctx, d.ID, fileID, base, body, by, now)
	if err != nil {
		return f, nil, err
	}
	for i := range d.Files {
		if d.Files[i].ID == fileID {
			d.Files[i].Body, d.Files[i].Revision = f.Body, f.Revision
		}
	}
	_, problems, err := c.Check(ctx, d)
	return f, problems, err
}

// modules returns the draft's module files in order (every file but course.md
// and README.md).
func modules(d *store.Draft) []store.DraftFile {
	var out []store.DraftFile
	for _, f := range d.Files {
		if f.Name != CourseFile && !strings.EqualFold(f.Name, "README.md") {
			out = append(out, f)
		}
	}
	return out
}

// ModuleSlug is a module file's slug: its name without a numeric prefix and ".md".
func ModuleSlug(name string) string {
	s := strings.TrimSuffix(name, ".md")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '-' || s[i] == '_') {
		s = s[i+1:]
	}
	return s
}

// renumber names the modules 01-slug.md, 02-slug.md, … in the given order,
// which is how a course folder orders them; slugs (and so URLs and progress)
// stay as they are.
func (c *Catalog) renumber(ctx context.Context, st *store.Store, d *store.Draft, order []store.DraftFile, by *int64, now time.Time) error {
	names := map[int64]string{}
	for i, f := range order {
		name := fmt.Sprintf("%02d-%s.md", i+1, ModuleSlug(f.Name))
		if name != f.Name {
			names[f.ID] = name
		}
	}
	if len(names) == 0 {
		return nil
	}
	return st.RenameDraftFiles(ctx, d.ID, names, by, now)
}

// AddModule appends a module with a starting lesson and question, and
// returns its file ID.
func (c *Catalog) AddModule(ctx context.Context, d *store.Draft, title string, by *int64, now time.Time) (int64, error) {
	ms := modules(d)
	base := Slugify(title)
	if base == "" {
		base = "module"
	}
	slug := base
	for n := 2; slices.ContainsFunc(ms, func(f store.DraftFile) bool { return ModuleSlug(f.Name) == slug }); n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	f := &store.DraftFile{DraftID: d.ID, Name: fmt.Sprintf("%02d-%s.md", len(ms)+1, slug), Body: newModuleText(title, slug), UpdatedAt: now, UpdatedBy: by}
	if err := c.st.AddDraftFile(ctx, f); err != nil {
		return 0, err
	}
	if err := c.renumber(ctx, c.st, d, append(ms, *f), by, now); err != nil {
		return 0, err
	}
	return f.ID, c.recheck(ctx, d.Slug)
}

// RenameModule changes a module's title (its front matter); its slug, and so
// its address and everyone's progress, stay.
func (c *Catalog) RenameModule(ctx context.Context, d *store.Draft, fileID int64, title string, by *int64, now time.Time) error {
	i := slices.IndexFunc(d.Files, func(f store.DraftFile) bool { return f.ID == fileID })
	if i < 0 {
		return fmt.Errorf("catalog: no file %d in the draft of %q: %w", fileID, d.Slug, store.ErrNotFound)
	}
	if err := c.st.ReplaceDraftFileBody(ctx, d.ID, fileID, setTitle(d.Files[i].Body, title), by, now); err != nil {
		return err
	}
	return c.recheck(ctx, d.Slug)
}

// MoveModule moves a module up (delta -1) or down (+1).
func (c *Catalog) MoveModule(ctx context.Context, d *store.Draft, fileID int64, delta int, by *int64, now time.Time) error {
	ms := modules(d)
	i := slices.IndexFunc(ms, func(f store.DraftFile) bool { return f.ID == fileID })
	if i < 0 {
		return fmt.Errorf("catalog: no module %d in the draft of %q: %w", fileID, d.Slug, store.ErrNotFound)
	}
	j := i + delta
	if j < 0 || j >= len(ms) {
		return nil
	}
	ms[i], ms[j] = ms[j], ms[i]
	if err := c.renumber(ctx, c.st, d, ms, by, now); err != nil {
		return err
	}
	return c.recheck(ctx, d.Slug)
}

// DeleteModule removes a module from the draft. Published versions keep it.
func (c *Catalog) DeleteModule(ctx context.Context, d *store.Draft, fileID int64, by *int64, now time.Time) error {
	ms := modules(d)
	i := slices.IndexFunc(ms, func(f store.DraftFile) bool { return f.ID == fileID })
	if i < 0 {
		return fmt.Errorf("catalog: no module %d in the draft of %q: %w", fileID, d.Slug, store.ErrNotFound)
	}
	name := ms[i].Name
	err := c.st.Tx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteDraftFile(ctx, d.ID, fileID, by, now); err != nil {
			return err
		}
		if err := c.renumber(ctx, tx, d, slices.Delete(ms, i, i+1), by, now); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: by, Action: "draft.module.delete", Target: d.Slug,
			Detail: "module file " + name + " removed from the draft", At: now})
	})
	if err != nil {
		return err
	}
	return c.recheck(ctx, d.Slug)
}

func (c *Catalog) recheck(ctx context.Context, slug string) error {
	d, err := c.st.DraftBySlug(ctx, slug)
	if err != nil {
		return err
	}
	_, _, err = c.Check(ctx, d)
	return err
}

// PublishDraft publishes a draft without errors as the course's next
// version and removes the draft, in one transaction. material marks a change
// everyone who completed an earlier version must refresh for (so does
// `material: true` in course.md).
func (c *Catalog) PublishDraft(ctx context.Context, d *store.Draft, note string, material bool, by *int64, now time.Time) (*store.CourseVersion, error) {
	course, problems, err := c.Check(ctx, d)
	if err != nil {
		return nil, err
	}
	if course == nil {
		return nil, &InvalidError{Problems: problems}
	}
	p := Publication(course, store.OriginEditor, note, by, now)
	p.Material = p.Material || material
	var v *store.CourseVersion
	err = c.st.Tx(ctx, func(tx *store.Store) error {
		var err error
		if v, err = c.publish(ctx, tx, p); err != nil {
			return err
		}
		return tx.DeleteDraft(ctx, d.ID)
	})
	if err != nil {
		return nil, err
	}
	c.Forget(d.Slug)
	c.log.Info("published course version", "course", d.Slug, "version", v.Number, "origin", v.Origin, "material", v.Material)
	return v, nil
}

// DiscardDraft throws a draft away; the published version is untouched.
func (c *Catalog) DiscardDraft(ctx context.Context, d *store.Draft, by *int64, now time.Time) error {
	return c.st.Tx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteDraft(ctx, d.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: by, Action: "draft.delete", Target: d.Slug, Detail: "draft discarded", At: now})
	})
}

// Restore publishes an old version's text as a new version (origin
// "restore"); history is never rewritten.
func (c *Catalog) Restore(ctx context.Context, slug string, number int, note string, material bool, by *int64, now time.Time) (*store.CourseVersion, error) {
	row, err := c.st.CourseAnyState(ctx, slug)
	if err != nil {
		return nil, err
	}
	old, err := c.st.VersionByNumber(ctx, row.ID, number)
	if err != nil {
		return nil, err
	}
	course, err := Build(old)
	if err != nil {
		return nil, err
	}
	if note == "" {
		note = fmt.Sprintf("restored version %d", number)
	}
	p := Publication(course, store.OriginRestore, note, by, now)
	p.Material = material
	var v *store.CourseVersion
	err = c.st.Tx(ctx, func(tx *store.Store) error {
		var err error
		if v, err = c.publish(ctx, tx, p); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{ActorID: by, Action: "course.restore", Target: slug,
			Detail: fmt.Sprintf("version %d restored as version %d", number, v.Number), At: now})
	})
	if err != nil {
		return nil, err
	}
	c.Forget(slug)
	return v, nil
}

// Archive takes a course away from learners; its records and history stay,
// and publishing it again brings it back.
func (c *Catalog) Archive(ctx context.Context, slug string, by *int64, now time.Time) error {
	row, err := c.st.CourseAnyState(ctx, slug)
	if err != nil {
		return err
	}
	if err := c.st.ArchiveCourse(ctx, row.ID, slug, by, now); err != nil {
		return err
	}
	c.Forget(slug)
	return nil
}

// VersionFiles returns the files of one stored version.
func VersionFiles(v *store.CourseVersion) ([]courses.File, error) {
	src, err := DecodeSource(v.Source)
	if err != nil {
		return nil, err
	}
	return toFiles(src), nil
}

// SourceFiles returns a course's files for export: the draft's when draft
// is set, else the published version's. A course never published, asked
// for its published files, is ErrNotFound.
func (c *Catalog) SourceFiles(ctx context.Context, slug string, draft bool) ([]courses.File, error) {
	if draft {
		d, err := c.st.DraftBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		return DraftFiles(d), nil
	}
	row, err := c.st.CourseAnyState(ctx, slug)
	if err != nil {
		return nil, err
	}
	if row.CurrentVersionID == 0 {
		return nil, fmt.Errorf("catalog: course %q has no published version: %w", slug, store.ErrNotFound)
	}
	v, err := c.st.Version(ctx, row.CurrentVersionID)
	if err != nil {
		return nil, err
	}
	return VersionFiles(v)
}
