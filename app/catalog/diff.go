package catalog

import (
	"slices"
	"strings"

	"github.com/frontline-lms/frontline/courses"
)

// DiffOp says what happened to a line between two texts.
type DiffOp byte

const (
	Same    DiffOp = ' '
	Removed DiffOp = '-'
	Added   DiffOp = '+'
	Skipped DiffOp = '~' // unchanged lines left out between hunks
)

// DiffLine is one line of a diff. Old and New are 1-based line numbers in
// each text, 0 where the line is not in that text.
type DiffLine struct {
	Op       DiffOp
	Old, New int
	Text     string
}

// FileDiff is the line diff of one file between two versions.
type FileDiff struct {
	Name           string
	Status         string // "changed", "added", "removed"
	Added, Removed int
	Lines          []DiffLine // hunks with context; Skipped lines stand for the rest
}

// DiffFiles compares two versions file by file, in name order, and leaves
// out files that did not change.
func DiffFiles(from, to []courses.File, context int) []FileDiff {
	old := map[string]string{}
	for _, f := range from {
		old[f.Name] = f.Text
	}
	cur := map[string]string{}
	var names []string
	for _, f := range to {
		cur[f.Name] = f.Text
		names = append(names, f.Name)
	}
	for _, f := range from {
		if _, ok := cur[f.Name]; !ok {
			names = append(names, f.Name)
		}
	}
	slices.Sort(names)
	var out []FileDiff
	for _, n := range names {
		a, inOld := old[n]
		b, inNew := cur[n]
		if inOld && inNew && a == b {
			continue
		}
		fd := FileDiff{Name: n, Status: "changed"}
		switch {
		case !inOld:
			fd.Status = "added"
		case !inNew:
			fd.Status = "removed"
		}
		all := DiffLines(splitLines(a), splitLines(b))
		for _, l := range all {
			switch l.Op {
			case Added:
				fd.Added++
			case Removed:
				fd.Removed++
			}
		}
		fd.Lines = hunks(all, context)
		out = append(out, fd)
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// DiffLines is a line diff of a and b: the longest common subsequence, found
// by dynamic programming over the lines between the common prefix and
// suffix. Course files are a few hundred lines; a pair too large for the
// table is shown as the old text removed and the new one added.
func DiffLines(a, b []string) []DiffLine {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out []DiffLine
	for i := 0; i < pre; i++ {
		out = append(out, DiffLine{Same, i + 1, i + 1, a[i]})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(ma), len(mb)
	if n*m > 4_000_000 {
		for i, s := range ma {
			out = append(out, DiffLine{Removed, pre + i + 1, 0, s})
		}
		for j, s := range mb {
			out = append(out, DiffLine{Added, 0, pre + j + 1, s})
		}
	} else {
		// lcs[i][j] is the LCS length of ma[i:] and mb[j:].
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				out = append(out, DiffLine{Same, pre + i + 1, pre + j + 1, ma[i]})
				i++
				j++
			case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]): // removals first, as diff(1) shows them
				out = append(out, DiffLine{Removed, pre + i + 1, 0, ma[i]})
				i++
			default:
				out = append(out, DiffLine{Added, 0, pre + j + 1, mb[j]})
				j++
			}
		}
	}
	for k := 0; k < suf; k++ {
		out = append(out, DiffLine{Same, len(a) - suf + k + 1, len(b) - suf + k + 1, a[len(a)-suf+k]})
	}
	return out
}

// hunks keeps changed lines and up to context unchanged lines around them;
// each run left out becomes one Skipped line.
func hunks(lines []DiffLine, context int) []DiffLine {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.Op == Same {
			continue
		}
		for k := max(0, i-context); k <= min(len(lines)-1, i+context); k++ {
			keep[k] = true
		}
	}
	var out []DiffLine
	for i := 0; i < len(lines); {
		if keep[i] {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && !keep[j] {
			j++
		}
		out = append(out, DiffLine{Op: Skipped, Old: j - i})
		i = j
	}
	return out
}

// Kind names the line's operation for a template: "same", "add", "del" or "skip".
func (l DiffLine) Kind() string {
	switch l.Op {
	case Added:
		return "add"
	case Removed:
		return "del"
	case Skipped:
		return "skip"
	}
	return "same"
}
