package courses

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// questionDraft is a question whose HTML is not rendered yet.
type questionDraft struct {
	q           *Question
	choices     []choiceDraft
	explanation []ast.Node
	list        bool // a list followed the heading, with or without boxes
}

// choiceDraft is a choice whose HTML is not rendered yet.
type choiceDraft struct {
	c        *Choice
	label    ast.Node // the item's first block, its checkbox removed
	feedback []ast.Node
	line     int
}

// unreadAttribute is a "{…}" left at the end of a heading: goldmark reads
// "{#late-order}" as an attribute and removes it, so one still there was
// not understood, e.g. "{#late order}".
var unreadAttribute = regexp.MustCompile(`\{[^{}]*\}\s*$`)

// fixedMark ends a question heading whose choices must keep their order
// ("{fixed}", next to the {#id} in either order). goldmark reads only the
// last "{…}" of a heading as attributes, and "{fixed}" is not attribute
// syntax, so both marks are also looked for in the heading's text.
var (
	fixedMark = regexp.MustCompile(`(?i)\s*\{\s*fixed\s*\}\s*$`)
	idMark    = regexp.MustCompile(`\s*\{#([^{}\s]+)\}\s*$`)
)

// parseQuiz reads the blocks after the "## Quiz" heading: each "###" heading
// starts a question; under it, a task list holds the choices and a
// blockquote after the list the explanation.
func (p *courseParser) parseQuiz(m *moduleDraft, quiz ast.Node) {
	src := m.src
	m.quizLine = src.line(quiz)
	var cur *questionDraft
	strayLine := 0 // first line of a run of text that belongs to no question
	flush := func() {
		if strayLine > 0 {
			if cur == nil {
				p.warnf(src.path, strayLine, "this text after \"## Quiz\" is not part of any question and will not be shown: put lesson text before \"## Quiz\"")
			} else {
				p.warnf(src.path, strayLine, "this text under %s will not be shown: a question is its \"###\" heading, then a list of choices, then a quote (\">\") explaining the answer", cur.q.name())
			}
			strayLine = 0
		}
	}
	stray := func(n ast.Node) {
		if strayLine == 0 {
			strayLine = src.line(n)
		}
	}
	finish := func() {
		flush()
		if cur != nil {
			p.checkQuestion(src, cur)
		}
	}

	for n := quiz.NextSibling(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 3 {
				finish()
				cur = p.newQuestion(src, n)
				m.questions = append(m.questions, cur)
				m.mod.Questions = append(m.mod.Questions, cur.q)
				continue
			}
			stray(n)
		case *ast.List:
			switch {
			case cur == nil:
				stray(n)
			case len(cur.choices) > 0 || len(cur.explanation) > 0:
				flush()
				p.errorf(src.path, src.line(n), "%s has a second list here: keep all its choices in one list, each line starting with the same mark (\"- [ ]\" or \"- [x]\")", cur.q.name())
			default:
				flush()
				p.readChoices(src, cur, n)
			}
		case *ast.Blockquote:
			switch {
			case cur == nil:
				stray(n)
			case !cur.list:
				flush()
				p.warnf(src.path, src.line(n), "this quote under %s comes before the choices, so it will not be shown: put the explanation after the list of choices", cur.q.name())
			default:
				flush()
				cur.explanation = append(cur.explanation, children(n)...)
			}
		case *ast.LinkReferenceDefinition:
			// Used by links anywhere in the file; shows nothing itself.
		default:
			stray(n)
		}
	}
	finish()
}

// newQuestion reads a "###" heading: its text is the prompt, a trailing
// {#id} its ID, a trailing {fixed} keeps its choices in the written order.
func (p *courseParser) newQuestion(src *source, h *ast.Heading) *questionDraft {
	q := &Question{Line: src.line(h), Prompt: plainText(src.body, h), PromptMarkdown: src.promptMarkdown(h)}
	id, hasID := h.AttributeString("id")
	// The marks at the end of the heading, in whichever order they came.
	for {
		if loc := fixedMark.FindStringIndex(q.Prompt); loc != nil {
			q.Fixed, q.Prompt = true, q.Prompt[:loc[0]]
			continue
		}
		if m := idMark.FindStringSubmatchIndex(q.Prompt); m != nil && q.Fixed && !hasID {
			// "{#id} {fixed}": goldmark tried "{fixed}" and left the ID as text.
			id, hasID, q.Prompt = q.Prompt[m[2]:m[3]], true, q.Prompt[:m[0]]
			continue
		}
		if loose := unreadAttribute.FindString(q.Prompt); loose != "" {
			p.errorf(src.path, q.Line, "the %s at the end of this question could not be read as an ID: write it as {#some-id} and %s", strings.TrimSpace(loose), slugRule)
			q.Prompt = strings.TrimSpace(strings.TrimSuffix(q.Prompt, loose))
			continue
		}
		break
	}
	if q.Prompt == "" {
		p.errorf(src.path, q.Line, "this question has no text: write the question after the \"###\"")
	}
	if hasID {
		// goldmark gives []byte for an attribute it parsed itself.
		switch v := id.(type) {
		case []byte:
			q.ID = string(v)
		case string:
			q.ID = v
		}
		if !validSlug(q.ID) {
			p.errorf(src.path, q.Line, "the question ID %q is not allowed: %s", q.ID, slugRule)
		}
	} else if q.Prompt != "" {
		q.ID = slugify(q.Prompt)
		if q.ID == "" {
			p.errorf(src.path, q.Line, "question has no {#id} and its text cannot make one: add an ID at the end of the heading, such as {#late-order}")
		} else {
			p.warnf(src.path, q.Line, "question has no {#id}; its ID will change if the text changes: add one at the end of the heading, such as {#%s}", q.ID)
		}
	}
	return &questionDraft{q: q}
}

