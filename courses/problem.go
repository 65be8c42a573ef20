package courses

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a Problem stops a course from being published.
type Severity int

const (
	// Error means the course cannot be used: Parse returns no Course.
	Error Severity = iota
	// Warning means the course works but something is probably not what the
	// trainer meant; `frontline check` reports it, publishing goes ahead.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one finding about a course's sources, addressed to the trainer
// who wrote them.
type Problem struct {
	File     string // "<course-slug>/<file name>", or the course slug alone
	Line     int    // 1-based line in the original file; 0 when it concerns the whole file
	Severity Severity
	Message  string // a sentence a trainer can act on, without a trailing period
}

// String formats the problem the way compilers do, so editors and CI logs
// can jump to it: "file:line: message", "file:line: warning: message", and
// "file: message" when there is no line.
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Severity == Warning {
		return loc + ": warning: " + p.Message
	}
	return loc + ": " + p.Message
}

// Problems is every finding about a course, in file and line order.
type Problems []Problem

// HasErrors reports whether any problem is an Error.
func (ps Problems) HasErrors() bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Severity == Error })
}

// Errors returns the problems of severity Error.
func (ps Problems) Errors() Problems { return ps.filter(Error) }

// Warnings returns the problems of severity Warning.
func (ps Problems) Warnings() Problems { return ps.filter(Warning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// sort orders problems by file, then line, keeping the order they were found
// in otherwise, so a report reads top to bottom like the sources.
func (ps Problems) sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}
