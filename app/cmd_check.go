package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// check validates a content tree and prints every problem as file:line:
// message. Exit 1 on errors (or on warnings with --strict), 0 otherwise.
func check(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("frontline check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	strict := fl.Bool("strict", false, "treat warnings as errors")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	var fsys fs.FS = content.FS
	name := "built-in courses"
	if fl.NArg() > 0 {
		name = fl.Arg(0)
		if st, err := os.Stat(name); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "frontline check: %s is not a folder\n", name)
			return 2
		}
		fsys = os.DirFS(name)
	}
	loaded, err := loadForCheck(fsys, name)
	if err != nil {
		fmt.Fprintf(stderr, "frontline check: %v\n", err)
		return 1
	}
	if len(loaded) == 0 {
		fmt.Fprintf(stderr, "frontline check: %s holds no course: expected a course folder (with course.md and one Markdown file per module) or a folder of course folders\n", name)
		return 2
	}
	var errs, warns, modules, questions int
	for _, l := range loaded {
		for _, p := range l.Problems {
			fmt.Fprintln(stdout, p.String())
			if p.Severity == courses.Error {
				errs++
			} else {
				warns++
			}
		}
		if l.Course != nil {
			modules += len(l.Course.Modules)
			for _, m := range l.Course.Modules {
				questions += len(m.Questions)
			}
		}
	}
	fmt.Fprintf(stderr, "%s: %s, %s, %s; %s, %s\n", name, count(len(loaded), "course"), count(modules, "module"),
		count(questions, "question"), count(errs, "error"), count(warns, "warning"))
	if errs > 0 || (*strict && warns > 0) {
		return 1
	}
	return 0
}

// loadForCheck reads what check was pointed at: one course folder (it has
// a course.md) or a tree of them, as the server reads FRONTLINE_CONTENT_DIR.
func loadForCheck(fsys fs.FS, name string) ([]courses.Loaded, error) {
	if _, err := fs.Stat(fsys, "course.md"); err != nil {
		return courses.LoadTree(fsys)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	slug := filepath.Base(abs)
	c, ps := courses.ParseFS(os.DirFS(filepath.Dir(abs)), slug)
	return []courses.Loaded{{Slug: slug, Course: c, Problems: ps}}, nil
}

// count says n things: "1 course", "3 courses", "0 errors".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
