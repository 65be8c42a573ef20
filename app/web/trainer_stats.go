package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/courses"
)

// MissedShare is the share right at the first try under which a question is
// flagged as one most people miss, once enough people answered it.
const (
	MissedShare     = 50
	MissedMinPeople = 3
)

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
}

type trainerModuleStat struct {
	Title    string
	Finished int
	Median   string
}

type trainerStatsPage struct {
	Slug      string
	Title     string
	Questions []trainerQuestionStat
	Gone      []trainerQuestionStat // questions answered in earlier versions, no longer in the course
	Modules   []trainerModuleStat
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
	p := trainerStatsPage{Slug: slug, Title: course.Title}
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
			p.Questions = append(p.Questions, v)
		}
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
