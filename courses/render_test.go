package courses

import (
	"strings"
	"testing"
)

// hostile is Markdown a careless or malicious editor could publish.
var hostile = []string{
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	"[x](JaVaScRiPt:alert(1))",
	"[x](java\tscript:alert(1))",
	"[x](&#106;avascript:alert(1))",
	"<svg onload=alert(1)>",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
	"![x](javascript:alert(1))",
	"<javascript:alert(1)>",
	"<https://example.com/\" onmouseover=\"alert(1)>",
	"www.example.com/\"onmouseover=\"alert(1)",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<iframe src=\"https://evil.example\"></iframe>",
	"<div style=\"background:url(javascript:alert(1))\">x</div>",
	"[x](vbscript:msgbox(1))",
	"## Heading {onclick=\"alert(1)\" style=\"color:red\"}",
	"<details open ontoggle=alert(1)>",
	"[x]: javascript:alert(1)\n\n[x]",
}

func TestRenderedHTMLIsSafe(t *testing.T) {
	all := strings.Join(hostile, "\n\n")
	intro := courseMD + "\n" + all + "\n"
	module := lines(
		"---",
		"title: Hostile",
		"---",
		"",
		all,
		"",
		"## Quiz",
		"",
		"### Which is safe? {#safe}",
		"",
		"- [x] <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
		"",
		"  "+strings.Join(hostile[:8], " "),
		"",
		"- [ ] ![x](javascript:alert(1)) <svg onload=alert(1)>",
		"",
		"> "+strings.Join(hostile[:12], "\n> "),
	)
	c := mustParse(t, []File{{"course.md", intro}, {"01-hostile.md", module}})
	for where, h := range allHTML(c) {
		if why := unsafeHTML(string(h)); why != "" {
			t.Errorf("%s %s:\n%s", where, why, h)
		}
		for _, bad := range []string{"<script", "onerror=", "onload=", "javascript:alert"} {
			if where != "intro" && where != "hostile lesson" && strings.Contains(string(h), bad) {
				// Choices, feedback and explanations above never mention
				// these as text, so any trace is a leak.
				t.Errorf("%s contains %q:\n%s", where, bad, h)
			}
		}
	}
	for _, h := range []string{string(c.IntroHTML), string(c.Modules[0].LessonHTML)} {
		for _, bad := range []string{"<script", "onerror=", "onload="} {
			if strings.Contains(h, bad) {
				t.Errorf("rendered HTML contains %q:\n%s", bad, h)
			}
		}
	}
}

func TestUnsafeHTMLCatchesWhatItShould(t *testing.T) {
	for _, h := range []string{
		`<script>x</script>`, `<img src=x onerror=alert(1)>`, `<a href="javascript:alert(1)">x</a>`,
		`<a href=" java script:x">x</a>`, `<img src="data:image/png;base64,AAAA">`, `<svg></svg>`, `<p style="color:red">x</p>`,
	} {
		if unsafeHTML(h) == "" {
			t.Errorf("unsafeHTML(%q) found nothing", h)
		}
	}
	for _, h := range []string{`<p>javascript:alert(1) is text</p>`, `<a href="/courses/x/y">ok</a>`, `<td style="text-align: left">1</td>`} {
		if why := unsafeHTML(h); why != "" {
			t.Errorf("unsafeHTML(%q) = %q, want safe", h, why)
		}
	}
}

func TestLinksBetweenModulesPointAtModulePages(t *testing.T) {
	c := mustParse(t, []File{
		{"course.md", courseMD + "Start with [the greeting](01-greeting.md).\n"},
		{"01-greeting.md", lines(
			"---", "title: Greeting", "aliases: [hello]", "---",
			"Next: [farewell](02-farewell.md#end), [by slug](farewell.md), [by alias](hello.md?x=1#top),",
			"[outside](https://example.com/a.md), [anchor](#here), [course](course.md).",
			"",
			"## Quiz",
			"### Which module comes next? {#next}",
			"- [x] [Farewell](02-farewell.md)",
			"- [ ] None",
			"  ",
			"  See [the list](./02-farewell.md).",
			"> Read [it](farewell.md#end).",
		)},
		{"02-farewell.md", lines("---", "title: Farewell", "---", "Bye.")},
	})
	tests := []struct {
		got  string
		want []string
	}{
		{string(c.IntroHTML), []string{`<a href="/courses/demo/greeting">the greeting</a>`}},
		{string(c.Modules[0].LessonHTML), []string{
			`<a href="/courses/demo/farewell#end">farewell</a>`,
			`<a href="/courses/demo/farewell">by slug</a>`,
			`<a href="/courses/demo/greeting#top">by alias</a>`,
			`<a href="https://example.com/a.md" rel="nofollow noopener" target="_blank">outside</a>`,
			`<a href="#here">anchor</a>`,
			`<a href="/courses/demo">course</a>`,
		}},
		{string(c.Modules[0].Questions[0].Choices[0].HTML), []string{`<a href="/courses/demo/farewell">Farewell</a>`}},
		{string(c.Modules[0].Questions[0].Choices[1].FeedbackHTML), []string{`<a href="/courses/demo/farewell">the list</a>`}},
		{string(c.Modules[0].Questions[0].ExplanationHTML), []string{`<a href="/courses/demo/farewell#end">it</a>`}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(tt.got, w) {
				t.Errorf("missing %s in:\n%s", w, tt.got)
			}
		}
	}
}

func TestLessonStopsAtTheQuizAndChoicesHideTheirBoxes(t *testing.T) {
	c := mustParse(t, withCourse(File{"01-greeting.md", goodModule("greet-first")}))
	m := c.Modules[0]
	if got := string(m.LessonHTML); got != "<p>Say hello.</p>" {
		t.Errorf("LessonHTML = %q, want only the lesson", got)
	}
	for _, ch := range m.Questions[0].Choices {
		if strings.Contains(string(ch.HTML), "<input") || strings.Contains(string(ch.HTML), "<p>") || strings.Contains(string(ch.HTML), "[") {
			t.Errorf("choice HTML %q carries its box or a paragraph", ch.HTML)
		}
	}
}
