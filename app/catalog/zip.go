package catalog

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Limits on an uploaded zip, so a small upload cannot unpack into something
// huge (a zip bomb): the whole upload is already bounded by the body limit.
const (
	maxZipFiles     = 500
	maxZipFileBytes = 1 << 20
	maxZipTotal     = 16 << 20
)

// WriteZip writes a course's files as <slug>/<name> entries: the content/
// layout, so the zip unpacks into a content folder as it is.
func WriteZip(w io.Writer, slug string, files []courses.File, modified time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: slug + "/" + f.Name, Method: zip.Deflate, Modified: modified.UTC()}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("catalog: unable to write %s to the zip: %w", h.Name, err)
		}
		if _, err := io.WriteString(fw, f.Text); err != nil {
			return fmt.Errorf("catalog: unable to write %s to the zip: %w", h.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("catalog: unable to finish the zip: %w", err)
	}
	return nil
}

// ReadZip reads the course folders of a zip in the content/ layout:
// <slug>/<file>.md, optionally under one top folder such as content/. It
// returns the files per slug, or problems that name the zip entry at fault.
func ReadZip(data []byte) (map[string][]courses.File, courses.Problems) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, courses.Problems{{File: "upload", Severity: courses.Error, Message: "this is not a zip file: export a course, or zip a content folder"}}
	}
	var problems courses.Problems
	bad := func(name, format string, args ...any) {
		problems = append(problems, courses.Problem{File: name, Severity: courses.Error, Message: fmt.Sprintf(format, args...)})
	}
	type entry struct {
		parts []string
		f     *zip.File
	}
	var entries []entry
	for _, f := range zr.File {
		name := f.Name
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), ".") {
			continue
		}
		if strings.Contains(name, `\`) || strings.HasPrefix(name, "/") || slices.Contains(strings.Split(name, "/"), "..") {
			bad(name, "the zip holds a path that is not allowed")
			continue
		}
		entries = append(entries, entry{strings.Split(name, "/"), f})
	}
	if len(entries) > maxZipFiles {
		bad("upload", "the zip holds %d files; at most %d can be imported at once", len(entries), maxZipFiles)
		return nil, problems
	}
	// Drop one top folder that wraps every course folder (content/…).
	wrapped := len(entries) > 0 && slices.ContainsFunc(entries, func(e entry) bool { return len(e.parts) >= 3 }) &&
		!slices.ContainsFunc(entries, func(e entry) bool { return len(e.parts) < 2 || e.parts[0] != entries[0].parts[0] })
	if wrapped {
		for i := range entries {
			entries[i].parts = entries[i].parts[1:]
		}
	}
	out := map[string][]courses.File{}
	var total int64
	for _, e := range entries {
		name := strings.Join(e.parts, "/")
		if len(e.parts) != 2 {
			bad(name, "a course zip holds course folders with Markdown files in them (<course>/course.md, <course>/01-module.md); this file is not in one")
			continue
		}
		if !strings.HasSuffix(e.parts[1], ".md") {
			bad(name, "only Markdown files ending in .md can be imported; upload images in the editor")
			continue
		}
		if e.f.UncompressedSize64 > maxZipFileBytes {
			bad(name, "the file is larger than %d KB", maxZipFileBytes>>10)
			continue
		}
		rc, err := e.f.Open()
		if err != nil {
			bad(name, "the file cannot be read from the zip: %v", err)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxZipFileBytes+1))
		rc.Close()
		if err != nil || len(b) > maxZipFileBytes {
			bad(name, "the file cannot be read from the zip")
			continue
		}
		if total += int64(len(b)); total > maxZipTotal {
			bad("upload", "the zip unpacks to more than %d MB", maxZipTotal>>20)
			return nil, problems
		}
		if !utf8.Valid(b) {
			bad(name, "the file is not UTF-8 text")
			continue
		}
		out[e.parts[0]] = append(out[e.parts[0]], courses.File{Name: e.parts[1], Text: string(b)})
	}
	if len(out) == 0 && len(problems) == 0 {
		bad("upload", "the zip holds no course folders")
	}
	return out, problems
}

// ZipReport says what an import of a zip did.
type ZipReport struct {
	Published []string // slugs given a new version
	Unchanged []string // slugs whose current version already has this text
}

// ImportZip checks every course in the zip first and publishes only when none
// has an error: then all of them in one transaction (origin "import"), so a
// zip is imported whole or not at all. Problems name files as
// <course>/<file>:line, like `frontline check`.
func (c *Catalog) ImportZip(ctx context.Context, data []byte, by *int64, now time.Time) (ZipReport, error) {
	var rep ZipReport
	bySlug, problems := ReadZip(data)
	var parsed []*courses.Course
	for slug, files := range bySlug {
		course, ps := courses.Parse(slug, files)
		problems = append(problems, ps...)
		if course != nil {
			parsed = append(parsed, course)
		}
	}
	if problems.HasErrors() {
		slices.SortStableFunc(problems, func(a, b courses.Problem) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
		return rep, &InvalidError{Problems: problems}
	}
	slices.SortFunc(parsed, func(a, b *courses.Course) int { return cmp.Compare(a.Slug, b.Slug) })
	err := c.st.Tx(ctx, func(tx *store.Store) error {
		rep = ZipReport{}
		for _, course := range parsed {
			if cur, err := tx.LatestVersion(ctx, course.Slug, ""); err == nil && cur.Hash == course.Hash {
				if row, err := tx.CourseAnyState(ctx, course.Slug); err == nil && row.CurrentVersionID == cur.ID && row.ArchivedAt.IsZero() {
					rep.Unchanged = append(rep.Unchanged, course.Slug)
					continue
				}
			}
			v, err := c.publish(ctx, tx, Publication(course, store.OriginImport, "imported from a zip", by, now))
			if err != nil {
				return err
			}
			if err := tx.Audit(ctx, &store.AuditEntry{ActorID: by, Action: "course.import", Target: course.Slug,
				Detail: fmt.Sprintf("version %d imported from a zip", v.Number), At: now}); err != nil {
				return err
			}
			rep.Published = append(rep.Published, course.Slug)
		}
		return nil
	})
	if err != nil {
		return ZipReport{}, err
	}
	for _, s := range rep.Published {
		c.Forget(s)
	}
	return rep, nil
}
