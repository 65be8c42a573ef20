package courses

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary module text to Parse: it must never panic, every
// problem must point inside the file, and nothing rendered may carry script.
func FuzzParse(f *testing.F) {
	f.Add(goodModule("greet-first"))
	f.Add(gradeModule)
	f.Add("")
	f.Add("---")
	f.Add("---\n---\n")
	f.Add("---\ntitle: [unclosed\n---\nx")
	f.Add("---\ntitle: A\naliases: {a: b}\nminutes: -1\n---\n## Quiz\n### {#}\n- [x]\n- [ ] \n> ")
	f.Add("---\ntitle: A\n---\n## Quiz\n\ntext\n\n### Q\n\n- [x] a\n  - [ ] nested\n- [X] b\n\n  feedback\n\n> e\n\n> f\n\n* [ ] second list\n")
	f.Add("---\ntitle: A\n---\n[a](02-x.md#y) [b](../x.md) [c](%zz.md) <javascript:alert(1)>\n\n[r]: x.md\n\n[r]\n")
	f.Add(strings.Join(hostile, "\n\n"))
	for _, name := range []string{"formatting.md", "hostile.md", "golden-course/01-first-contact.md", "golden-course/02-late-orders.md"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, module string) {
		files := withCourse(File{Name: "01-fuzz.md", Text: module}, File{Name: "02-other.md", Text: goodModule("other")})
		c, ps := Parse("fuzz", files)
		if (c == nil) != ps.HasErrors() {
			t.Fatalf("course %v with errors %v", c != nil, ps.HasErrors())
		}
		n := strings.Count(strings.ReplaceAll(module, "\r\n", "\n"), "\n") + 1
		for _, p := range ps {
			if p.File == "fuzz/01-fuzz.md" && (p.Line < 0 || p.Line > n) {
				t.Errorf("problem outside the file's %d lines: %s", n, p)
			}
			if p.Message == "" {
				t.Errorf("problem without a message: %#v", p)
			}
		}
		// ParseDraft renders whatever it could build, errors or not: it
		// must never panic, and its HTML must be as safe as Parse's.
		draft, dps := ParseDraft("fuzz", files)
		if draft == nil || len(dps) != len(ps) {
			t.Fatalf("ParseDraft gave course %v and %d problems; Parse gave %d", draft != nil, len(dps), len(ps))
		}
		for where, h := range allHTML(draft) {
			if why := unsafeHTML(string(h)); why != "" {
				t.Errorf("draft %s %s:\n%s", where, why, h)
			}
		}
		if c == nil {
			return
		}
		for where, h := range allHTML(c) {
			if why := unsafeHTML(string(h)); why != "" {
				t.Errorf("%s %s:\n%s", where, why, h)
			}
		}
		for _, m := range c.Modules {
			for _, q := range m.Questions {
				if !validSlug(q.ID) || len(q.Choices) < 2 {
					t.Errorf("a course without errors has question %q with %d choices", q.ID, len(q.Choices))
				}
			}
		}
	})
}
