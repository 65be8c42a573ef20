package courses

import (
	"fmt"
	"time"
)

// checkSlugs reports module slugs and aliases that would make a module URL
// ambiguous: two files with the same slug, or an alias that names another
// module (or repeats another alias).
func (p *courseParser) checkSlugs(modules []*moduleDraft) {
	type owner struct {
		m    *moduleDraft
		line int // 0 for a slug from a file name
	}
	slugs := map[string]owner{}
	for _, m := range modules {
		if first, dup := slugs[m.mod.Slug]; dup {
			p.errorf(m.src.path, 0, "the module slug %q is already used by %s: rename one of the two files", m.mod.Slug, first.m.mod.File)
			continue
		}
		slugs[m.mod.Slug] = owner{m: m}
	}
	aliases := map[string]owner{}
	for _, m := range modules {
		for i, a := range m.mod.Aliases {
			line := m.aliasLines[i]
			if s, ok := slugs[a]; ok {
				if s.m == m {
					p.errorf(m.src.path, line, "the alias %q is this module's own slug: remove it from aliases", a)
				} else {
					p.errorf(m.src.path, line, "the alias %q is the slug of %s: an alias must be an old slug that no module uses now", a, s.m.mod.File)
				}
				continue
			}
			if first, dup := aliases[a]; dup {
				if first.m == m {
					p.errorf(m.src.path, line, "the alias %q appears twice (first on line %d): keep one", a, first.line)
				} else {
					p.errorf(m.src.path, line, "the alias %q is already an alias of %s (line %d): an old slug can lead to one module only", a, first.m.mod.File, first.line)
				}
				continue
			}
			aliases[a] = owner{m: m, line: line}
		}
	}
}

// checkQuestionIDs reports question IDs used twice in the course: attempts
// and practice sessions are recorded by question ID, across modules.
func (p *courseParser) checkQuestionIDs(modules []*moduleDraft) {
	first := map[string]string{} // ID -> "file:line" of its first question
	for _, m := range modules {
		for _, qd := range m.questions {
			q := qd.q
			if q.ID == "" {
				continue // already reported
			}
			at := fmt.Sprintf("%s:%d", m.src.path, q.Line)
			if prev, dup := first[q.ID]; dup {
				p.errorf(m.src.path, q.Line, "the question ID %q is already used by the question at %s: give this question a different {#id}", q.ID, prev)
				continue
			}
			first[q.ID] = at
		}
	}
}

// windowFits reports whether a refresher window always opens after the
// completion that started the cycle. Months and years vary in length, so a
// window such as "30 days" against a refresher of "1 month" is too long for
// some dates only; trying every day of a four-year span (one leap cycle)
// checks it exactly instead of with an average month.
func windowFits(refresher, window Interval) bool {
	start := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
	for c := start; c.Year() < 2028; c = c.AddDate(0, 0, 1) {
		if !window.SubFrom(refresher.AddTo(c)).After(c) {
			return false
		}
	}
	return true
}
