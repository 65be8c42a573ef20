package catalog_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/catalog"
)

// FuzzReadZip feeds uploaded-zip bytes to the reader: it must never panic,
// and whatever it accepts is plain course folders of .md files.
func FuzzReadZip(f *testing.F) {
	for _, names := range [][]string{
		{"desk/course.md", "desk/01-a.md"},
		{"content/desk/course.md", "content/desk/01-a.md"},
		{"../evil.md", "desk/../../x.md", `desk\course.md`, "/abs/course.md"},
		{"a/b/c/d.md", "__MACOSX/desk/._course.md", "desk/.hidden.md"},
	} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			w, _ := zw.Create(n)
			w.Write([]byte("---\ntitle: x\n---\n"))
		}
		zw.Close()
		f.Add(buf.Bytes())
	}
	f.Add([]byte("not a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _ := catalog.ReadZip(data)
		for slug, files := range out {
			if slug == "" || strings.ContainsAny(slug, `/\`) || slug == ".." {
				t.Fatalf("course folder %q accepted", slug)
			}
			for _, f := range files {
				if !strings.HasSuffix(f.Name, ".md") || strings.ContainsAny(f.Name, `/\`) {
					t.Fatalf("file %q accepted in %q", f.Name, slug)
				}
			}
		}
	})
}

func TestReadZipRefusesPathsOutsideACourseFolder(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"desk/course.md", "../evil.md", `desk\x.md`, "desk/img.png"} {
		w, _ := zw.Create(n)
		w.Write([]byte("x"))
	}
	zw.Close()
	out, ps := catalog.ReadZip(buf.Bytes())
	if len(out["desk"]) != 1 || len(ps) != 3 {
		t.Fatalf("out = %v, problems = %v", out, ps)
	}
}
