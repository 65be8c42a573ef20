package courses

import (
	"regexp"
	"strings"
)

// slugPattern is the one shape of every slug and ID: it is safe in a URL, a
// file name and an HTML id without escaping.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// slugRule explains slugPattern to a trainer.
const slugRule = "use only lower-case letters, digits and single hyphens, such as \"late-orders\""

func validSlug(s string) bool { return slugPattern.MatchString(s) }

// orderPrefix is the numeric prefix that orders module files ("01-", "2_");
// it is not part of the module's slug, so reordering keeps URLs.
var orderPrefix = regexp.MustCompile(`^[0-9]+[-_]`)

// moduleSlug derives a module's slug from its file name:
// "01-first-contact.md" -> "first-contact".
func moduleSlug(file string) string {
	s := strings.TrimSuffix(file, ".md")
	if t := orderPrefix.ReplaceAllString(s, ""); t != "" {
		s = t
	}
	return s
}

// maxSlugLen keeps IDs derived from long prompts readable in URLs and logs.
const maxSlugLen = 60

// slugify turns free text into a slug: ASCII letters and digits are kept
// (lower-cased), every run of anything else becomes one hyphen. It returns ""
// when nothing is left, e.g. for text in a non-Latin script.
func slugify(text string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(text) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	s := b.String()
	if len(s) > maxSlugLen {
		s = s[:maxSlugLen]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	return s
}

// Slug turns free text into an ID the way a question without {#id} gets
// one, for tools that import questions from elsewhere: "" when nothing is
// left of the text.
func Slug(text string) string { return slugify(text) }
