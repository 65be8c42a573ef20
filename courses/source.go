package courses

import (
	"bytes"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// source is one Markdown file being parsed. body is the file with its front
// matter blanked out (newlines kept), so that byte offsets in the AST map to
// line numbers in the original file without any correction.
type source struct {
	name   string // file name, "01-welcome.md"
	path   string // how problems name it, "<course-slug>/01-welcome.md"
	body   []byte
	starts []int // byte offset of the start of each line
	doc    ast.Node
}

func newSource(slug, name string, body []byte) *source {
	s := &source{name: name, path: slug + "/" + name, body: body, starts: []int{0}}
	for i, b := range body {
		if b == '\n' {
			s.starts = append(s.starts, i+1)
		}
	}
	return s
}

// lineAt returns the 1-based line holding byte offset off.
func (s *source) lineAt(off int) int {
	return sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off })
}

// line returns the 1-based line where node n starts, or 0 when goldmark
// recorded no position for it or its descendants.
func (s *source) line(n ast.Node) int {
	for x := n; x != nil; x = x.FirstChild() {
		if x.Type() == ast.TypeBlock && x.Lines().Len() > 0 {
			l := s.lineAt(x.Lines().At(0).Start)
			if _, fenced := x.(*ast.FencedCodeBlock); fenced {
				l-- // the lines are the code; the block starts at the fence
			}
			return l
		}
		if p := x.Pos(); p >= 0 {
			return s.lineAt(p)
		}
		if t, ok := x.(*ast.Text); ok {
			return s.lineAt(t.Segment.Start)
		}
	}
	return 0
}

// plainText returns the text of n as a reader sees it, without markup:
// "**Call** the `customer`" -> "Call the customer".
func plainText(src []byte, n ast.Node) string {
	var b bytes.Buffer
	_ = ast.Walk(n, func(x ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := x.(type) {
		case *ast.Text:
			v := x.Value(src)
			if !x.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(x.Value)
		case *ast.AutoLink:
			b.Write(x.Label(src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// normalize folds text for comparison: lower case, single spaces.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
