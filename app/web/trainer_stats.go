package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// MissedShare is the share right at the first try under which a question is
// flagged as one most people miss, once enough people answered it.
const (
	MissedShare     = 50
	MissedMinPeople = 3
)

// UnpickedMinAnswers is how many module quiz answers a question needs
// before a wrong choice nobody picked is named: fewer could be chance.
const UnpickedMinAnswers = 20

type trainerQuestionStat struct {
	Module      string
	Prompt      string
	ID          string
	Answers     int
	People      int
	FirstRight  int // percent of people right at their first try
	WrongChoice string
	WrongCount  int
	Missed      bool

	QuizAnswers    int    // answers on module quizzes, what the two numbers below count
	Facility       string // share right, "–" without answers
	Discrimination string // point-biserial r, "–" when undefined
	Unpicked       []string

	// For sorting: the question's place in the course, and the numbers
	// behind Facility and Discrimination.
	order             int
	facility          int
	discrimination    float64
	hasDiscrimination bool
}

type trainerModuleStat struct {
	Title    string
	Finished int
	Median   string
}

type trainerStatsPage struct {
	Slug       string
	Title      string
	Questions  []trainerQuestionStat
	Headings   []statHeading         // the questions table's column headings, sorting links
	Gone       []trainerQuestionStat // questions answered in earlier versions, no longer in the course
	Modules    []trainerModuleStat
	MinAnswers int // UnpickedMinAnswers, for the page's explanation
}

// trainerStats shows how each question and module of a course is doing.
// The counting happens in SQL (store.QuestionStats, store.ModuleStats); here
// the numbers only get the current version's prompts and choice texts.
func (s *Server) trainerStats(c *fiber.Ctx) error {
	slug, err := trainerCourseParam(c)
	if err != nil {
		return err
	}
	row, course, err := s.Catalog.Current(ctx(c), slug)
	if err != nil {
		return err
	}
	qs, err := s.Store.QuestionStats(ctx(c), row.ID)
	if err != nil {
		return err
	}
	ms, err := s.Store.ModuleStats(ctx(c), row.ID)
	if err != nil {
		return err
	}
	items, err := s.Store.ItemStats(ctx(c), row.ID)
	if err != nil {
		return err
	}
	picks, err := s.Store.ChoicePicks(ctx(c), row.ID)
	if err != nil {
		return err
	}
	itemOf := map[string]store.ItemStat{}
	for _, it := range items {
		itemOf[it.QuestionID] = it
	}
	picked := map[string]bool{} // "<question> <choice>" chosen at least once
	for _, pk := range picks {
		for _, id := range strings.Fields(pk.ChoiceIDs) {
			picked[pk.QuestionID+" "+id] = true
		}
	}
	p := trainerStatsPage{Slug: slug, Title: course.Title, MinAnswers: UnpickedMinAnswers}
	where := map[string]*courses.Question{}
	moduleOf := map[string]*courses.Module{}
	for _, m := range course.Modules {
		for _, q := range m.Questions {
			where[q.ID], moduleOf[q.ID] = q, m
		}
	}
	byID := map[string]trainerQuestionStat{}
	for _, st := range qs {
		v := trainerQuestionStat{ID: st.QuestionID, Prompt: st.QuestionID, Answers: st.Answers, People: st.People, WrongCount: st.WrongCount}
		if st.People > 0 {
			v.FirstRight = st.FirstRight * 100 / st.People
		}
		v.Missed = st.People >= MissedMinPeople && v.FirstRight < MissedShare
		q, ok := where[st.QuestionID]
		if !ok {
			p.Gone = append(p.Gone, v)
			continue
		}
		v.Prompt, v.Module = q.Prompt, moduleOf[q.ID].Title
		v.WrongChoice = choiceTexts(q, st.WrongChoice)
		byID[st.QuestionID] = v
	}
	for _, m := range course.Modules { // course order, unanswered questions too
		for _, q := range m.Questions {
			v, ok := byID[q.ID]
			if !ok {
				v = trainerQuestionStat{ID: q.ID, Prompt: q.Prompt, Module: m.Title}
			}
			itemStat(&v, q, itemOf[q.ID], picked)
			v.order = len(p.Questions)
			p.Questions = append(p.Questions, v)
		}
	}
	if p.Headings, err = sortQuestionStats(p.Questions, c.Query("sort"), "/trainer/courses/"+slug+"/stats"); err != nil {
		return err
	}
	bySlug := map[string]trainerModuleStat{}
	for _, st := range ms {
		if m, ok := course.Module(st.ModuleSlug); ok { // old slugs count for the module that kept them as aliases
			prev := bySlug[m.Slug]
			bySlug[m.Slug] = trainerModuleStat{Finished: prev.Finished + st.Finished, Median: statDuration(st.MedianSeconds)}
		}
	}
	for _, m := range course.Modules {
		v := bySlug[m.Slug]
		v.Title = m.Title
		if v.Median == "" {
			v.Median = "–"
		}
		p.Modules = append(p.Modules, v)
	}
	return s.render(c, "trainer_stats", "Question statistics · "+course.Title, p)
}

// itemStat adds the item analysis of one question: facility, discrimination,
// and its wrong choices nobody picked once it has UnpickedMinAnswers answers.
func itemStat(v *trainerQuestionStat, q *courses.Question, it store.ItemStat, picked map[string]bool) {
	v.QuizAnswers, v.Facility, v.Discrimination = it.Answers, "–", "–"
	if it.Answers > 0 {
		v.facility = it.Right * 100 / it.Answers
		v.Facility = fmt.Sprintf("%d%%", v.facility)
	}
	if r, ok := it.Sums().Discrimination(); ok {
		v.Discrimination, v.discrimination, v.hasDiscrimination = fmt.Sprintf("%.2f", r), r, true
	}
	if it.Answers < UnpickedMinAnswers {
		return
	}
	for _, ch := range q.Choices {
		if !ch.Correct && !picked[q.ID+" "+ch.ID] {
			v.Unpicked = append(v.Unpicked, trainerStripTags(string(ch.HTML)))
		}
	}
}

// choiceTexts turns stored choice IDs into the choices' plain text.
func choiceTexts(q *courses.Question, ids string) string {
	var parts []string
	for _, id := range strings.Fields(ids) {
		if ch, ok := q.Choice(id); ok {
			parts = append(parts, trainerStripTags(string(ch.HTML)))
		} else {
			parts = append(parts, "(a choice since removed)")
		}
	}
	return strings.Join(parts, " + ")
}

// trainerStripTags drops the markup of a rendered choice for a table cell; the
// template escapes what is left.
func trainerStripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(b.String())
}

func statDuration(secs float64) string {
	switch {
	case secs <= 0:
		return "–"
	case secs < 90:
		return fmt.Sprintf("%.0f s", secs)
	case secs < 90*60:
		return fmt.Sprintf("%.0f min", secs/60)
	case secs < 48*3600:
		return fmt.Sprintf("%.1f h", secs/3600)
	}
	return fmt.Sprintf("%.0f days", secs/86400)
}
