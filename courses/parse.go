package courses

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// courseParser collects the problems found while building one course.
type courseParser struct {
	slug     string
	problems Problems
	draft    bool // render even with errors (ParseDraft)
}

func (p *courseParser) errorf(file string, line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

func (p *courseParser) warnf(file string, line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// courseFile is the file that holds a course's settings and introduction.
const courseFile = "course.md"

// Parse builds a course from the Markdown files of its folder: course.md and
// one file per module, ordered by file name (README.md is ignored). It
// reports every problem it finds, not just the first, each with the file and
// line a trainer must fix; when any of them is an Error it returns a nil
// Course. Lessons, choices and explanations are rendered here, once, so
// serving a page never parses Markdown.
//
// The format is DESIGN.md §4. Where that leaves a choice, Parse decides:
//   - a module's slug is its file name without ".md" and without a numeric
//     prefix ("01-", "2_"), so reordering files keeps URLs;
//   - choice feedback is a paragraph inside the list item, separated from the
//     choice by a blank line and indented; a line directly under the choice
//     continues the choice's own text, as in any Markdown list;
//   - every quote after the choices is part of the explanation;
//   - a relative link to a ".md" file must name a module of the course, by
//     file name, slug or alias, and becomes a link to its page (ModuleURL);
//     a link to course.md leads to the course page;
//   - a choice's ID is the first 8 hex digits of the SHA-256 of its plain
//     text, lower-cased with spaces collapsed: stable across reordering and
//     unrelated edits, and silent about correctness.
func Parse(slug string, files []File) (*Course, Problems) {
	c, problems := ParseDraft(slug, files)
	if problems.HasErrors() {
		return nil, problems
	}
	return c, problems
}

// ParseDraft is Parse for a preview: it returns the course as far as it
// could be built even when there are errors, so an editor keeps showing the
// lesson while the trainer fixes a question. Its HTML is sanitised like
// Parse's; but a course returned with errors is incomplete and must never
// be published, graded or stored.
func ParseDraft(slug string, files []File) (*Course, Problems) {
	p := &courseParser{slug: slug, draft: true}
	c := p.parse(files)
	p.problems.sort()
	return c, p.problems
}

func (p *courseParser) parse(files []File) *Course {
	c := &Course{Slug: p.slug}
	coursePath := p.slug + "/" + courseFile
	if !validSlug(p.slug) {
		p.errorf(p.slug, 0, "the course folder name %q cannot be a course slug: rename the folder and %s", p.slug, slugRule)
	}

	var courseSrc *File
	var moduleFiles []File
	seen := map[string]bool{}
	for _, f := range sortedFiles(files) {
		switch {
		case seen[f.Name]:
			p.errorf(p.slug+"/"+f.Name, 0, "the file appears twice in the course: keep one")
			continue
		case f.Name == "" || strings.ContainsAny(f.Name, `/\`) || f.Name != path.Base(f.Name):
			p.errorf(p.slug+"/"+f.Name, 0, "%q is not a plain file name: a course is one folder of Markdown files", f.Name)
			continue
		case !strings.HasSuffix(f.Name, ".md"):
			p.errorf(p.slug+"/"+f.Name, 0, "only Markdown files ending in .md belong in a course folder: remove this file or rename it")
			continue
		case strings.EqualFold(f.Name, "README.md"):
			continue // notes for whoever maintains the folder, not part of the course
		}
		seen[f.Name] = true
		p.placeholderTexts(p.slug+"/"+f.Name, f.Text)
		c.Files = append(c.Files, f)
		if f.Name == courseFile {
			courseSrc = &c.Files[len(c.Files)-1]
		} else {
			moduleFiles = append(moduleFiles, f)
		}
	}
	c.Hash = hashFiles(c.Files)

	var intro *source
	if courseSrc == nil {
		p.errorf(coursePath, 0, "the course has no course.md: add one with its title, refresher, window and pass mark")
	} else {
		intro = p.parseCourseFile(c, *courseSrc)
	}
	if len(moduleFiles) == 0 {
		p.errorf(coursePath, 0, "the course has no modules: add one Markdown file per module next to course.md, such as 01-welcome.md")
	}

	var modules []*moduleDraft
	for _, f := range moduleFiles {
		m := p.parseModule(f)
		modules = append(modules, m)
		c.Modules = append(c.Modules, m.mod)
	}

	p.checkSlugs(modules)
	p.checkQuestionIDs(modules)
	p.checkPools(c, modules)
	p.checkGuessing(modules)
	targets := newLinkTargets(p.slug, modules)
	if intro != nil {
		p.rewriteLinks(intro, targets)
	}
	for _, m := range modules {
		p.rewriteLinks(m.src, targets)
	}
	if p.problems.HasErrors() && !p.draft {
		return nil // rendering a broken course would be wasted work
	}

	if intro != nil {
		c.IntroHTML = renderNodes(intro.body, children(intro.doc)...)
	}
	for _, m := range modules {
		m.render()
	}
	return c
}

// sortedFiles returns a copy of files sorted by name, so the caller's slice
// is left alone and the order never depends on how the files were listed.
func sortedFiles(files []File) []File {
	out := slices.Clone(files)
	slices.SortStableFunc(out, func(a, b File) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// hashFiles hashes names and texts, each prefixed with its length so that
// no two different sets of files can produce the same byte stream.
func hashFiles(files []File) string {
	h := sha256.New()
	for _, f := range files {
		for _, s := range []string{f.Name, f.Text} {
			h.Write([]byte(strconv.Itoa(len(s))))
			h.Write([]byte{':'})
			h.Write([]byte(s))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// courseKeys are the settings course.md may have.
var courseKeys = []string{"title", "summary", "refresher", "window", "pass", "material", "refresher_mode", "refresher_questions", "quiz_questions", "retake_after"}

// parseCourseFile reads course.md into c and returns its body for link
// checking and rendering, or nil when it cannot be read.
func (p *courseParser) parseCourseFile(c *Course, f File) *source {
	file := p.slug + "/" + f.Name
	fm, body, ok := p.splitFile(file, f.Text)
	if !fm.present {
		p.noFrontMatter(file, "title: Handling complaints")
	}
	windowLine := 0
	p.settings(file, fm.fields, courseKeys, func(fd field) {
		switch fd.key {
		case "title":
			if s, ok := p.text(file, fd); ok && s == "" {
				p.errorf(file, fd.line, "the title is empty: write the course's name after \"title:\"")
			} else {
				c.Title = s
			}
		case "summary":
			c.Summary, _ = p.text(file, fd)
		case "refresher", "window":
			s, ok := p.text(file, fd)
			if !ok {
				return
			}
			iv, err := ParseInterval(s)
			if err != nil {
				p.errorf(file, fd.line, "%s: %v", fd.key, err)
				return
			}
			if fd.key == "refresher" {
				c.Refresher = iv
			} else {
				c.Window, windowLine = iv, fd.line
			}
		case "pass":
			n, ok := p.integer(file, fd, "80")
			if ok && (n < 1 || n > 100) {
				p.errorf(file, fd.line, "pass must be a percentage from 1 to 100, not %d", n)
			} else {
				c.Pass = n
			}
		case "material":
			// The tag check comes first: yaml.v3 would also read "yes" and
			// "on" as true, which is YAML 1.1 and surprises people.
			if fd.value.Kind != yaml.ScalarNode || fd.value.Tag != "!!bool" || fd.value.Decode(&c.Material) != nil {
				p.errorf(file, fd.line, "material must be true or false, not %s", describe(fd.value))
			}
		case "refresher_mode":
			if s, ok := p.text(file, fd); ok {
				if s != RefresherQuiz && s != RefresherFull {
					p.errorf(file, fd.line, "refresher_mode must be %q (a short quiz drawn from the whole course) or %q (take the whole course again), not %q", RefresherQuiz, RefresherFull, s)
				} else {
					c.RefresherMode = s
				}
			}
		case "refresher_questions":
			n, ok := p.integer(file, fd, "8")
			if ok && (n < 1 || n > MaxRefresherQuestions) {
				p.errorf(file, fd.line, "refresher_questions must be from 1 to %d, not %d", MaxRefresherQuestions, n)
			} else if ok {
				c.RefresherQuestions = n
			}
		case "quiz_questions":
			c.QuizQuestions = p.quizQuestions(file, fd)
		case "retake_after":
			c.RetakeAfter = p.retakeAfter(file, fd)
		}
	})
	p.required(file, fm, "title", "Handling complaints")
	p.required(file, fm, "refresher", "12 months")
	p.required(file, fm, "window", "30 days")
	p.required(file, fm, "pass", "80")
	if !c.Refresher.IsZero() && !c.Window.IsZero() && !windowFits(c.Refresher, c.Window) {
		p.errorf(file, windowLine, "the window (%s) must be shorter than the refresher (%s), or the refresher would open before the course is even completed", c.Window, c.Refresher)
	}
	if c.RefresherMode == "" {
		c.RefresherMode = RefresherQuiz
	}
	if c.RefresherQuestions == 0 {
		c.RefresherQuestions = DefaultRefresherQuestions
	}
	if !ok {
		return nil
	}
	src := newSource(p.slug, f.Name, body)
	src.doc = parseMarkdown(src.body)
	return src
}

// ParseFS parses the course in folder dir of fsys: every dir/*.md file, not
// looking into subfolders. The slug is the folder's name.
func ParseFS(fsys fs.FS, dir string) (*Course, Problems) {
	slug := path.Base(dir)
	files, err := readCourseDir(fsys, dir)
	if err != nil {
		return nil, Problems{{File: slug, Severity: Error, Message: fmt.Sprintf("the course folder could not be read: %v", err)}}
	}
	return Parse(slug, files)
}

func readCourseDir(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: e.Name(), Text: string(b)})
	}
	return files, nil
}

// Loaded is the outcome of parsing one course folder of a content tree.
type Loaded struct {
	Slug     string
	Course   *Course // nil when Problems has errors
	Problems Problems
}

// LoadTree parses every top-level folder of fsys that holds Markdown files,
// sorted by slug. A broken course is a Loaded with problems, not an error:
// the error is only for a tree that cannot be read at all, so one bad course
// never hides the others.
func LoadTree(fsys fs.FS) ([]Loaded, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("courses: unable to list the content folder: %w", err)
	}
	var out []Loaded
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		files, err := readCourseDir(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("courses: unable to read course folder %q: %w", e.Name(), err)
		}
		if len(files) == 0 {
			continue // not a course: images, drafts in subfolders, …
		}
		c, ps := Parse(e.Name(), files)
		out = append(out, Loaded{Slug: e.Name(), Course: c, Problems: ps})
	}
	slices.SortFunc(out, func(a, b Loaded) int { return cmp.Compare(a.Slug, b.Slug) })
	return out, nil
}
