package courses

import (
	"html/template"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestParseBuildsTheCourse(t *testing.T) {
	files := []File{
		{Name: "2_late-orders.md", Text: lines(
			"---",
			"title: Late orders",
			"aliases: [orders]",
			"---",
			"Own it.",
			"",
			"## quiz",
			"",
			"### Which apply? {#which-apply}",
			"",
			"- [x] Say sorry",
			"",
			"  Always a good start.",
			"",
			"- [X] Say when you will call back",
			"- [ ] Blame the courier",
			"",
			"> Owning the problem keeps the customer from telling the story twice.",
		)},
		{Name: "README.md", Text: "Notes for trainers."},
		{Name: "course.md", Text: lines(
			"---",
			"title: Serving customers",
			"summary: The basics.",
			"refresher: 1 year",
			"window: 2 months",
			"pass: 75",
			"material: true",
			"---",
			"Welcome.",
		)},
		{Name: "01-greeting.md", Text: lines("---", "title: Greeting", "minutes: 5", "---", "Say hello.")},
	}
	c := mustParse(t, files)
	if files[0].Name != "2_late-orders.md" {
		t.Errorf("Parse reordered the caller's files")
	}

	type choice struct {
		ID       string
		HTML     template.HTML
		Correct  bool
		Feedback template.HTML
	}
	type question struct {
		ID, Prompt  string
		Line        int
		Multiple    bool
		Choices     []choice
		Explanation template.HTML
	}
	type module struct {
		Slug, File, Title string
		Minutes           int
		Aliases           []string
		Lesson            template.HTML
		Questions         []question
	}
	type course struct {
		Slug, Title, Summary string
		Refresher, Window    Interval
		Pass                 int
		Material             bool
		Intro                template.HTML
		Files                []string
		Modules              []module
	}
	got := course{Slug: c.Slug, Title: c.Title, Summary: c.Summary, Refresher: c.Refresher, Window: c.Window,
		Pass: c.Pass, Material: c.Material, Intro: c.IntroHTML}
	for _, f := range c.Files {
		got.Files = append(got.Files, f.Name)
	}
	for _, m := range c.Modules {
		gm := module{Slug: m.Slug, File: m.File, Title: m.Title, Minutes: m.Minutes, Aliases: m.Aliases, Lesson: m.LessonHTML}
		for _, q := range m.Questions {
			gq := question{ID: q.ID, Prompt: q.Prompt, Line: q.Line, Multiple: q.Multiple, Explanation: q.ExplanationHTML}
			for _, ch := range q.Choices {
				gq.Choices = append(gq.Choices, choice{ch.ID, ch.HTML, ch.Correct, ch.FeedbackHTML})
			}
			gm.Questions = append(gm.Questions, gq)
		}
		got.Modules = append(got.Modules, gm)
	}

	want := course{
		Slug: "demo", Title: "Serving customers", Summary: "The basics.",
		Refresher: Interval{1, Year}, Window: Interval{2, Month}, Pass: 75, Material: true,
		Intro: "<p>Welcome.</p>",
		Files: []string{"01-greeting.md", "2_late-orders.md", "course.md"},
		Modules: []module{
			{Slug: "greeting", File: "01-greeting.md", Title: "Greeting", Minutes: 5, Lesson: "<p>Say hello.</p>"},
			{Slug: "late-orders", File: "2_late-orders.md", Title: "Late orders", Aliases: []string{"orders"}, Lesson: "<p>Own it.</p>",
				Questions: []question{{
					ID: "which-apply", Prompt: "Which apply?", Line: 9, Multiple: true,
					Choices: []choice{
						{cid("Say sorry"), "Say sorry", true, "<p>Always a good start.</p>"},
						{cid("Say when you will call back"), "Say when you will call back", true, ""},
						{cid("Blame the courier"), "Blame the courier", false, ""},
					},
					Explanation: "<p>Owning the problem keeps the customer from telling the story twice.</p>",
				}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("course mismatch (-want +got):\n%s", diff)
	}
}

func TestHashDependsOnNamesAndTextsOnly(t *testing.T) {
	a := []File{{"course.md", courseMD}, {"01-a.md", goodModule("a")}}
	b := []File{{"01-a.md", goodModule("a")}, {"course.md", courseMD}, {"README.md", "not part of the course"}}
	if hashFiles(sortedFiles(a)) == "" || mustParse(t, a).Hash != mustParse(t, b).Hash {
		t.Errorf("the same sources in another order, or with a README, gave another hash")
	}
	if hashFiles([]File{{"a", "bc"}}) == hashFiles([]File{{"ab", "c"}}) {
		t.Errorf("moving a byte between a name and a text did not change the hash")
	}
	c := []File{{"course.md", courseMD}, {"01-a.md", goodModule("b")}}
	if mustParse(t, a).Hash == mustParse(t, c).Hash {
		t.Errorf("different sources gave the same hash")
	}
}

func TestModuleSlugDropsTheOrderPrefix(t *testing.T) {
	for file, want := range map[string]string{
		"01-first-contact.md": "first-contact",
		"1_first-contact.md":  "first-contact",
		"first-contact.md":    "first-contact",
		"2024-review.md":      "review",
		"10.md":               "10",
		"01-02-x.md":          "02-x",
	} {
		if got := moduleSlug(file); got != want {
			t.Errorf("moduleSlug(%q) = %q, want %q", file, got, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"A customer rings about an order. What do you do first?": "a-customer-rings-about-an-order-what-do-you-do-first",
		"  Café & crème  ":      "caf-cr-me",
		"Ask: \"why?\" (twice)": "ask-why-twice",
		"日本語":                   "",
		"This question is far too long to be an ID without being cut somewhere sensible, at a hyphen": "this-question-is-far-too-long-to-be-an-id-without-being-cut",
	} {
		got := slugify(in)
		if got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
		if got != "" && !validSlug(got) {
			t.Errorf("slugify(%q) = %q is not a valid slug", in, got)
		}
	}
}

func TestLookups(t *testing.T) {
	c := mustParse(t, withCourse(
		File{"01-greeting.md", goodModule("greet-first")},
		File{"02-farewell.md", lines("---", "title: Farewell", "aliases: [goodbye]", "---", "Bye.")},
	))
	for slug, want := range map[string]int{"greeting": 0, "farewell": 1, "goodbye": 1, "nope": -1, "": -1} {
		if got := c.ModuleIndex(slug); got != want {
			t.Errorf("ModuleIndex(%q) = %d, want %d", slug, got, want)
		}
		m, ok := c.Module(slug)
		if ok != (want >= 0) || (ok && m != c.Modules[want]) {
			t.Errorf("Module(%q) = %v, %v", slug, m, ok)
		}
	}
	q, ok := c.Modules[0].Question("greet-first")
	if !ok || q.Prompt != "Whom do you greet first?" {
		t.Fatalf("Question(greet-first) = %v, %v", q, ok)
	}
	if _, ok := c.Modules[0].Question("nope"); ok {
		t.Errorf("Question(nope) found a question")
	}
	if ch, ok := q.Choice(cid("The customer")); !ok || !ch.Correct {
		t.Errorf("Choice(the customer) = %v, %v", ch, ok)
	}
	if _, ok := q.Choice("nope"); ok {
		t.Errorf("Choice(nope) found a choice")
	}
	if got := ModuleURL("serving", "greeting"); got != "/courses/serving/greeting" {
		t.Errorf("ModuleURL = %q", got)
	}
}

func TestLoadTree(t *testing.T) {
	fsys := fstest.MapFS{
		"serving/course.md":          {Data: []byte(courseMD)},
		"serving/01-greeting.md":     {Data: []byte(goodModule("greet-first"))},
		"serving/drafts/03-x.md":     {Data: []byte("not read: subfolders are not part of a course")},
		"broken/01-greeting.md":      {Data: []byte(goodModule("greet-first"))},
		"assets/logo.png":            {Data: []byte("png")},
		"README.md":                  {Data: []byte("top-level files are not courses")},
		"another/course.md":          {Data: []byte(courseMD)},
		"another/01-only-reading.md": {Data: []byte(lines("---", "title: Only reading", "---", "Text."))},
	}
	got, err := LoadTree(fsys)
	if err != nil {
		t.Fatal(err)
	}
	type loaded struct {
		Slug      string
		HasCourse bool
		Problems  []string
	}
	var sum []loaded
	for _, l := range got {
		sum = append(sum, loaded{l.Slug, l.Course != nil, problemStrings(l.Problems)})
	}
	want := []loaded{
		{"another", true, []string{"another/01-only-reading.md: warning: module has no quiz; it completes when read"}},
		{"broken", false, []string{"broken/course.md: the course has no course.md: add one with its title, refresher, window and pass mark"}},
		{"serving", true, nil},
	}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("LoadTree mismatch (-want +got):\n%s", diff)
	}

	c, ps := ParseFS(fsys, "serving")
	if c == nil || len(ps) != 0 || len(c.Modules) != 1 || c.Slug != "serving" {
		t.Errorf("ParseFS(serving) = %v, %v", c, ps)
	}
	if _, ps := ParseFS(fsys, "missing"); !ps.HasErrors() {
		t.Errorf("ParseFS of a missing folder reported no error")
	}
}

// The server parses courses at boot and in the editor, and shares one
// Course between requests: both must be safe from many goroutines (run the
// tests with -race).
func TestParseAndGradeAreSafeForConcurrentUse(t *testing.T) {
	files := withCourse(File{"01-late-orders.md", gradeModule}, File{"02-greeting.md", goodModule("greet-first")})
	shared := mustParse(t, files)
	done := make(chan bool)
	for range 8 {
		go func() {
			c, _ := Parse("demo", files)
			_, err := shared.Modules[0].Grade(Answers{"single": {cid("B")}}, 80)
			done <- c != nil && c.Hash == shared.Hash && err == nil
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("a concurrent Parse or Grade failed")
		}
	}
}
