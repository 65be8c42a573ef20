package courses

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"gopkg.in/yaml.v3"
)

// moduleDraft is a module between parsing and rendering: its AST is kept
// until links to other modules have been checked and rewritten.
type moduleDraft struct {
	mod        *Module
	src        *source
	aliasLines []int // file line of each of mod.Aliases
	lesson     []ast.Node
	questions  []*questionDraft
	quizLine   int // line of "## Quiz", 0 when there is no quiz
	drawLine   int // line of the module's own quiz_questions, 0 when unset
}

// moduleKeys are the settings a module file may have.
var moduleKeys = []string{"title", "minutes", "aliases", "quiz_questions"}

// parseModule reads one module file.
func (p *courseParser) parseModule(f File) *moduleDraft {
	m := &moduleDraft{mod: &Module{Slug: moduleSlug(f.Name), File: f.Name}}
	path := p.slug + "/" + f.Name
	if !validSlug(m.mod.Slug) {
		p.errorf(path, 0, "the file name gives the module slug %q, which is not allowed: rename the file and %s", m.mod.Slug, slugRule)
	}
	fm, body, ok := p.splitFile(path, f.Text)
	if !fm.present {
		p.noFrontMatter(path, "title: Greeting customers")
	}
	p.settings(path, fm.fields, moduleKeys, func(fd field) {
		switch fd.key {
		case "title":
			if s, ok := p.text(path, fd); ok && s == "" {
				p.errorf(path, fd.line, "the title is empty: write the module's name after \"title:\"")
			} else {
				m.mod.Title = s
			}
		case "minutes":
			n, ok := p.integer(path, fd, "10")
			if ok && n < 0 {
				p.errorf(path, fd.line, "minutes cannot be negative")
			} else {
				m.mod.Minutes = n
			}
		case "aliases":
			p.aliases(path, fd, m)
		case "quiz_questions":
			m.mod.QuizQuestions = p.quizQuestions(path, fd)
			m.drawLine = fd.line
		}
	})
	p.required(path, fm, "title", "Greeting customers")
	// An unreadable file still takes part in the course-wide checks (its
	// slug is taken, links to it are fine), with an empty body.
	m.src = newSource(p.slug, f.Name, body)
	m.src.doc = parseMarkdown(m.src.body)
	if ok {
		p.splitQuiz(m)
	}
	return m
}

// aliases reads the old slugs of a module: a list, or one slug on its own.
func (p *courseParser) aliases(path string, fd field, m *moduleDraft) {
	items := []*yaml.Node{fd.value}
	switch fd.value.Kind {
	case yaml.SequenceNode:
		items = fd.value.Content
	case yaml.ScalarNode:
		if fd.value.Tag == "!!null" {
			return
		}
	default:
		p.errorf(path, fd.line, "aliases must be a list of old module slugs, such as \"aliases: [first-contact]\"")
		return
	}
	for _, it := range items {
		line := it.Line + yamlLineOffset
		if it.Kind != yaml.ScalarNode || !validSlug(it.Value) {
			p.errorf(path, line, "the alias %s is not a module slug: %s", describe(it), slugRule)
			continue
		}
		m.mod.Aliases = append(m.mod.Aliases, it.Value)
		m.aliasLines = append(m.aliasLines, line)
	}
}

// isQuizHeading reports whether n is the "## Quiz" heading that ends the
// lesson.
func isQuizHeading(src []byte, n ast.Node) bool {
	h, ok := n.(*ast.Heading)
	return ok && h.Level == 2 && strings.EqualFold(plainText(src, h), "quiz")
}

// splitQuiz divides the module's top-level blocks into the lesson (before
// "## Quiz") and the questions (after it), and checks the module as a whole.
func (p *courseParser) splitQuiz(m *moduleDraft) {
	src := m.src
	var quiz ast.Node
	for n := src.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if isQuizHeading(src.body, n) {
			quiz = n
			break
		}
		if h, ok := n.(*ast.Heading); ok && strings.EqualFold(plainText(src.body, h), "quiz") {
			p.warnf(src.path, src.line(h), "this \"Quiz\" heading has %d #, so it does not start the quiz: write it as \"## Quiz\"", h.Level)
		} else if ok && h.Level == 3 {
			// A question written above "## Quiz" is shown as lesson text,
			// its [x] answers included; a subheading is "##".
			p.warnf(src.path, src.line(h), "this \"###\" heading is in the lesson, but \"###\" is kept for quiz questions: use \"##\" for a lesson subheading, or move the question under \"## Quiz\"")
		}
		if _, ok := n.(*ast.LinkReferenceDefinition); !ok {
			m.lesson = append(m.lesson, n)
		}
	}
	if quiz == nil {
		if !hasContent(m.lesson) {
			p.errorf(src.path, 0, "the module is empty: write a lesson, or a quiz under a \"## Quiz\" heading, or both")
		} else {
			p.warnf(src.path, 0, "module has no quiz; it completes when read")
		}
		return
	}
	p.parseQuiz(m, quiz)
	if len(m.questions) == 0 {
		p.errorf(src.path, src.line(quiz), "the quiz has no questions: write each question as a \"###\" heading under \"## Quiz\", followed by its choices")
	}
}

// hasContent reports whether the lesson has anything a learner would see;
// an HTML comment (a note to other trainers) is not shown.
func hasContent(nodes []ast.Node) bool {
	for _, n := range nodes {
		if _, ok := n.(*ast.HTMLBlock); !ok {
			return true
		}
	}
	return false
}

// children lists n's child nodes, so they can be rendered without n itself.
func children(n ast.Node) []ast.Node {
	var out []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, c)
	}
	return out
}

// render fills in the module's HTML from its (link-rewritten) AST.
func (m *moduleDraft) render() {
	m.mod.LessonHTML = renderNodes(m.src.body, m.lesson...)
	for _, q := range m.questions {
		q.render(m.src.body)
	}
}
