package courses_test

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"text/tabwriter"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// courseStats is what the two test-taking tricks make of one course: pick
// the longest choice, and in "choose all that apply" tick all but one.
type courseStats struct {
	slug                 string
	pass                 int
	files                []string
	pools                []int // questions in each module's quiz
	draws                []int // each module's QuizQuestions, 0 when it shows all
	singles, longest     int   // single-answer questions; those whose right choice is the longest
	multiples, allButOne int   // multiple-answer questions; those with one wrong choice
	rightCounts          []int // right choices of each multiple-answer question
	beaten               int   // module quizzes the tricks alone pass
}

func statsOf(c *courses.Course) (courseStats, error) {
	s := courseStats{slug: c.Slug, pass: c.Pass}
	for _, m := range c.Modules {
		s.files = append(s.files, m.File)
		s.pools = append(s.pools, len(m.Questions))
		s.draws = append(s.draws, m.QuizQuestions)
		for _, q := range m.Questions {
			if !q.Multiple {
				s.singles++
				if q.LongestIsRight() {
					s.longest++
				}
				continue
			}
			s.multiples++
			if q.AllButOneRight() {
				s.allButOne++
			}
			right := 0
			for _, ch := range q.Choices {
				if ch.Correct {
					right++
				}
			}
			s.rightCounts = append(s.rightCounts, right)
		}
		r, err := m.TrickResult(c.Pass)
		if err != nil {
			return s, fmt.Errorf("%s/%s: %w", c.Slug, m.File, err)
		}
		if r.Passed {
			s.beaten++
		}
	}
	return s, nil
}

