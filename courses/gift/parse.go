// Package gift reads and writes Moodle's GIFT question format, so question
// banks move between Moodle and Frontline. Parse turns a GIFT file into
// questions written in Frontline's Markdown quiz format (courses, DESIGN
// §4); Write turns a parsed course's questions into GIFT.
//
// It is plain Go over strings: no HTTP, no database. Parse never fails: a
// question Frontline cannot hold (essay, matching, numerical, short answer,
// missing word, description) or cannot read is listed in Import.Skipped
// with its line, never dropped silently.
package gift

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/frontline-lms/frontline/courses"
)

// Question is one imported question, its texts already in Markdown.
type Question struct {
	Line        int    // line of the GIFT file where the question starts
	Name        string // the ::name::, "" when it had none
	ID          string // the Frontline ID: the name's slug, else the text's
	Category    string // the $CATEGORY in force, "" when none
	Prompt      string // one line of Markdown
	Fixed       bool   // true/false questions keep "True" before "False"
	Choices     []Choice
	Explanation string // the general feedback, Markdown
}

// Choice is one answer of an imported question.
type Choice struct {
	Text     string // one line of Markdown
	Correct  bool
	Feedback string // Markdown, may be several paragraphs
}

// Note points at a line of the GIFT file: a question skipped, or something
// that did not carry over into an imported one.
type Note struct {
	Line    int
	Message string
}

func (n Note) String() string { return fmt.Sprintf("line %d: %s", n.Line, n.Message) }

// Import is what Parse found in a GIFT file.
type Import struct {
	Questions []Question
	Skipped   []Note // questions not imported, and why
	Warnings  []Note // imported, but with something lost or changed
}

// Private-use runes stand in for escaped characters while the question is
// split on the unescaped ones, as Moodle's own reader does.
const (
	escBackslash = '\uE000' + iota
	escColon
	escHash
	escEquals
	escOpen
	escClose
	escTilde
	escNewline
)

var escapes = map[byte]rune{'\\': escBackslash, ':': escColon, '#': escHash, '=': escEquals, '{': escOpen, '}': escClose, '~': escTilde, 'n': escNewline}

