// Package courses is the course domain in plain Go: it parses Markdown course
// folders into Course values, validates them, renders lessons to sanitised
// HTML, grades quiz attempts and derives refresher states from dates.
//
// It must not import HTTP or database code, and never reads the clock: every
// function that depends on time takes `now`.
package courses

import (
	"html/template"
	"slices"
	"time"
)

// File is one Markdown source file of a course, as stored in a version.
type File struct {
	Name string `json:"name"` // base name, e.g. "course.md", "01-welcome.md"
	Text string `json:"text"`
}

// Course is one parsed, validated and rendered version of a course.
// It is immutable once built: the server shares it between requests.
type Course struct {
	Slug      string
	Title     string
	Summary   string
	Refresher Interval // how long a completion stays valid
	Window    Interval // how long before the due date the refresher opens
	Pass      int      // pass mark, percent (1..100)
	Material  bool     // front matter `material: true`: this version requires everyone to refresh

	RefresherMode      string // front matter `refresher_mode`: RefresherQuiz (default) or RefresherFull
	RefresherQuestions int    // front matter `refresher_questions`: questions in a refresher quiz (default DefaultRefresherQuestions)

	QuizQuestions int           // front matter `quiz_questions`: the modules' default draw per attempt; 0 when unset
	RetakeAfter   time.Duration // front matter `retake_after`: the pause before a failed quiz can be taken again; 0 for none

	IntroHTML template.HTML // course.md body, rendered and sanitised
	Modules   []*Module

	Files []File // the sources this course was built from, sorted by name
	Hash  string // hex sha256 over Files (names and texts); equal sources give equal hashes
}

// Module is one lesson and its quiz.
type Module struct {
	Slug    string   // file name without numeric prefix and ".md": "01-first-contact.md" -> "first-contact"
	File    string   // source file name
	Title   string   // front matter `title`
	Minutes int      // front matter `minutes`, 0 when absent
	Aliases []string // front matter `aliases`: old slugs that still resolve to this module

	// QuizQuestions is how many of Questions one attempt draws: the
	// module's `quiz_questions`, else the course's, else 0 for all of them.
	// PerAttempt gives the number an attempt really shows.
	QuizQuestions int

	LessonHTML template.HTML // the lesson (everything before "## Quiz"), rendered and sanitised
	Questions  []*Question   // empty when the module has no quiz
}

// Question is one quiz question. Correctness lives only here, on the server;
// views must never emit Choice.Correct or Feedback before an attempt is graded.
type Question struct {
	ID              string // from {#id}, or the slug of the prompt
	Line            int    // 1-based line of the ### heading in Module.File
	Prompt          string // plain text of the heading, without the {#id}
	Multiple        bool   // more than one correct choice: all and only those must be chosen
	Fixed           bool   // {fixed} on the heading: the choices keep the order written (never shuffled)
	Choices         []*Choice
	ExplanationHTML template.HTML // the blockquote after the choices

	// The Markdown each part was written in, for exports to other formats
	// (GIFT) that must carry formatting and feedback, not rendered HTML.
	PromptMarkdown      string // the heading's text without "###" and its {#id}/{fixed} marks
	ExplanationMarkdown string // the quote's text without its ">" marks
}

// Choice is one answer option.
type Choice struct {
	ID           string        // stable within the question: derived from the choice text
	Text         string        // plain text, as a learner reads it; its length is what the guessability check measures
	HTML         template.HTML // the choice text, rendered inline and sanitised
	Correct      bool
	FeedbackHTML template.HTML // paragraph(s) indented under the choice; may be empty

	Markdown         string // the choice's label as written, without its box
	FeedbackMarkdown string // the feedback as written, without its indentation
}

// ModuleURL is the path of a module's page. Lesson links between modules are
// rewritten to it at parse time, so it is the one place that knows the shape.
func ModuleURL(courseSlug, moduleSlug string) string {
	return "/courses/" + courseSlug + "/" + moduleSlug
}

// courseURL is the path of a course's page, the target of links to course.md.
func courseURL(courseSlug string) string {
	return "/courses/" + courseSlug
}

// Module returns the module with the given slug or alias, so that old links
// and progress recorded under a former slug still find it.
func (c *Course) Module(slug string) (*Module, bool) {
	if i := c.ModuleIndex(slug); i >= 0 {
		return c.Modules[i], true
	}
	return nil, false
}

// ModuleIndex returns the position of the module with the given slug or
// alias in c.Modules, or -1 when there is none.
func (c *Course) ModuleIndex(slug string) int {
	for i, m := range c.Modules {
		if m.Slug == slug {
			return i
		}
	}
	for i, m := range c.Modules {
		if slices.Contains(m.Aliases, slug) {
			return i
		}
	}
	return -1
}

// Question returns the question with the given ID.
func (m *Module) Question(id string) (*Question, bool) {
	for _, q := range m.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return nil, false
}

// Choice returns the choice with the given ID.
func (q *Question) Choice(id string) (*Choice, bool) {
	for _, c := range q.Choices {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}
