package courses

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Exports to other formats (GIFT) need the Markdown a trainer wrote, not
// the rendered HTML: these read it back from the source lines the parser
// already holds, so no second parser can disagree with the first.

// span returns the byte offsets [start, stop) that n and its descendants
// cover in the source, or ok=false when goldmark recorded no position.
func span(n ast.Node) (start, stop int, ok bool) {
	start = -1
	_ = ast.Walk(n, func(x ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		add := func(a, b int) {
			if start < 0 || a < start {
				start = a
			}
			if b > stop {
				stop = b
			}
		}
		if x.Type() == ast.TypeBlock {
			lines := x.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				add(seg.Start, seg.Stop)
			}
		}
		if t, ok := x.(*ast.Text); ok {
			add(t.Segment.Start, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	return start, stop, start >= 0
}

// sourceLines returns the whole source lines that nodes cover, from the
// line of the first to the line of the last, without the final newline.
func (s *source) sourceLines(nodes []ast.Node) []string {
	first, last := 0, 0
	for _, n := range nodes {
		a, b, ok := span(n)
		if !ok {
			continue
		}
		la, lb := s.lineAt(a), s.lineAt(max(a, b-1))
		if _, fenced := n.(*ast.FencedCodeBlock); fenced {
			la-- // the fence opens the line before the code
			lb++ // and closes it on the line after
		}
		if first == 0 || la < first {
			first = la
		}
		if lb > last {
			last = lb
		}
	}
	if first == 0 {
		return nil
	}
	var out []string
	for l := max(first, 1); l <= last && l <= len(s.starts); l++ {
		from, to := s.starts[l-1], len(s.body)
		if l < len(s.starts) {
			to = s.starts[l] - 1
		}
		out = append(out, strings.TrimRight(string(s.body[from:to]), "\r"))
	}
	return out
}

// dedent removes the indentation all non-blank lines share, and blank
// lines at either end.
func dedent(lines []string) string {
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			l = l[indent:]
		}
		out[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}

var (
	quoteMark   = regexp.MustCompile(`^ {0,3}> ?`)
	boxMark     = regexp.MustCompile(`^\s*(?:[-*+]|[0-9]+[.)])\s+\[[ xX]\]\s*`)
	headingMark = regexp.MustCompile(`^ {0,3}#+\s*`)
	closingMark = regexp.MustCompile(`\s+#+\s*$`)
)

// quoteMarkdown returns the text of block quotes without their ">" marks,
// one quote after another separated by a blank line.
func (s *source) quoteMarkdown(nodes []ast.Node) string {
	var parts []string
	for _, n := range nodes {
		lines := s.sourceLines([]ast.Node{n})
		for i, l := range lines {
			lines[i] = quoteMark.ReplaceAllString(l, "")
		}
		if t := dedent(lines); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

// labelMarkdown returns a choice's label as written: the item's first
// block without the list marker and box, its lines joined by spaces (a
// label is one line of a task list).
func (s *source) labelMarkdown(label ast.Node) string {
	lines := s.sourceLines([]ast.Node{label})
	if len(lines) == 0 {
		return ""
	}
	lines[0] = boxMark.ReplaceAllString(lines[0], "")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " ")
}

// promptMarkdown returns a question heading's text as written, without
// "###" and without the {#id} and {fixed} marks after it.
func (s *source) promptMarkdown(h *ast.Heading) string {
	line := s.sourceLines([]ast.Node{h})
	if len(line) == 0 {
		return ""
	}
	t := headingMark.ReplaceAllString(line[0], "")
	t = closingMark.ReplaceAllString(strings.TrimSpace(t), "")
	for {
		switch {
		case fixedMark.MatchString(t):
			t = fixedMark.ReplaceAllString(t, "")
		case idMark.MatchString(t):
			t = idMark.ReplaceAllString(t, "")
		default:
			return strings.TrimSpace(t)
		}
	}
}
