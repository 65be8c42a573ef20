package courses

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "demo/01-a.md", Line: 12, Message: "question \"x\" has no correct choice"}, "demo/01-a.md:12: question \"x\" has no correct choice"},
		{Problem{File: "demo/01-a.md", Line: 3, Severity: Warning, Message: "module has no quiz"}, "demo/01-a.md:3: warning: module has no quiz"},
		{Problem{File: "demo/01-a.md", Message: "the module is empty"}, "demo/01-a.md: the module is empty"},
		{Problem{File: "demo/01-a.md", Severity: Warning, Message: "module has no quiz"}, "demo/01-a.md: warning: module has no quiz"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	ps := Problems{tests[0].p, tests[1].p, tests[2].p}
	if !ps.HasErrors() || len(ps.Errors()) != 2 || len(ps.Warnings()) != 1 || ps.Warnings().HasErrors() {
		t.Errorf("Errors/Warnings split wrong: %v / %v", ps.Errors(), ps.Warnings())
	}
}

// TestParseReportsProblems has one case per validation rule; each states
// every problem the files produce, with its exact line.
func TestParseReportsProblems(t *testing.T) {
	good := func(name, id string) File { return File{Name: name, Text: goodModule(id)} }
	mod := func(name string, ls ...string) File { return File{Name: name, Text: lines(ls...)} }
	crs := func(ls ...string) File { return File{Name: "course.md", Text: lines(ls...)} }

	tests := []struct {
		name  string
		slug  string // "demo" when empty
		files []File
		want  []string
	}{
		{
			name:  "a good course has nothing to report",
			files: withCourse(good("01-greeting.md", "greet-first"), good("02-farewell.md", "say-goodbye")),
		},
		// course.md
		{
			name:  "no course.md",
			files: []File{good("01-greeting.md", "greet-first")},
			want:  []string{"demo/course.md: the course has no course.md: add one with its title, refresher, window and pass mark"},
		},
		{
			name:  "no module files",
			files: withCourse(File{Name: "README.md", Text: "notes"}),
			want:  []string{"demo/course.md: the course has no modules: add one Markdown file per module next to course.md, such as 01-welcome.md"},
		},
		{
			name:  "course folder name is not a slug",
			slug:  "Serving_Customers",
			files: withCourse(good("01-greeting.md", "greet-first")),
			want:  []string{`Serving_Customers: the course folder name "Serving_Customers" cannot be a course slug: rename the folder and use only lower-case letters, digits and single hyphens, such as "late-orders"`},
		},
		{
			name: "missing title and other required settings",
			files: []File{crs(
				"---",
				"summary: Basics",
				"---",
				"Welcome.",
			), good("01-greeting.md", "greet-first")},
			want: []string{
				`demo/course.md:1: the front matter has no title: add a line such as "title: Handling complaints"`,
				`demo/course.md:1: the front matter has no refresher: add a line such as "refresher: 12 months"`,
				`demo/course.md:1: the front matter has no window: add a line such as "window: 30 days"`,
				`demo/course.md:1: the front matter has no pass: add a line such as "pass: 80"`,
			},
		},
		{
			name:  "empty title",
			files: []File{crs("---", "title:", "refresher: 12 months", "window: 30 days", "pass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:2: the title is empty: write the course's name after "title:"`},
		},
		{
			name:  "no front matter",
			files: []File{crs("# Serving customers", "", "Welcome."), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:1: the file has no front matter: start it with a line "---", then settings such as "title: Handling complaints", then another "---"`},
		},
		{
			name:  "front matter never closed",
			files: []File{crs("---", "title: Serving customers", "", "Welcome."), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:1: the front matter that starts here is never closed: add a line with just "---" after the settings`},
		},
		{
			name:  "front matter that is not valid YAML",
			files: []File{crs("---", "title: Serving customers", "refresher: [12 months", "window: 30 days", "pass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:3: the front matter is not valid YAML (did not find expected ',' or ']'): check the colons, quotes and indentation`},
		},
		{
			name:  "front matter with a colon in a value",
			files: []File{crs("---", "title: Serving: customers", "refresher: 12 months", "window: 30 days", "pass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:2: the front matter is not valid YAML (mapping values are not allowed in this context): check the colons, quotes and indentation`},
		},
		{
			name:  "front matter indented with a tab",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "\tpass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:5: the front matter is not valid YAML (found a tab character that violates indentation): check the colons, quotes and indentation`},
		},
		{
			name:  "front matter that is not settings",
			files: []File{crs("---", "- title", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:2: the front matter must be settings, one per line, such as "title: Greeting customers"`},
		},
		{
			name: "unknown course setting",
			files: []File{crs(
				"---",
				"title: Serving customers",
				"refresher: 12 months",
				"window: 30 days",
				"passmark: 80",
				"---",
			), good("01-greeting.md", "greet-first")},
			want: []string{
				`demo/course.md:1: the front matter has no pass: add a line such as "pass: 80"`,
				`demo/course.md:5: unknown setting "passmark" in the front matter: the settings here are title, summary, refresher, window, pass, material, refresher_mode, refresher_questions, quiz_questions, retake_after`,
			},
		},
		{
			name:  "a setting twice",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80", "title: Again", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:6: the setting "title" appears twice (first on line 2): keep one`},
		},
		{
			name:  "bad refresher interval",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 monts", "window: 30 days", "pass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:3: refresher: "12 monts" is not an interval: the unit must be days, weeks, months or years`},
		},
		{
			name:  "bad window interval",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 0 days", "pass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:4: window: "0 days" is not an interval: the number must be at least 1`},
		},
		{
			name:  "window as long as the refresher",
			files: []File{crs("---", "title: Serving customers", "refresher: 1 year", "window: 12 months", "pass: 80", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:4: the window (12 months) must be shorter than the refresher (1 year), or the refresher would open before the course is even completed`},
		},
		{
			name:  "pass above 100",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 101", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:5: pass must be a percentage from 1 to 100, not 101`},
		},
		{
			name:  "pass of 0",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 0", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:5: pass must be a percentage from 1 to 100, not 0`},
		},
		{
			name:  "pass with a percent sign",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80%", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:5: pass must be a whole number, such as "pass: 80", not "80%"`},
		},
		{
			name:  "pass with a fraction",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80.5", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:5: pass must be a whole number, such as "pass: 80", not "80.5"`},
		},
		{
			name:  "material that is not true or false",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80", "material: maybe", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:6: material must be true or false, not "maybe"`},
		},
		{
			name:  "material written as yes",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80", "material: yes", "---"), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:6: material must be true or false, not "yes"`},
		},
		{
			name:  "broken link in the course introduction",
			files: []File{crs("---", "title: Serving customers", "refresher: 12 months", "window: 30 days", "pass: 80", "---", "", "Start with [greeting](01-greting.md)."), good("01-greeting.md", "greet-first")},
			want:  []string{`demo/course.md:8: the link to "01-greting.md" leads to no module of this course: check the file name, such as "02-greeting.md"`},
		},
		// files and slugs
		{
			name:  "a file that is not Markdown",
			files: withCourse(good("01-greeting.md", "greet-first"), File{Name: "notes.txt", Text: "x"}),
			want:  []string{"demo/notes.txt: only Markdown files ending in .md belong in a course folder: remove this file or rename it"},
		},
		{
			name:  "the same file twice",
			files: withCourse(good("01-greeting.md", "greet-first"), good("01-greeting.md", "greet-first")),
			want:  []string{"demo/01-greeting.md: the file appears twice in the course: keep one"},
		},
		{
			name:  "file name that is not a slug",
			files: withCourse(good("01-Greeting_Customers.md", "greet-first")),
			want:  []string{`demo/01-Greeting_Customers.md: the file name gives the module slug "Greeting_Customers", which is not allowed: rename the file and use only lower-case letters, digits and single hyphens, such as "late-orders"`},
		},
		{
			name:  "two files with the same module slug",
			files: withCourse(good("01-greeting.md", "greet-first"), good("02-greeting.md", "say-goodbye")),
			want:  []string{`demo/02-greeting.md: the module slug "greeting" is already used by 01-greeting.md: rename one of the two files`},
		},
		{
			name: "alias that is another module's slug",
			files: withCourse(good("01-greeting.md", "greet-first"), mod("02-farewell.md",
				"---",
				"title: Farewell",
				"aliases:",
				"  - goodbye",
				"  - greeting",
				"---",
				"Say goodbye.",
			)),
			want: []string{
				`demo/02-farewell.md: warning: module has no quiz; it completes when read`,
				`demo/02-farewell.md:5: the alias "greeting" is the slug of 01-greeting.md: an alias must be an old slug that no module uses now`,
			},
		},
		{
			name: "alias used by two modules",
			files: withCourse(
				mod("01-greeting.md", "---", "title: Greeting", "aliases: [hello]", "---", "Say hello."),
				mod("02-farewell.md", "---", "title: Farewell", "aliases: [bye, hello]", "---", "Say goodbye."),
			),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/02-farewell.md: warning: module has no quiz; it completes when read`,
				`demo/02-farewell.md:3: the alias "hello" is already an alias of 01-greeting.md (line 3): an old slug can lead to one module only`,
			},
		},
		{
			name:  "alias that is not a slug",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "aliases:", "  - Old Greeting", "---", "Say hello.")),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/01-greeting.md:4: the alias "Old Greeting" is not a module slug: use only lower-case letters, digits and single hyphens, such as "late-orders"`,
			},
		},
		// module front matter
		{
			name:  "unknown module setting",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "duration: 5", "---", "Say hello.")),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/01-greeting.md:3: unknown setting "duration" in the front matter: the settings here are title, minutes, aliases, quiz_questions`,
			},
		},
		{
			name:  "missing module title",
			files: withCourse(mod("01-greeting.md", "---", "minutes: 5", "---", "Say hello.")),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/01-greeting.md:1: the front matter has no title: add a line such as "title: Greeting customers"`,
			},
		},
		{
			name:  "negative minutes",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "minutes: -5", "---", "Say hello.")),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/01-greeting.md:3: minutes cannot be negative`,
			},
		},
		{
			name:  "minutes that are not a number",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "minutes: five", "---", "Say hello.")),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/01-greeting.md:3: minutes must be a whole number, such as "minutes: 10", not "five"`,
			},
		},
		// module body
		{
			name:  "empty module",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "---", "", "<!-- to do -->")),
			want:  []string{`demo/01-greeting.md: the module is empty: write a lesson, or a quiz under a "## Quiz" heading, or both`},
		},
		{
			name:  "module with no quiz",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "---", "", "Say hello.")),
			want:  []string{`demo/01-greeting.md: warning: module has no quiz; it completes when read`},
		},
		{
			name:  "quiz heading with no questions",
			files: withCourse(mod("01-greeting.md", "---", "title: Greeting", "---", "", "Say hello.", "", "## Quiz")),
			want:  []string{`demo/01-greeting.md:7: the quiz has no questions: write each question as a "###" heading under "## Quiz", followed by its choices`},
		},
		{
			name: "a quiz heading at the wrong level",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"",
				"Say hello.",
				"",
				"### Quiz",
			)),
			want: []string{
				`demo/01-greeting.md: warning: module has no quiz; it completes when read`,
				`demo/01-greeting.md:7: warning: this "Quiz" heading has 3 #, so it does not start the quiz: write it as "## Quiz"`,
			},
		},
		{
			name: "a ### heading in the lesson",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"",
				"Say hello.",
				"",
				"### Which greeting is best? {#best-greeting}",
				"",
				"- [x] Hello",
				"- [ ] Next",
				"",
				"#### A small heading is fine",
				"",
				"## Quiz",
				"",
				"### Whom do you greet first? {#greet-first}",
				"",
				"- [x] The customer",
				"- [ ] The phone",
				"",
				"> Customers come first.",
			)),
			want: []string{
				`demo/01-greeting.md:7: warning: this "###" heading is in the lesson, but "###" is kept for quiz questions: use "##" for a lesson subheading, or move the question under "## Quiz"`,
			},
		},
		{
			name: "question with no choices",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"> Customers come first.",
			)),
			want: []string{
				`demo/01-greeting.md:5: question "greet-first" has no choices: list them under the question, one per line, as "- [ ] a wrong answer" and "- [x] a right answer"`,
				`demo/01-greeting.md:6: warning: this quote under question "greet-first" comes before the choices, so it will not be shown: put the explanation after the list of choices`,
			},
		},
		{
			name: "question whose list has no boxes",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- The manager",
				"- The customer",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:5: question "greet-first" has no choices: its list has no boxes; write each choice as "- [ ] …", or "- [x] …" when it is correct`},
		},
		{
			name: "a choice without a box",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [ ] The manager",
				"- The customer",
				"- [x] Whoever is next",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:7: this choice of question "greet-first" has no box: start it with "- [ ] ", or "- [x] " when it is correct`},
		},
		{
			name: "question with no correct choice",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"",
				"### Whom do you greet first? {#greet-first}",
				"",
				"- [ ] The manager",
				"- [ ] The customer",
				"",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:6: question "greet-first" has no correct choice: mark at least one with [x]`},
		},
		{
			name: "question with one choice",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:5: question "greet-first" has only one choice: give at least two`},
		},
		{
			name: "the same choice twice",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
				"- [ ] the  Customer",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:8: question "greet-first" has the choice "the Customer" twice (first on line 6): each choice must be different`},
		},
		{
			name: "an empty choice",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
				"- [ ]",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:8: this choice of question "greet-first" is empty: write the answer after the box`},
		},
		{
			name: "two lists of choices",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
				"* [ ] The cook",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:8: question "greet-first" has a second list here: keep all its choices in one list, each line starting with the same mark ("- [ ]" or "- [x]")`},
		},
		{
			name: "question without an explanation",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
			)),
			want: []string{`demo/01-greeting.md:5: warning: question "greet-first" has no explanation: add a quote (a line starting with ">") after the choices saying why the answer is right`},
		},
		{
			name: "question without an ID",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet *first*?",
				"- [x] The customer",
				"- [ ] The manager",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:5: warning: question has no {#id}; its ID will change if the text changes: add one at the end of the heading, such as {#whom-do-you-greet-first}`},
		},
		{
			name: "question ID that is not a slug",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#Greet_First}",
				"- [x] The customer",
				"- [ ] The manager",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:5: the question ID "Greet_First" is not allowed: use only lower-case letters, digits and single hyphens, such as "late-orders"`},
		},
		{
			name: "an ID that cannot be read",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet first}",
				"- [x] The customer",
				"- [ ] The manager",
				"> Customers come first.",
			)),
			want: []string{
				`demo/01-greeting.md:5: the {#greet first} at the end of this question could not be read as an ID: write it as {#some-id} and use only lower-case letters, digits and single hyphens, such as "late-orders"`,
				`demo/01-greeting.md:5: warning: question has no {#id}; its ID will change if the text changes: add one at the end of the heading, such as {#whom-do-you-greet-first}`,
			},
		},
		{
			name: "question without text",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:5: this question has no text: write the question after the "###"`},
		},
		{
			name: "duplicate question IDs in one module",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet}",
				"- [x] The customer",
				"- [ ] The manager",
				"> Customers come first.",
				"### Whom do you greet next? {#greet}",
				"- [x] The next customer",
				"- [ ] The shop manager",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:9: the question ID "greet" is already used by the question at demo/01-greeting.md:5: give this question a different {#id}`},
		},
		{
			name:  "duplicate question IDs across modules",
			files: withCourse(good("01-greeting.md", "greet-first"), good("02-farewell.md", "greet-first")),
			want:  []string{`demo/02-farewell.md:10: the question ID "greet-first" is already used by the question at demo/01-greeting.md:10: give this question a different {#id}`},
		},
		{
			name: "text after the quiz heading that is not a question",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"",
				"Answer these.",
				"",
				"And these.",
				"",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:6: warning: this text after "## Quiz" is not part of any question and will not be shown: put lesson text before "## Quiz"`},
		},
		{
			name: "text inside a question that is not shown",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"",
				"It is a busy morning.",
				"",
				"- [x] The customer",
				"- [ ] The manager",
				"",
				"> Customers come first.",
			)),
			want: []string{`demo/01-greeting.md:7: warning: this text under question "greet-first" will not be shown: a question is its "###" heading, then a list of choices, then a quote (">") explaining the answer`},
		},
		// links
		{
			name: "links to modules that exist, and links that are not checked",
			files: withCourse(
				mod("01-greeting.md",
					"---", "title: Greeting", "aliases: [hello]", "---",
					"See [next](02-farewell.md), [by slug](farewell.md#end), [by old number](05-farewell.md),",
					"[alias](hello.md), [dot](./farewell.md), [course](course.md), [web](https://example.com/x.md),",
					"[mail](mailto:a@example.com), [anchor](#top), [site](/help.md), [file](forms/refund.pdf).",
				),
				good("02-farewell.md", "say-goodbye"),
			),
			want: []string{`demo/01-greeting.md: warning: module has no quiz; it completes when read`},
		},
		{
			name: "link to a module that does not exist",
			files: withCourse(mod("01-greeting.md",
				"---",
				"title: Greeting",
				"---",
				"",
				"Say hello, then read",
				"[the farewell](02-farewell.md#end) and [more][ref].",
				"",
				"[ref]: ../other-course/01-x.md",
				"",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager, see [this](manager.md)",
				"> Customers come first.",
			)),
			want: []string{
				`demo/01-greeting.md:6: the link to "02-farewell.md#end" leads to no module of this course: check the file name, such as "02-greeting.md"`,
				`demo/01-greeting.md:6: the link to "../other-course/01-x.md" leads outside this course: link to a module of this course by its file name, such as "02-greeting.md"`,
				`demo/01-greeting.md:13: the link to "manager.md" leads to no module of this course: check the file name, such as "02-greeting.md"`,
			},
		},
		// line numbers
		{
			name: "Windows line endings keep line numbers",
			files: withCourse(File{Name: "01-greeting.md", Text: strings.ReplaceAll(lines(
				"---",
				"title: Greeting",
				"---",
				"## Quiz",
				"### Whom do you greet first? {#greet-first}",
				"- [x] The customer",
				"- [ ] The manager",
			), "\n", "\r\n")}),
			want: []string{`demo/01-greeting.md:5: warning: question "greet-first" has no explanation: add a quote (a line starting with ">") after the choices saying why the answer is right`},
		},
		{
			name: "every problem is collected, in file and line order",
			files: []File{
				crs("---", "title: Serving customers", "refresher: 12 months", "window: 1 year", "pass: 80", "---"),
				mod("01-greeting.md",
					"---",
					"title: Greeting",
					"colour: red",
					"---",
					"## Quiz",
					"### One {#one}",
					"- [ ] A",
					"- [ ] B",
					"### Two {#one}",
					"- [x] A",
				),
			},
			want: []string{
				`demo/01-greeting.md:3: unknown setting "colour" in the front matter: the settings here are title, minutes, aliases, quiz_questions`,
				`demo/01-greeting.md:6: question "one" has no correct choice: mark at least one with [x]`,
				`demo/01-greeting.md:6: warning: question "one" has no explanation: add a quote (a line starting with ">") after the choices saying why the answer is right`,
				`demo/01-greeting.md:9: question "one" has only one choice: give at least two`,
				`demo/01-greeting.md:9: warning: question "one" has no explanation: add a quote (a line starting with ">") after the choices saying why the answer is right`,
				`demo/01-greeting.md:9: the question ID "one" is already used by the question at demo/01-greeting.md:6: give this question a different {#id}`,
				`demo/course.md:4: the window (1 year) must be shorter than the refresher (12 months), or the refresher would open before the course is even completed`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slug := tt.slug
			if slug == "" {
				slug = "demo"
			}
			c, ps := Parse(slug, tt.files)
			if diff := cmp.Diff(tt.want, problemStrings(ps)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			if (c == nil) != ps.HasErrors() {
				t.Errorf("Parse returned course %v with errors %v: want a course exactly when there are no errors", c != nil, ps.HasErrors())
			}
		})
	}
}
