package web

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// statSort is one sortable column of the questions table. less compares two
// rows that both have a value; has says whether a row has one (rows
// without, shown "–", go last whichever way the column is sorted).
type statSort struct {
	Key   string
	Title string
	less  func(a, b *trainerQuestionStat) int
	has   func(q *trainerQuestionStat) bool
}

func always(*trainerQuestionStat) bool { return true }

// statSorts are the questions table's columns, in the table's order. The
// first, course order, is the page's default.
var statSorts = []statSort{
	{"question", "Question", func(a, b *trainerQuestionStat) int { return cmp.Compare(a.order, b.order) }, always},
	{"answers", "Answers", func(a, b *trainerQuestionStat) int { return cmp.Compare(a.Answers, b.Answers) }, always},
	{"first", "Right first time", func(a, b *trainerQuestionStat) int { return cmp.Compare(a.FirstRight, b.FirstRight) },
		func(q *trainerQuestionStat) bool { return q.People > 0 }},
	{"facility", "Facility", func(a, b *trainerQuestionStat) int { return cmp.Compare(a.facility, b.facility) },
		func(q *trainerQuestionStat) bool { return q.QuizAnswers > 0 }},
	{"discrimination", "Discrimination", func(a, b *trainerQuestionStat) int { return cmp.Compare(a.discrimination, b.discrimination) },
		func(q *trainerQuestionStat) bool { return q.hasDiscrimination }},
	{"wrong", "Most chosen wrong answer", func(a, b *trainerQuestionStat) int { return cmp.Compare(a.WrongCount, b.WrongCount) },
		func(q *trainerQuestionStat) bool { return q.WrongCount > 0 }},
	{"unpicked", "Wrong choice nobody picks", func(a, b *trainerQuestionStat) int { return cmp.Compare(len(a.Unpicked), len(b.Unpicked)) },
		func(q *trainerQuestionStat) bool { return len(q.Unpicked) > 0 }},
}

// statHeading is a column heading as a link that sorts by it: ascending
// first, descending when it is already sorted ascending.
type statHeading struct {
	Title string
	URL   string
	Sort  string // aria-sort: "ascending", "descending" or "" when not sorted by it
}

// sortQuestionStats orders the rows by the sort parameter ("facility",
// "-facility" for descending; "" for course order) and returns the table's
// headings. Ties keep course order. An unknown column is a badRequest.
func sortQuestionStats(qs []trainerQuestionStat, param, base string) ([]statHeading, error) {
	key, desc := strings.CutPrefix(param, "-")
	if key == "" {
		key, desc = "question", false
	}
	i := slices.IndexFunc(statSorts, func(s statSort) bool { return s.Key == key })
	if i < 0 {
		return nil, badRequest{"Choose one of the table's columns to sort by."}
	}
	by := statSorts[i]
	slices.SortStableFunc(qs, func(a, b trainerQuestionStat) int {
		ha, hb := by.has(&a), by.has(&b)
		switch {
		case ha != hb:
			if ha {
				return -1
			}
			return 1
		case !ha:
			return 0
		}
		c := by.less(&a, &b)
		if desc {
			return -c
		}
		return c
	})
	hs := make([]statHeading, len(statSorts))
	for j, s := range statSorts {
		h := statHeading{Title: s.Title}
		next := s.Key
		if s.Key == key {
			h.Sort = "ascending"
			if desc {
				h.Sort = "descending"
			} else {
				next = "-" + s.Key
			}
		}
		h.URL = base + "?" + url.Values{"sort": {next}}.Encode() + "#questions"
		hs[j] = h
	}
	return hs, nil
}
