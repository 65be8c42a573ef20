package gift

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// markdown turns a GIFT text (escapes still protected) into Markdown,
// following its format: [markdown] is kept as written, [plain] has every
// Markdown mark escaped, [html] is converted, and Moodle's default
// auto-format is read as HTML when it holds tags and as plain text when not.
func (p *parser) markdown(line int, s, format string) string {
	s = strings.TrimSpace(s)
	if format == "moodle" {
		format = "plain"
		if looksLikeHTML.MatchString(s) {
			format = "html"
		}
	}
	s = strings.TrimSpace(unescapes.Replace(s))
	switch format {
	case "markdown":
		return s
	case "html":
		md, dropped := fromHTML(s)
		if len(dropped) > 0 {
			p.warn(line, "the HTML %s could not be carried into Markdown and was left out", strings.Join(dropped, ", "))
		}
		return md
	default:
		return escapeMarkdown(s)
	}
}

var looksLikeHTML = regexp.MustCompile(`<(?:[a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>`)

// trailingBraces is text that a Frontline question heading would read as
// an {#id} attribute.
var trailingBraces = regexp.MustCompile(`\\?\{([^{}]*)\\?\}\s*$`)

// oneLine converts a text that Frontline keeps on one line (a question's
// heading, a choice), saying what changed to make it fit.
func (p *parser) oneLine(line int, s, format, what string) (string, []string) {
	md := p.markdown(line, s, format)
	var lossy []string
	if strings.Contains(strings.TrimSpace(md), "\n\n") {
		lossy = append(lossy, "the "+what+" has several paragraphs; Frontline writes it on one line, so they were joined")
	}
	md = strings.Join(strings.Fields(md), " ")
	if what == "question text" && trailingBraces.MatchString(md) {
		md = trailingBraces.ReplaceAllString(md, "($1)")
		lossy = append(lossy, "the braces at the end of the question text became parentheses, since Frontline reads {…} there as an ID")
	}
	return md, lossy
}

// markdownPunct are the characters that can mean something in Markdown.
const markdownPunct = "\\`*_[]<>#|~{}&"

// lineStart are marks that mean something at the start of a line only.
var lineStart = regexp.MustCompile(`(?m)^(\s*)([-+=>]|[0-9]+[.)])`)

// escapeMarkdown makes plain text read as itself in Markdown.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && strings.ContainsRune(markdownPunct, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := lineStart.ReplaceAllStringFunc(b.String(), func(m string) string {
		sp := len(m) - len(strings.TrimLeft(m, " \t"))
		mark := m[sp:]
		// "1." -> "1\." so it is not a list; "-" -> "\-".
		if last := mark[len(mark)-1]; last == '.' || last == ')' {
			return m[:len(m)-1] + `\` + string(last)
		}
		return m[:sp] + `\` + mark
	})
	return out
}

// fromHTML converts the HTML found in GIFT files (paragraphs, line breaks,
// bold, italics, lists, links) to Markdown; it names the elements whose
// content could not be kept (images, media, scripts, tables).
func fromHTML(s string) (string, []string) {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var dropped []string
	seen := map[string]bool{}
	drop := func(tag string) {
		if !seen[tag] {
			seen[tag] = true
			dropped = append(dropped, "<"+tag+">")
		}
	}
	var hrefs []string // the open links' targets; "" for one not kept
	skip := 0          // inside script/style
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if skip == 0 {
				b.WriteString(escapeMarkdown(strings.Join(strings.Fields(tok.Data), " ")))
				if d := tok.Data; d != "" && (d[len(d)-1] == ' ' || d[len(d)-1] == '\n') {
					b.WriteByte(' ')
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			switch tok.Data {
			case "b", "strong":
				b.WriteString("**")
			case "i", "em":
				b.WriteString("*")
			case "br":
				b.WriteString("\n")
			case "p", "div", "ul", "ol":
				b.WriteString("\n\n")
			case "li":
				b.WriteString("\n- ")
			case "a":
				href := ""
				for _, a := range tok.Attr {
					if a.Key == "href" && safeURL.MatchString(a.Val) {
						href = a.Val
					}
				}
				hrefs = append(hrefs, href)
				if href != "" {
					b.WriteString("[")
				}
			case "script", "style":
				skip++
				drop(tok.Data)
			case "img", "video", "audio", "iframe", "object", "embed", "table", "math", "svg":
				drop(tok.Data)
			}
		case html.EndTagToken:
			switch tok.Data {
			case "b", "strong":
				b.WriteString("**")
			case "i", "em":
				b.WriteString("*")
			case "p", "div", "ul", "ol":
				b.WriteString("\n\n")
			case "a":
				if n := len(hrefs); n > 0 {
					if hrefs[n-1] != "" {
						b.WriteString("](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(hrefs[n-1]) + ")")
					}
					hrefs = hrefs[:n-1]
				}
			case "script", "style":
				skip = max(skip-1, 0)
			}
		}
	}
	for _, h := range hrefs {
		if h != "" {
			b.WriteString("](" + h + ")")
		}
	}
	out := strings.TrimSpace(b.String())
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	out = blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return out, dropped
}

var (
	safeURL   = regexp.MustCompile(`^(?i:https?://|mailto:)[^\s<>]*$`)
	blankRuns = regexp.MustCompile(`\n{3,}`)
)