var unescapes = strings.NewReplacer(
	string(rune(escBackslash)), `\`, string(rune(escColon)), ":", string(rune(escHash)), "#",
	string(rune(escEquals)), "=", string(rune(escOpen)), "{", string(rune(escClose)), "}",
	string(rune(escTilde)), "~", string(rune(escNewline)), "\n",
)

// protect replaces each escape sequence by its stand-in; a backslash
// before any other character stays a backslash.
func protect(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if r, ok := escapes[s[i+1]]; ok {
				b.WriteRune(r)
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Parse reads a GIFT file: questions separated by blank lines, "//"
// comment lines, "$CATEGORY:" lines, "::name::", an optional [format]
// before the text, and the answers between braces.
func Parse(src string) *Import {
	src = strings.TrimPrefix(src, "\uFEFF")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	// Stand-ins must come only from escapes.
	src = strings.Map(func(r rune) rune {
		if r >= escBackslash && r <= escNewline {
			return '\uFFFD'
		}
		return r
	}, src)

	im := &Import{}
	p := &parser{im: im, ids: map[string]bool{}}
	var block []string
	start := 0
	flush := func() {
		if start > 0 {
			p.question(start, strings.TrimSpace(strings.Join(block, "\n")))
		}
		block, start = nil, 0
	}
	for i, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "//"):
			// A comment: not part of the question, and does not end it.
		default:
			if start == 0 {
				start = i + 1
			}
			block = append(block, line)
		}
	}
	flush()
	return im
}

type parser struct {
	im       *Import
	category string
	ids      map[string]bool
}

func (p *parser) skip(line int, format string, args ...any) {
	p.im.Skipped = append(p.im.Skipped, Note{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warn(line int, format string, args ...any) {
	p.im.Warnings = append(p.im.Warnings, Note{Line: line, Message: fmt.Sprintf(format, args...)})
}

// weight is an answer's "%50%" or "%-33.33333%".
var weight = regexp.MustCompile(`^%(-?[0-9]+(?:\.[0-9]*)?)%`)

// question reads one block of the file.
func (p *parser) question(line int, raw string) {
	text := protect(raw)
	if rest, ok := strings.CutPrefix(text, "$CATEGORY:"); ok {
		p.category = strings.TrimSpace(unescapes.Replace(rest))
		return
	}
	var name string
	if rest, ok := strings.CutPrefix(text, "::"); ok {
		if n, after, found := strings.Cut(rest, "::"); found {
			name, text = strings.TrimSpace(unescapes.Replace(n)), strings.TrimSpace(after)
		}
	}
	label := "the question"
	if name != "" {
		label = fmt.Sprintf("question %q", name)
	}

	open, close := strings.IndexByte(text, '{'), strings.IndexByte(text, '}')
	switch {
	case open < 0 && close < 0:
		p.skip(line, "%s is a description (text with no answers in braces): Frontline has no such question, so it was skipped", label)
		return
	case open < 0 || close < 0 || close < open:
		p.skip(line, "%s has a \"{\" without its \"}\" (or the other way round): write its answers between one pair of braces, and escape a brace in the text as \\{ or \\}", label)
		return
	}
	stem, answers := strings.TrimSpace(text[:open]), strings.TrimSpace(text[open+1:close])
	if after := strings.TrimSpace(text[close+1:]); after != "" {
		p.skip(line, "%s is a missing-word question (text after the answers): Frontline does not support it, so it was skipped", label)
		return
	}
	var general string
	if i := strings.LastIndex(answers, "####"); i >= 0 {
		answers, general = strings.TrimSpace(answers[:i]), strings.TrimSpace(answers[i+4:])
	}
	format, stem := splitFormat(stem, "moodle")

	var kind string
	switch {
	case answers == "":
		kind = "an essay question"
	case answers[0] == '#':
		kind = "a numerical question"
	case strings.Contains(answers, "~"):
		kind = "choice"
	case strings.Contains(answers, "=") && strings.Contains(answers, "->"):
		kind = "a matching question"
	case isTrueFalse(answers):
		kind = "truefalse"
	default:
		kind = "a short-answer question"
	}
	if kind != "choice" && kind != "truefalse" {
		p.skip(line, "%s is %s: Frontline does not support it, so it was skipped", label, kind)
		return
	}

	q := Question{Line: line, Name: name, Category: p.category}
	var lossy []string
	q.Prompt, lossy = p.oneLine(line, stem, format, "question text")
	q.Explanation = p.markdown(line, general, format)
	if kind == "truefalse" {
		p.trueFalse(line, &q, answers, format)
	} else if !p.choices(line, label, &q, answers, format) {
		return
	}
	for _, l := range lossy {
		p.warn(line, "%s: %s", label, l)
	}
	if q.Prompt == "" {
		p.skip(line, "%s has no text before its answers, so it was skipped", label)
		return
	}
	if msg := check(q); msg != "" {
		p.skip(line, "%s %s, so it was skipped", label, msg)
		return
	}
	q.ID = p.id(q)
	p.im.Questions = append(p.im.Questions, q)
}

// check says what keeps a question from being a Frontline question.
func check(q Question) string {
	if len(q.Choices) < 2 {
		return "has fewer than two answers"
	}
	seen := map[string]bool{}
	right := 0
	for _, c := range q.Choices {
		key := strings.ToLower(strings.Join(strings.Fields(c.Text), " "))
		if strings.TrimSpace(c.Text) == "" {
			return "has an empty answer"
		}
		if seen[key] {
			return fmt.Sprintf("has the answer %q twice", c.Text)
		}
		seen[key] = true
		if c.Correct {
			right++
		}
	}
	if right == 0 {
		return "has no right answer (none marked \"=\" or given a positive weight)"
	}
	return ""
}

// id makes a unique Frontline ID from the question's name, else its text.
func (p *parser) id(q Question) string {
	base := courses.Slug(q.Name)
	if base == "" {
		base = courses.Slug(q.Prompt)
	}
	if base == "" {
		base = "question"
	}
	id := base
	for n := 2; p.ids[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	p.ids[id] = true
	return id
}

func isTrueFalse(answers string) bool {
	t, _, _ := strings.Cut(answers, "#")
	switch strings.TrimSpace(t) {
	case "T", "TRUE", "F", "FALSE":
		return true
	}
	return false
}

// trueFalse builds the two choices of "{T#wrong feedback#right feedback}".
func (p *parser) trueFalse(line int, q *Question, answers, format string) {
	parts := strings.SplitN(answers, "#", 3)
	truth := strings.HasPrefix(strings.TrimSpace(parts[0]), "T")
	var wrong, right string
	if len(parts) > 1 {
		wrong = p.markdown(line, parts[1], format)
	}
	if len(parts) > 2 {
		right = p.markdown(line, parts[2], format)
	}
	t, f := Choice{Text: "True", Correct: truth}, Choice{Text: "False", Correct: !truth}
	if truth {
		t.Feedback, f.Feedback = right, wrong
	} else {
		t.Feedback, f.Feedback = wrong, right
	}
	q.Choices, q.Fixed = []Choice{t, f}, true
}

// choices reads "=right ~wrong ~%50%half #feedback" answers. With an "="
// the question has one right answer; without, it is multiple response and
// every answer with a positive weight is right. Frontline grades all or
// nothing, so partial credit is reported where it is lost.
func (p *parser) choices(line int, label string, q *Question, answers, format string) bool {
	single := strings.Contains(answers, "=")
	parts := strings.Split(strings.ReplaceAll(answers, "=", "~="), "~")
	if strings.TrimSpace(parts[0]) == "" {
		parts = parts[1:]
	}
	var partial []string
	var sum float64
	for _, a := range parts {
		a = strings.TrimSpace(a)
		w := 0.0
		switch {
		case strings.HasPrefix(a, "="):
			w, a = 100, a[1:]
		case weight.MatchString(a):
			m := weight.FindStringSubmatch(a)
			w, _ = strconv.ParseFloat(m[1], 64)
			a = a[len(m[0]):]
		}
		body, fb, _ := strings.Cut(a, "#")
		afmt, body := splitFormat(strings.TrimSpace(body), format)
		c := Choice{Feedback: p.markdown(line, fb, afmt)}
		var lossy []string
		c.Text, lossy = p.oneLine(line, body, afmt, "answer")
		for _, l := range lossy {
			p.warn(line, "%s: %s", label, l)
		}
		if single {
			c.Correct = w >= 100
			if w > 0 && w < 100 {
				partial = append(partial, fmt.Sprintf("%q (%s%%)", c.Text, trimFloat(w)))
			}
		} else {
			c.Correct = w > 0
			if w > 0 {
				sum += w
			}
		}
		q.Choices = append(q.Choices, c)
	}
	if len(partial) > 0 {
		p.warn(line, "%s gives partial credit to %s: Frontline marks an answer right or wrong, so these count as wrong", label, strings.Join(partial, ", "))
	}
	if !single && sum > 0 && (sum < 99.9 || sum > 100.1) {
		p.warn(line, "%s: the weights of its right answers add up to %s%%, not 100%%; in Frontline a learner must choose all of them, and only them", label, trimFloat(sum))
	}
	return true
}

func trimFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// formatSpec is a "[markdown]" before a text.
var formatSpec = regexp.MustCompile(`^\[(moodle|html|plain|markdown)\]`)

// splitFormat reads the [format] before a text, or gives def.
func splitFormat(s, def string) (string, string) {
	if m := formatSpec.FindStringSubmatch(s); m != nil {
		return m[1], strings.TrimSpace(s[len(m[0]):])
	}
	return def, s
}