// readChoices reads the task list under a question. Each item is one
// choice: its first line the label, any further paragraphs feedback.
func (p *courseParser) readChoices(src *source, qd *questionDraft, list *ast.List) {
	q := qd.q
	qd.list = true
	if !hasTaskItem(list) {
		p.errorf(src.path, q.Line, "%s has no choices: its list has no boxes; write each choice as \"- [ ] …\", or \"- [x] …\" when it is correct", q.name())
		return
	}
	first := map[string]int{} // normalised label -> line of its first use
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		line := src.line(item)
		label := item.FirstChild()
		var box *east.TaskCheckBox
		if label != nil {
			box, _ = label.FirstChild().(*east.TaskCheckBox)
		}
		if box == nil {
			p.errorf(src.path, line, "this choice of %s has no box: start it with \"- [ ] \", or \"- [x] \" when it is correct", q.name())
			continue
		}
		label.RemoveChild(label, box) // the box is the answer; it must never reach the page
		text := strings.Join(strings.Fields(plainText(src.body, label)), " ")
		if text == "" {
			p.errorf(src.path, line, "this choice of %s is empty: write the answer after the box", q.name())
			continue
		}
		key := normalize(text)
		if at, dup := first[key]; dup {
			p.errorf(src.path, line, "%s has the choice %q twice (first on line %d): each choice must be different", q.name(), text, at)
			continue
		}
		first[key] = line
		c := &Choice{ID: choiceID(key), Text: text, Correct: box.IsChecked, Markdown: src.labelMarkdown(label)}
		q.Choices = append(q.Choices, c)
		var feedback []ast.Node
		for n := label.NextSibling(); n != nil; n = n.NextSibling() {
			feedback = append(feedback, n)
		}
		c.FeedbackMarkdown = dedent(src.sourceLines(feedback))
		qd.choices = append(qd.choices, choiceDraft{c: c, label: label, feedback: feedback, line: line})
	}
}

func hasTaskItem(list *ast.List) bool {
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		if label := item.FirstChild(); label != nil {
			if _, ok := label.FirstChild().(*east.TaskCheckBox); ok {
				return true
			}
		}
	}
	return false
}

// choiceID derives a short ID from the choice's normalised text, so it
// stays the same when the choices are reordered or a typo elsewhere is
// fixed, and says nothing about whether the choice is correct.
func choiceID(normalized string) string {
	sum := sha256.Sum256([]byte(normalized))
	return hex.EncodeToString(sum[:4])
}

// checkQuestion reports what a question lacks once all its blocks are read.
func (p *courseParser) checkQuestion(src *source, qd *questionDraft) {
	q := qd.q
	correct := 0
	for _, c := range q.Choices {
		if c.Correct {
			correct++
		}
	}
	q.Multiple = correct > 1
	q.ExplanationMarkdown = src.quoteMarkdown(qd.explanation)
	switch {
	case len(q.Choices) == 0 && !qd.list:
		p.errorf(src.path, q.Line, "%s has no choices: list them under the question, one per line, as \"- [ ] a wrong answer\" and \"- [x] a right answer\"", q.name())
	case len(q.Choices) == 1:
		p.errorf(src.path, q.Line, "%s has only one choice: give at least two", q.name())
	}
	if correct == 0 && len(q.Choices) > 0 {
		p.errorf(src.path, q.Line, "%s has no correct choice: mark at least one with [x]", q.name())
	}
	if len(qd.explanation) == 0 && len(q.Choices) > 0 {
		p.warnf(src.path, q.Line, "%s has no explanation: add a quote (a line starting with \">\") after the choices saying why the answer is right", q.name())
	}
}

// render fills in the question's HTML.
func (qd *questionDraft) render(src []byte) {
	for _, cd := range qd.choices {
		cd.c.HTML = renderInline(src, cd.label)
		cd.c.FeedbackHTML = renderNodes(src, cd.feedback...)
	}
	qd.q.ExplanationHTML = renderNodes(src, qd.explanation...)
}

// name refers to a question in a message: by its ID, or as "the question"
// when it has none (that problem is reported on its own).
func (q *Question) name() string {
	if q.ID == "" {
		return "the question"
	}
	return fmt.Sprintf("question %q", q.ID)
}
