package courses

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// frontMatter is the YAML block between the first two "---" lines of a file.
type frontMatter struct {
	present bool // the file starts with "---"
	decoded bool // the YAML could be read, so missing settings can be told apart from broken ones
	fields  []field
}

// field is one top-level setting, with the file line of its key.
type field struct {
	key   string
	line  int
	value *yaml.Node
}

// splitFile separates a file into its front matter and its Markdown body.
// The body keeps one newline per front-matter line, so that offsets in the
// body fall on the same line numbers as in the file. ok is false when the
// front matter is never closed, so there is no telling where the body
// starts; the problem has then been reported.
func (p *courseParser) splitFile(path, text string) (fm frontMatter, body []byte, ok bool) {
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if !isFence(lines[0]) {
		return fm, []byte(text), true
	}
	fm.present = true
	end := -1
	for i := 1; i < len(lines); i++ {
		if isFence(lines[i]) {
			end = i
			break
		}
	}
	if end < 0 {
		p.errorf(path, 1, "the front matter that starts here is never closed: add a line with just \"---\" after the settings")
		return fm, nil, false
	}
	fm.fields, fm.decoded = p.decodeFrontMatter(path, strings.Join(lines[1:end], "\n"))
	body = []byte(strings.Repeat("\n", end+1) + strings.Join(lines[end+1:], "\n"))
	return fm, body, true
}

func isFence(line string) bool { return strings.TrimRight(line, " \t") == "---" }

// yamlLine splits a yaml.v3 error message into its line and its detail.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// firstBadLine returns the 1-based line of src at which the YAML stops
// parsing: the shortest run of leading lines that fails. yaml.v3's own line
// number (reported) is 0-based for some errors and 1-based for others, which
// would send a trainer to the wrong line half the time. Past maxScan lines
// the search only tells those two apart, so a huge front matter cannot make
// parsing quadratic.
func firstBadLine(src string, reported int) int {
	const maxScan = 100
	lines := strings.Split(src, "\n")
	fails := func(n int) bool {
		var doc yaml.Node
		return yaml.Unmarshal([]byte(strings.Join(lines[:n], "\n")), &doc) != nil
	}
	for n := 1; n < len(lines) && n <= maxScan; n++ {
		if fails(n) {
			return n
		}
	}
	switch {
	case reported < 1:
		return 1
	case reported >= len(lines):
		return len(lines)
	case fails(reported):
		return reported
	}
	return reported + 1
}

// yamlLineOffset turns a line of the front matter's YAML into a line of the file:
// the YAML starts after the opening "---" on line 1.
const yamlLineOffset = 1

// decodeFrontMatter reads the YAML between the fences.
func (p *courseParser) decodeFrontMatter(path, src string) ([]field, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		msg, reported := strings.TrimPrefix(err.Error(), "yaml: "), 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			reported, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		p.errorf(path, firstBadLine(src, reported)+yamlLineOffset, "the front matter is not valid YAML (%s): check the colons, quotes and indentation", msg)
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true // "---" then "---": no settings at all
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		p.errorf(path, m.Line+yamlLineOffset, "the front matter must be settings, one per line, such as \"title: Greeting customers\"")
		return nil, false
	}
	var fields []field
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		f := field{key: k.Value, line: k.Line + yamlLineOffset, value: v}
		if first, dup := seen[f.key]; dup {
			p.errorf(path, f.line, "the setting %q appears twice (first on line %d): keep one", f.key, first)
			continue
		}
		seen[f.key] = f.line
		fields = append(fields, f)
	}
	return fields, true
}

// settings applies each front-matter field to the setter of the same name,
// reporting unknown keys with the list of known ones.
func (p *courseParser) settings(path string, fields []field, known []string, set func(field)) {
	for _, f := range fields {
		found := false
		for _, k := range known {
			if f.key == k {
				found = true
			}
		}
		if !found {
			p.errorf(path, f.line, "unknown setting %q in the front matter: the settings here are %s", f.key, strings.Join(known, ", "))
			continue
		}
		set(f)
	}
}

// text reads a setting that holds text; numbers and dates are kept as
// written, because a title such as "2025 update" is text to the trainer.
func (p *courseParser) text(path string, f field) (string, bool) {
	if f.value.Kind != yaml.ScalarNode {
		p.errorf(path, f.line, "%s must be text on the same line, such as \"%s: Greeting customers\"", f.key, f.key)
		return "", false
	}
	if f.value.Tag == "!!null" {
		return "", true
	}
	return strings.TrimSpace(f.value.Value), true
}

// integer reads a setting that holds a whole number.
func (p *courseParser) integer(path string, f field, example string) (int, bool) {
	var n int
	if f.value.Kind != yaml.ScalarNode || f.value.Tag != "!!int" || f.value.Decode(&n) != nil {
		p.errorf(path, f.line, "%s must be a whole number, such as \"%s: %s\", not %s", f.key, f.key, example, describe(f.value))
		return 0, false
	}
	return n, true
}

// describe quotes a YAML value for a message.
func describe(v *yaml.Node) string {
	if v.Kind == yaml.ScalarNode {
		if v.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(v.Value)
	}
	return "a list or group of values"
}

// required reports a setting the front matter must have.
func (p *courseParser) required(path string, fm frontMatter, key, example string) {
	if !fm.present || !fm.decoded {
		return // reported once, as a missing or unreadable front matter
	}
	for _, f := range fm.fields {
		if f.key == key {
			return
		}
	}
	p.errorf(path, 1, "the front matter has no %s: add a line such as \"%s: %s\"", key, key, example)
}

func (p *courseParser) noFrontMatter(path, example string) {
	p.errorf(path, 1, "the file has no front matter: start it with a line \"---\", then settings such as \"%s\", then another \"---\"", example)
}
