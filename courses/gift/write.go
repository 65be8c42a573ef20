package gift

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/frontline-lms/frontline/courses"
)

// Markdown writes the imported questions in Frontline's quiz format: each
// a "###" heading with its {#id}, a task list of choices with feedback
// indented under them, and the general feedback as a quote. It writes no
// "## Quiz" heading, so the text can go under a module's existing one.
func (im *Import) Markdown() string {
	var b strings.Builder
	for i, q := range im.Questions {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "### %s {#%s}", q.Prompt, q.ID)
		if q.Fixed {
			b.WriteString(" {fixed}")
		}
		b.WriteString("\n\n")
		for _, c := range q.Choices {
			box := " "
			if c.Correct {
				box = "x"
			}
			fmt.Fprintf(&b, "- [%s] %s\n", box, c.Text)
			if c.Feedback != "" {
				b.WriteString("\n")
				b.WriteString(indent(c.Feedback, "  "))
				b.WriteString("\n\n")
			}
		}
		if q.Explanation != "" {
			b.WriteString("\n")
			b.WriteString(indent(q.Explanation, "> "))
			b.WriteString("\n")
		}
	}
	return b.String()
}

// indent prefixes every line; blank lines get the prefix without its
// trailing spaces, so a quote stays one quote.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = strings.TrimRight(prefix, " ")
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// Write exports every question of the course as GIFT, a category per
// module. Texts go out as [markdown], the format they were written in.
// A single-answer question is "=right ~wrong"; a multiple-answer one
// gives each right answer an equal share of 100% and each wrong one
// -100%, so in Moodle too only the right set scores full marks. A
// question whose choices are exactly "True" and "False", in that order, is
// written as a GIFT true/false question.
func Write(w io.Writer, c *courses.Course) error {
	var b strings.Builder
	fmt.Fprintf(&b, "// %s: questions exported from Frontline (course %q)\n", oneLineComment(c.Title), c.Slug)
	for _, m := range c.Modules {
		if len(m.Questions) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n$CATEGORY: %s/%s\n", c.Slug, m.Slug)
		for _, q := range m.Questions {
			fmt.Fprintf(&b, "\n// %s: %s, line %d\n", oneLineComment(m.Title), m.File, q.Line)
			writeQuestion(&b, q)
		}
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("gift: unable to write course %q: %w", c.Slug, err)
	}
	return nil
}

func oneLineComment(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeQuestion(b *strings.Builder, q *courses.Question) {
	prompt := q.PromptMarkdown
	if prompt == "" {
		prompt = escapeMarkdown(q.Prompt)
	}
	fmt.Fprintf(b, "::%s::[markdown]%s {\n", escape(q.ID), escape(prompt))
	if tf, truth := trueFalseOf(q); tf {
		var right, wrong string
		for _, c := range q.Choices {
			if c.Correct {
				right = c.FeedbackMarkdown
			} else {
				wrong = c.FeedbackMarkdown
			}
		}
		word := "FALSE"
		if truth {
			word = "TRUE"
		}
		fmt.Fprintf(b, "\t%s", word)
		if wrong != "" || right != "" {
			fmt.Fprintf(b, "#%s#%s", escape(wrong), escape(right))
		}
		b.WriteString("\n")
	} else {
		right := 0
		for _, c := range q.Choices {
			if c.Correct {
				right++
			}
		}
		share := strconv.FormatFloat(100/float64(max(right, 1)), 'f', 5, 64)
		share = strings.TrimRight(strings.TrimRight(share, "0"), ".")
		for _, c := range q.Choices {
			var mark string
			switch {
			case !q.Multiple && c.Correct:
				mark = "="
			case !q.Multiple:
				mark = "~"
			case c.Correct:
				mark = "~%" + share + "%"
			default:
				mark = "~%-100%"
			}
			text := c.Markdown
			if text == "" {
				text = escapeMarkdown(c.Text)
			}
			fmt.Fprintf(b, "\t%s%s", mark, escape(text))
			if c.FeedbackMarkdown != "" {
				fmt.Fprintf(b, "#%s", escape(c.FeedbackMarkdown))
			}
			b.WriteString("\n")
		}
	}
	if q.ExplanationMarkdown != "" {
		fmt.Fprintf(b, "\t####%s\n", escape(q.ExplanationMarkdown))
	}
	b.WriteString("}\n")
}

// trueFalseOf reports whether q reads as a GIFT true/false question, and
// whether "True" is its answer.
func trueFalseOf(q *courses.Question) (bool, bool) {
	if len(q.Choices) != 2 || q.Multiple || !strings.EqualFold(q.Choices[0].Text, "true") || !strings.EqualFold(q.Choices[1].Text, "false") {
		return false, false
	}
	return true, q.Choices[0].Correct
}

// escaper writes GIFT's special characters with a backslash and a line
// break as \n, so a text with blank lines cannot end its question early.
var escaper = strings.NewReplacer(`\`, `\\`, "~", `\~`, "=", `\=`, "#", `\#`, "{", `\{`, "}", `\}`, ":", `\:`, "\n", `\n`)

func escape(s string) string { return escaper.Replace(s) }

// AvoidIDs gives a new ID to each imported question whose ID is taken,
// such as by a question already in the module the import goes into.
func (im *Import) AvoidIDs(taken map[string]bool) {
	used := map[string]bool{}
	for id := range taken {
		used[id] = true
	}
	for i := range im.Questions {
		q := &im.Questions[i]
		base, id := q.ID, q.ID
		for n := 2; used[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		q.ID = id
		used[id] = true
	}
}
