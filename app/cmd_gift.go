package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/frontline-lms/frontline/courses"
	"github.com/frontline-lms/frontline/courses/gift"
)

const giftUsage = `Usage:
  frontline gift import FILE        print the questions of a Moodle GIFT file (- for standard input)
                                    in Frontline's Markdown, to paste under a module's "## Quiz";
                                    questions it cannot import are listed on standard error
  frontline gift export COURSE_DIR  print a course folder's questions as GIFT, one category per module
`

// giftCmd converts question banks between Moodle's GIFT and Frontline's
// Markdown. It exits 1 when nothing could be converted, so a script notices.
func giftCmd(args []string, stdout, stderr io.Writer, stdin io.Reader) int {
	if len(args) != 2 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprint(stderr, giftUsage)
		return 2
	}
	if args[0] == "import" {
		return giftImport(args[1], stdout, stderr, stdin)
	}
	return giftExport(args[1], stdout, stderr)
}

func giftImport(name string, stdout, stderr io.Writer, stdin io.Reader) int {
	var src []byte
	var err error
	if name == "-" {
		src, err = io.ReadAll(stdin)
		name = "standard input"
	} else {
		src, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "frontline gift import: %v\n", err)
		return 1
	}
	im := gift.Parse(string(src))
	for _, n := range im.Skipped {
		fmt.Fprintf(stderr, "%s:%d: skipped: %s\n", name, n.Line, n.Message)
	}
	for _, n := range im.Warnings {
		fmt.Fprintf(stderr, "%s:%d: warning: %s\n", name, n.Line, n.Message)
	}
	fmt.Fprint(stdout, im.Markdown())
	fmt.Fprintf(stderr, "%s: %s imported, %s skipped\n", name, count(len(im.Questions), "question"), count(len(im.Skipped), "question"))
	if len(im.Questions) == 0 {
		return 1
	}
	return 0
}

func giftExport(dir string, stdout, stderr io.Writer) int {
	if st, err := os.Stat(filepath.Join(dir, "course.md")); err != nil || st.IsDir() {
		fmt.Fprintf(stderr, "frontline gift export: %s is not a course folder (it has no course.md)\n", dir)
		return 2
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		fmt.Fprintf(stderr, "frontline gift export: %v\n", err)
		return 1
	}
	c, ps := courses.ParseFS(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if c == nil {
		for _, p := range ps {
			fmt.Fprintln(stderr, p.String())
		}
		fmt.Fprintf(stderr, "frontline gift export: %s has errors; run \"frontline check %s\" and fix them first\n", dir, dir)
		return 1
	}
	var buf bytes.Buffer
	if err := gift.Write(&buf, c); err != nil {
		fmt.Fprintf(stderr, "frontline gift export: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "frontline gift export: %v\n", err)
		return 1
	}
	return 0
}
