package courses_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// courseStats is what the two test-taking tricks make of one course: pick
// the longest choice, and in "choose all that apply" tick all but one.
type courseStats struct {
	slug                 string
	pass                 int
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

// curriculumStats loads the shipped content/ tree; a course that does not
// load fails the test, since it cannot be measured.
func curriculumStats(t *testing.T) []courseStats {
	t.Helper()
	loaded, err := courses.LoadTree(content.FS)
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
	stats := curriculumStats(t)
	if len(stats) == 0 {
		t.Fatal("content/ holds no course to report on")
	}
	t.Log("\n" + report(stats))
}
