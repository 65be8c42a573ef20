package catalog_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

func TestDiffLinesKeepsTheLongestCommonSubsequence(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string // one op per line: " x", "-x", "+x"
	}{
		{"equal", "a\nb", "a\nb", " a  b"},
		{"added at end", "a", "a\nb", " a +b"},
		{"removed in middle", "a\nb\nc", "a\nc", " a -b  c"},
		{"changed line", "a\nb\nc", "a\nB\nc", " a -b +B  c"},
		{"from nothing", "", "x\ny", "+x +y"},
		{"moved line", "a\nb\nc\nd", "b\nc\na\nd", "-a  b  c +a  d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range catalog.DiffLines(lines(tt.a), lines(tt.b)) {
				got = append(got, string(l.Op)+l.Text)
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Fatalf("diff = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestDiffFilesNumbersLinesAndSkipsUnchangedRuns(t *testing.T) {
	old := strings.Repeat("same\n", 10) + "old\n" + strings.Repeat("tail\n", 10)
	cur := strings.Repeat("same\n", 10) + "new\n" + strings.Repeat("tail\n", 10)
	ds := catalog.DiffFiles([]courses.File{{Name: "01-a.md", Text: old}, {Name: "gone.md", Text: "x\n"}},
		[]courses.File{{Name: "01-a.md", Text: cur}, {Name: "course.md", Text: "y\n"}}, 2)
	if len(ds) != 3 || ds[0].Name != "01-a.md" || ds[1].Status != "added" || ds[2].Status != "removed" {
		t.Fatalf("files = %+v", ds)
	}
	var kinds []string
	for _, l := range ds[0].Lines {
		kinds = append(kinds, l.Kind())
	}
	want := []string{"skip", "same", "same", "del", "add", "same", "same", "skip"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Fatalf("hunk shape (-want +got):\n%s", diff)
	}
	if add := ds[0].Lines[4]; add.New != 11 || add.Old != 0 || add.Text != "new" {
		t.Fatalf("added line = %+v", add)
	}
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func newCatalog(db *database.DB) (*store.Store, *catalog.Catalog) {
	st := store.New(db)
	return st, catalog.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), &learning.Service{Store: st, Location: time.UTC})
}

func trainer(t *testing.T, st *store.Store) *int64 {
	t.Helper()
	u := &store.User{Name: "Priya Raman", Email: "priya@example.com", Role: "trainer", Active: true, CreatedAt: now}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return &u.ID
}

func TestDraftIsCheckedPublishedAndRestored(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st, cat := newCatalog(db)
		by := trainer(t, st)
		d, err := cat.CreateCourse(ctx, "calm-calls", "Calm calls", by, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.CreateCourse(ctx, "calm-calls", "Again", by, now); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second create: %v, want ErrConflict", err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		if _, ps, _ := cat.Check(ctx, d); ps.HasErrors() {
			t.Fatalf("a new course starts with errors: %v", ps)
		}

		// Modules: add two, move the last up, rename, delete the first.
		if _, err := cat.AddModule(ctx, d, "Hard words", by, now); err != nil {
			t.Fatal(err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		third, err := cat.AddModule(ctx, d, "Hard words", by, now) // same title: a slug of its own
		if err != nil {
			t.Fatal(err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		if err := cat.MoveModule(ctx, d, third, -1, by, now); err != nil {
			t.Fatal(err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		if err := cat.RenameModule(ctx, d, third, "Angry: callers", by, now); err != nil {
			t.Fatal(err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		if err := cat.DeleteModule(ctx, d, d.Files[0].ID, by, now); err != nil {
			t.Fatal(err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		var names []string
		for _, f := range d.Files {
			names = append(names, f.Name)
		}
		if diff := cmp.Diff([]string{"01-hard-words-2.md", "02-hard-words.md", "course.md"}, names); diff != "" {
			t.Fatalf("files after module changes (-want +got):\n%s", diff)
		}
		if got := catalog.FileTitle(d.Files[0].Body); got != "Angry: callers" {
			t.Fatalf("renamed title = %q", got)
		}

		// A question with no correct choice stops publishing, with its line.
		f := d.Files[0]
		broken := strings.Replace(f.Body, "- [x] The right choice", "- [ ] The right choice", 1)
		if _, ps, err := cat.SaveFile(ctx, d, f.ID, f.Revision, broken, by, now); err != nil || !ps.HasErrors() {
			t.Fatalf("save broken: %v, %v", ps, err)
		}
		_, err = cat.PublishDraft(ctx, d, "first", true, by, now)
		var inv *catalog.InvalidError
		if !errors.As(err, &inv) || !strings.Contains(inv.Problems.Errors()[0].String(), "calm-calls/01-hard-words-2.md:10: ") {
			t.Fatalf("publish broken: %v (%v)", err, inv.Problems)
		}
		if _, err := st.CourseAnyState(ctx, "calm-calls"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a broken draft created the course: %v", err)
		}
		d, _ = st.DraftBySlug(ctx, "calm-calls")
		if _, _, err := cat.SaveFile(ctx, d, f.ID, d.Files[0].Revision, f.Body, by, now); err != nil {
			t.Fatal(err)
		}
		v1, err := cat.PublishDraft(ctx, d, "first", true, by, now)
		if err != nil || v1.Number != 1 || v1.Origin != store.OriginEditor || !v1.Material || v1.Note != "first" {
			t.Fatalf("publish = %+v, %v", v1, err)
		}
		if _, err := st.DraftBySlug(ctx, "calm-calls"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the draft outlived its publish: %v", err)
		}

		// Edit again: the draft starts from version 1.
		d, err = cat.OpenDraft(ctx, "calm-calls", by, now)
		if err != nil || d.BaseVersionID != v1.ID || d.Changed {
			t.Fatalf("reopened draft = %+v, %v", d, err)
		}
		if _, _, err := cat.SaveFile(ctx, d, d.Files[0].ID, 1, strings.Replace(d.Files[0].Body, "lesson here", "lesson, version two,", 1), by, now); err != nil {
			t.Fatal(err)
		}
		v2, err := cat.PublishDraft(ctx, d, "second", false, by, now)
		if err != nil || v2.Number != 2 || v2.Material {
			t.Fatalf("second publish = %+v, %v", v2, err)
		}

		// Restore version 1 as version 3: same text, origin restore, audited.
		v3, err := cat.Restore(ctx, "calm-calls", 1, "", false, by, now)
		if err != nil || v3.Number != 3 || v3.Origin != store.OriginRestore || v3.Hash != v1.Hash || v3.Note != "restored version 1" {
			t.Fatalf("restore = %+v, %v", v3, err)
		}
		_, cur, err := cat.Current(ctx, "calm-calls")
		if err != nil || strings.Contains(string(cur.Modules[0].LessonHTML), "version two") {
			t.Fatalf("current after restore: %v", err)
		}
		if err := cat.Archive(ctx, "calm-calls", by, now); err != nil {
			t.Fatal(err)
		}
		if _, _, err := cat.Current(ctx, "calm-calls"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an archived course still serves: %v", err)
		}
		audit, err := st.AuditFor(ctx, "calm-calls", 20)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range audit {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"course.create", "draft.module.delete", "course.publish", "course.restore", "course.delete"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit log lacks %s: %v", want, actions)
			}
		}
	})
}

func TestUnchangedFileNeverOverridesABrowserEdit(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st, cat := newCatalog(db)
		by := trainer(t, st)
		tree := fstest.MapFS{"phone-basics/course.md": {Data: []byte(courseMD)}, "phone-basics/01-answering.md": module("Answer promptly.")}
		if _, err := cat.Import(ctx, tree, now); err != nil {
			t.Fatal(err)
		}
		d, err := cat.OpenDraft(ctx, "phone-basics", by, now)
		if err != nil {
			t.Fatal(err)
		}
		f := d.Files[0]
		if _, _, err := cat.SaveFile(ctx, d, f.ID, f.Revision, strings.Replace(f.Body, "Answer promptly.", "Answer in the browser.", 1), by, now); err != nil {
			t.Fatal(err)
		}
		if _, err := cat.PublishDraft(ctx, d, "", false, by, now); err != nil {
			t.Fatal(err)
		}
		// Restart: the file has not changed since its import, so the browser's version stays.
		rep, err := cat.Import(ctx, tree, now)
		if err != nil || len(rep.Unchanged) != 1 {
			t.Fatalf("restart import: %+v, %v", rep, err)
		}
		_, c, _ := cat.Current(ctx, "phone-basics")
		if !strings.Contains(string(c.Modules[0].LessonHTML), "in the browser") {
			t.Fatal("an unchanged file overrode the browser edit")
		}
		// A changed file wins, and the history says it came from a file.
		tree["phone-basics/01-answering.md"] = module("Answer from git.")
		if _, err := cat.Import(ctx, tree, now); err != nil {
			t.Fatal(err)
		}
		row, c, _ := cat.Current(ctx, "phone-basics")
		vs, _ := st.Versions(ctx, row.ID)
		if !strings.Contains(string(c.Modules[0].LessonHTML), "from git") || len(vs) != 3 || vs[0].Origin != store.OriginFile || vs[1].Origin != store.OriginEditor {
			t.Fatalf("after a changed file: %+v", vs)
		}
	})
}

// zipOf zips files under a content/ folder, as someone zipping their
// content tree would.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, text := range files {
		w, err := zw.Create("content/" + name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, text)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipImportIsCheckedFirstAndAllOrNothing(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st, cat := newCatalog(db)
		by := trainer(t, st)
		good := string(module("Answer promptly.").Data)
		files := map[string]string{
			"phone-basics/course.md": courseMD, "phone-basics/01-answering.md": good,
			"desk-basics/course.md": courseMD, "desk-basics/01-desk.md": "---\ntitle: Desk\n---\nText.\n\n## Quiz\n\n### Nothing right {#q}\n\n- [ ] a\n- [ ] b\n",
			"notes.txt": "",
		}
		_, err := cat.ImportZip(ctx, zipOf(t, files), by, now)
		var inv *catalog.InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("import with errors: %v", err)
		}
		var got []string
		for _, p := range inv.Problems.Errors() {
			got = append(got, p.String())
		}
		if len(got) != 2 || !strings.HasPrefix(got[0], "desk-basics/01-desk.md:8: ") || !strings.HasPrefix(got[1], "notes.txt: ") {
			t.Fatalf("problems = %q", got)
		}
		if cs, _ := st.CourseSummaries(ctx); len(cs) != 0 {
			t.Fatalf("a failed import published %+v", cs)
		}

		delete(files, "notes.txt")
		files["desk-basics/01-desk.md"] = good
		rep, err := cat.ImportZip(ctx, zipOf(t, files), by, now)
		if err != nil || len(rep.Published) != 2 {
			t.Fatalf("import = %+v, %v", rep, err)
		}
		v, err := st.LatestVersion(ctx, "desk-basics", "")
		if err != nil || v.Origin != store.OriginImport || v.PublishedBy == nil {
			t.Fatalf("imported version = %+v, %v", v, err)
		}
		if rep, err = cat.ImportZip(ctx, zipOf(t, files), by, now); err != nil || len(rep.Unchanged) != 2 {
			t.Fatalf("same zip again = %+v, %v", rep, err)
		}

		// Export and read back: the same files, in the content/ layout.
		var buf bytes.Buffer
		vf, _ := catalog.VersionFiles(v)
		if err := catalog.WriteZip(&buf, "desk-basics", vf, now); err != nil {
			t.Fatal(err)
		}
		back, ps := catalog.ReadZip(buf.Bytes())
		if len(ps) != 0 || len(back["desk-basics"]) != 2 || back["desk-basics"][0].Text != good {
			t.Fatalf("round trip = %+v, %v", back, ps)
		}
		audit, _ := st.AuditFor(ctx, "desk-basics", 5)
		if len(audit) == 0 || !slices.ContainsFunc(audit, func(e store.AuditEntry) bool { return e.Action == "course.import" }) {
			t.Fatalf("audit = %+v", audit)
		}
	})
}
