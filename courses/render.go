package courses

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// markdown is the one Markdown engine: GitHub-flavoured (tables,
// strikethrough, linkify, task lists) with {#id} attributes on headings.
// Raw HTML stays off (no html.WithUnsafe): goldmark replaces it with a
// comment, and the sanitiser removes the comment.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// policy is the one sanitiser every rendered fragment passes through, a
// second wall behind goldmark's own escaping: whatever a trainer or the
// browser editor sends, no script, event handler, style or dangerous URL
// reaches a learner's page.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	// UGC allows the usual formatting, id and title attributes, and only
	// http, https, mailto and relative URLs in links and images.
	p := bluemonday.UGCPolicy()
	// Links to other sites open in a new tab (so a learner does not lose the
	// lesson) with rel="nofollow noopener"; links between modules stay plain.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	// Code blocks keep their language, for a highlighter to use one day.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]+$`)).OnElements("code")
	// Task lists in a lesson render as disabled checkboxes (a checklist).
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")
	// Table cell alignment is rendered as a style by goldmark; keep only
	// that declaration.
	p.AllowStyles("text-align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	return p
}

// parseMarkdown parses src into an AST whose positions are offsets into src.
func parseMarkdown(src []byte) ast.Node {
	return markdown.Parser().Parse(text.NewReader(src))
}

// renderNodes renders the given nodes in order and sanitises the result.
func renderNodes(src []byte, nodes ...ast.Node) template.HTML {
	var buf bytes.Buffer
	for _, n := range nodes {
		// The HTML renderer writes to a bytes.Buffer, which cannot fail.
		_ = markdown.Renderer().Render(&buf, src, n)
	}
	return sanitize(buf.Bytes())
}

// renderInline renders one paragraph-like block without its <p> wrapper,
// for text that sits inside other markup, such as a choice's label.
func renderInline(src []byte, n ast.Node) template.HTML {
	var buf bytes.Buffer
	_ = markdown.Renderer().Render(&buf, src, n)
	out := bytes.TrimSpace(buf.Bytes())
	if bytes.HasPrefix(out, []byte("<p>")) && bytes.HasSuffix(out, []byte("</p>")) {
		out = out[len("<p>") : len(out)-len("</p>")]
	}
	return sanitize(out)
}

func sanitize(b []byte) template.HTML {
	return template.HTML(bytes.TrimSpace(policy.SanitizeBytes(b)))
}
