package courses

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// linkTargets resolves the relative ".md" links trainers write between the
// files of a course (they work when browsing the folder on GitHub) to the
// module pages of the site.
type linkTargets struct {
	course string
	byFile map[string]string // "02-greeting.md" -> "greeting"
	bySlug map[string]string // slug or alias -> slug
}

func newLinkTargets(course string, modules []*moduleDraft) linkTargets {
	t := linkTargets{course: course, byFile: map[string]string{}, bySlug: map[string]string{}}
	for _, m := range modules {
		t.byFile[m.mod.File] = m.mod.Slug
		for _, a := range m.mod.Aliases {
			if _, taken := t.bySlug[a]; !taken {
				t.bySlug[a] = m.mod.Slug
			}
		}
	}
	// Slugs win over aliases; collisions are reported by checkSlugs.
	for _, m := range modules {
		t.bySlug[m.mod.Slug] = m.mod.Slug
	}
	return t
}

// resolve maps a file path such as "02-greeting.md" or "greeting.md" to a
// URL. A link by slug, or by a file name whose number has since changed,
// still finds its module.
func (t linkTargets) resolve(file string) (string, bool) {
	if file == courseFile {
		return courseURL(t.course), true
	}
	if s, ok := t.byFile[file]; ok {
		return ModuleURL(t.course, s), true
	}
	if s, ok := t.bySlug[moduleSlug(file)]; ok {
		return ModuleURL(t.course, s), true
	}
	return "", false
}

// urlScheme matches the start of an absolute URL: "https:", "mailto:", …
var urlScheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// rewriteLinks checks every link to a ".md" file and points it at the
// module's page, keeping any #fragment. Other links are left to the
// sanitiser, which drops dangerous schemes.
func (p *courseParser) rewriteLinks(src *source, t linkTargets) {
	_ = ast.Walk(src.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		link, ok := n.(*ast.Link)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		dest := string(link.Destination)
		if dest == "" || urlScheme.MatchString(dest) || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "?") {
			return ast.WalkContinue, nil
		}
		file, fragment, _ := strings.Cut(dest, "#")
		file, _, _ = strings.Cut(file, "?")
		if !strings.HasSuffix(strings.ToLower(file), ".md") {
			return ast.WalkContinue, nil
		}
		if u, err := url.PathUnescape(file); err == nil {
			file = u
		}
		file = strings.TrimPrefix(file, "./")
		line := src.line(link)
		if strings.Contains(file, "/") {
			p.errorf(src.path, line, "the link to %q leads outside this course: link to a module of this course by its file name, such as \"02-greeting.md\"", dest)
			return ast.WalkContinue, nil
		}
		target, ok := t.resolve(file)
		if !ok {
			p.errorf(src.path, line, "the link to %q leads to no module of this course: check the file name, such as \"02-greeting.md\"", dest)
			return ast.WalkContinue, nil
		}
		if fragment != "" {
			target += "#" + fragment
		}
		link.Destination = []byte(target)
		return ast.WalkContinue, nil
	})
}
