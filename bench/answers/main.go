// Command answers prints the form fields that pass one module's quiz,
// "q.<question>=<choice>&…", read from the shipped courses with the real
// parser. bench/run.sh uses it to load the passing path of a quiz submission
// (attempt, pass and completion check), which a page alone cannot give: the
// page, rightly, does not say which choices are correct. Benchmarks only.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/url"
	"strings"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

func main() {
	course := flag.String("course", "owning-the-problem", "course slug")
	module := flag.String("module", "it-is-yours-now", "module slug")
	flag.Parse()
	c, problems := courses.ParseFS(content.FS, *course)
	if c == nil {
		log.Fatalf("answers: course %q does not parse: %v", *course, problems.Errors())
	}
	m, ok := c.Module(*module)
	if !ok {
		log.Fatalf("answers: course %q has no module %q", *course, *module)
	}
	var fields []string
	for _, q := range m.Questions {
		for _, ch := range q.Choices {
			if ch.Correct {
				fields = append(fields, url.QueryEscape("q."+q.ID)+"="+url.QueryEscape(ch.ID))
			}
		}
	}
	fmt.Println(strings.Join(fields, "&"))
}