// curriculumStats measures every course of a content tree; a course that
// does not load fails the test, since it cannot be measured.
func curriculumStats(t *testing.T, fsys fs.FS) []courseStats {
	t.Helper()
	loaded, err := courses.LoadTree(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var out []courseStats
	for _, l := range loaded {
		if l.Course == nil {
			t.Fatalf("%s does not load:\n%s", l.Slug, l.Problems.Errors())
		}
		s, err := statsOf(l.Course)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// report is the per-course table: modules, questions in each pool, drawn
// per attempt ("all" when a module sets no quiz_questions), the share of
// single-answer questions whose right choice is the longest, and the module
// quizzes passed by the tricks alone at the course's pass mark.
func report(stats []courseStats) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "course\tmodules\tpool\tdrawn\tlongest is right\tall but one right\ttrick-only passes")
	var tot courseStats
	modules := 0
	for _, s := range stats {
		var pools, draws []string
		for i, n := range s.pools {
			pools = append(pools, strconv.Itoa(n))
			if s.draws[i] == 0 {
				draws = append(draws, "all")
			} else {
				draws = append(draws, strconv.Itoa(min(s.draws[i], n)))
			}
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", s.slug, len(s.pools), strings.Join(pools, " "), strings.Join(draws, " "),
			share(s.longest, s.singles), share(s.allButOne, s.multiples), share(s.beaten, len(s.pools)))
		modules += len(s.pools)
		tot.singles, tot.longest = tot.singles+s.singles, tot.longest+s.longest
		tot.multiples, tot.allButOne = tot.multiples+s.multiples, tot.allButOne+s.allButOne
		tot.beaten += s.beaten
	}
	fmt.Fprintf(w, "all courses\t%d\t\t\t%s\t%s\t%s\n", modules, share(tot.longest, tot.singles), share(tot.allButOne, tot.multiples), share(tot.beaten, modules))
	w.Flush()
	return b.String()
}

func share(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d (%d%%)", n, of, n*100/of)
}

// TestCurriculumReport prints, with -v, how guessable each shipped course
// is: go test -run TestCurriculumReport -v ./courses/. It fails only when
// the content cannot be measured; TestCurriculumResistsGuessing holds the
// numbers to their limits.
func TestCurriculumReport(t *testing.T) {
	stats := curriculumStats(t, content.FS)
	if len(stats) == 0 {
		t.Fatal("content/ holds no course to report on")
	}
	t.Log("\n" + report(stats))
}

// curriculumProblems says where a curriculum falls short of the bar the
// guessability check sets for it: the two tricks (the longest choice; all
// choices but one) pass at most 10% of module quizzes, judged on each
// module's whole pool at its course's pass mark; the right choice is the
// longest in at most 35% of single-answer questions; every module holds at
// least 6 questions and draws 4 or 5; and multiple-answer questions do not
// all have the same number of right choices.
func curriculumProblems(stats []courseStats) []string {
	var out []string
	var modules, beaten, singles, longest int
	for _, s := range stats {
		for i, n := range s.pools {
			if n < 6 {
				out = append(out, fmt.Sprintf("%s/%s: %d questions, want a pool of at least 6", s.slug, s.files[i], n))
			}
			if d := s.draws[i]; d != 4 && d != 5 {
				out = append(out, fmt.Sprintf("%s/%s: quiz_questions is %d, want 4 or 5 (0 is unset: every question shown)", s.slug, s.files[i], d))
			}
		}
		modules += len(s.pools)
		beaten += s.beaten
		singles += s.singles
		longest += s.longest
	}
	if modules > 0 && beaten*100 > 10*modules {
		out = append(out, fmt.Sprintf("picking the longest choice and ticking all choices but one pass %d of %d module quizzes (%d%%), want at most 10%%", beaten, modules, beaten*100/modules))
	}
	if singles > 0 && longest*100 > 35*singles {
		out = append(out, fmt.Sprintf("the right choice is the longest in %d of %d single-answer questions (%d%%), want at most 35%%", longest, singles, longest*100/singles))
	}
	if !rightCountsVary(stats) {
		out = append(out, "the multiple-answer questions all have the same number of right choices (or there are none), want it to vary")
	}
	return out
}

// rightCountsVary reports whether the multiple-answer questions do not all
// have the same number of right choices.
func rightCountsVary(stats []courseStats) bool {
	var all []int
	for _, s := range stats {
		all = append(all, s.rightCounts...)
	}
	slices.Sort(all)
	return len(slices.Compact(all)) > 1
}

// tree is a content tree of one course whose modules hold the given
// questions, each a list of choices where a leading "x " marks a right one.
func tree(quizQuestions string, modules ...[][]string) fstest.MapFS {
	fsys := fstest.MapFS{"desk/course.md": {Data: []byte("---\ntitle: Desk\nrefresher: 12 months\nwindow: 30 days\npass: 75\n" + quizQuestions + "---\nWelcome.\n")}}
	for mi, qs := range modules {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Module %d\n---\nRead this.\n\n## Quiz\n", mi+1)
		for qi, q := range qs {
			fmt.Fprintf(&b, "\n### Question %d? {#m%d-q%d}\n\n", qi+1, mi+1, qi+1)
			for _, c := range q {
				if text, ok := strings.CutPrefix(c, "x "); ok {
					fmt.Fprintf(&b, "- [x] %s\n", text)
				} else {
					fmt.Fprintf(&b, "- [ ] %s\n", c)
				}
			}
			b.WriteString("\n> Because.\n")
		}
		fsys[fmt.Sprintf("desk/%02d-module-%d.md", mi+1, mi+1)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// TestCurriculumProblems: the bar TestCurriculumResistsGuessing holds the
// shipped content to is reachable, and each part of it can fail.
func TestCurriculumProblems(t *testing.T) {
	var (
		fair      = []string{"x Send a text now", "Call them back today", "Ask a colleague", "Write an email"}
		longest   = []string{"x Call them back today", "Send a text now", "Ask a colleague", "Write an email"}
		twoOfFour = []string{"x Send a text now", "x Ask a colleague", "Call them back today", "Write an email"}
		threeOf5  = []string{"x Send a text now", "x Ask a colleague", "x Write an email", "Call them back today", "Wait a day"}
		allButOne = []string{"x Send a text now", "x Ask a colleague", "x Write an email", "Call them back today"}
	)
	pool := func(q, multi []string) [][]string { return [][]string{q, q, q, q, q, multi} }
	tests := []struct {
		name string
		fsys fs.FS
		want []string
	}{
		{
			name: "a fair curriculum passes",
			fsys: tree("quiz_questions: 5\n", pool(fair, twoOfFour), pool(fair, threeOf5), pool(fair, twoOfFour)),
		},
		{
			name: "the tricks pass every quiz",
			fsys: tree("quiz_questions: 4\n", pool(longest, allButOne), pool(longest, twoOfFour), pool(fair, allButOne)),
			want: []string{
				"picking the longest choice and ticking all choices but one pass 2 of 3 module quizzes (66%), want at most 10%",
				"the right choice is the longest in 10 of 15 single-answer questions (66%), want at most 35%",
			},
		},
		{
			name: "small pools shown whole, with one number of right choices",
			fsys: tree("", [][]string{fair, fair, fair, fair, twoOfFour}, [][]string{fair, fair, fair, fair, fair, twoOfFour}),
			want: []string{
				"desk/01-module-1.md: 5 questions, want a pool of at least 6",
				"desk/01-module-1.md: quiz_questions is 0, want 4 or 5 (0 is unset: every question shown)",
				"desk/02-module-2.md: quiz_questions is 0, want 4 or 5 (0 is unset: every question shown)",
				"the multiple-answer questions all have the same number of right choices (or there are none), want it to vary",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := curriculumStats(t, tt.fsys)
			if diff := cmp.Diff(tt.want, curriculumProblems(stats)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\n%s", diff, report(stats))
			}
		})
	}
}

// TestCurriculumResistsGuessing holds the shipped content/ tree to the bar
// of curriculumProblems, so the curriculum cannot drift back to quizzes
// that test-taking tricks pass.
func TestCurriculumResistsGuessing(t *testing.T) {
	stats := curriculumStats(t, content.FS)
	for _, p := range curriculumProblems(stats) {
		t.Error(p)
	}
	if t.Failed() {
		t.Log("\n" + report(stats))
	}
}
