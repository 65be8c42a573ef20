package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func writeCourse(t *testing.T, module string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "phone-basics"), 0o755)
	os.WriteFile(filepath.Join(dir, "phone-basics", "course.md"), []byte("---\ntitle: Phone basics\nrefresher: 12 months\nwindow: 30 days\npass: 75\n---\nIntro.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "phone-basics", "01-answering.md"), []byte(module), 0o644)
	return dir
}

func TestCheck(t *testing.T) {
	good := "---\ntitle: Answering\n---\nLesson.\n\n## Quiz\n\n### Ring or wait? {#ring}\n\n- [x] Answer\n- [ ] Wait\n\n> Answer.\n"
	warn := "---\ntitle: Answering\n---\nLesson.\n\n## Quiz\n\n### Ring or wait?\n\n- [x] Answer\n- [ ] Wait\n\n> Answer.\n"
	guessable := "---\ntitle: Answering\n---\nLesson.\n\n## Quiz\n\n" +
		"### Ring or wait? {#ring}\n\n- [x] Answer within three rings and greet the caller\n- [ ] Wait\n- [ ] All of the above\n\n> Answer.\n"
	bad := "---\ntitle: Answering\ncolour: blue\n---\nLesson.\n\n## Quiz\n\n### Ring or wait? {#ring}\n\n- [ ] Answer\n- [ ] Wait\n"
	cases := []struct {
		name   string
		module string
		args   []string
		code   int
		out    []string
	}{
		{"clean", good, nil, 0, nil},
		{"warnings pass", warn, nil, 0, []string{"phone-basics/01-answering.md:8: warning:"}},
		{"warnings fail with --strict", warn, []string{"--strict"}, 1, []string{"phone-basics/01-answering.md:8: warning:"}},
		{"errors fail", bad, nil, 1, []string{"phone-basics/01-answering.md:3:", "colour", "phone-basics/01-answering.md:9:"}},
		{"a guessable quiz passes", guessable, nil, 0, []string{"phone-basics/01-answering.md:8: warning: the right choice of question \"ring\" is more than 1.5 times as long"}},
		{"a guessable quiz fails with --strict", guessable, []string{"--strict"}, 1, []string{"phone-basics/01-answering.md:8: warning:", "phone-basics/01-answering.md:12: warning:", "All of the above"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeCourse(t, tc.module)
			code, out, errOut := runCLI(t, nil, append(append([]string{"check"}, tc.args...), dir)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			for _, s := range tc.out {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestShippedCoursesPassCheckStrict is CI's `check --strict content` as a
// test: the courses built into the binary have no errors and no warnings,
// the guessability warnings included.
func TestShippedCoursesPassCheckStrict(t *testing.T) {
	if code, out, errOut := runCLI(t, nil, "check", "--strict"); code != 0 {
		t.Fatalf("the shipped courses fail check --strict:\n%s%s", out, errOut)
	}
}

func TestUserAddPrintsAnInvitationLink(t *testing.T) {
	env := map[string]string{"FRONTLINE_DATABASE_URL": filepath.Join(t.TempDir(), "f.db"), "FRONTLINE_BASE_URL": "https://learn.example.com", "FRONTLINE_LOG_LEVEL": "error"}
	code, out, errOut := runCLI(t, env, "user", "add", "--email", "Kenji@Example.com", "--name", "Kenji Sato", "--role", "manager")
	if code != 0 || !strings.Contains(out, "https://learn.example.com/invite/") || !strings.Contains(out, "kenji@example.com") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, env, "user", "add", "--email", "kenji@example.com", "--name", "K", "--role", "learner")
	if code != 1 || !strings.Contains(errOut, "already has an account") {
		t.Fatalf("duplicate: exit %d %s", code, errOut)
	}
	code, _, errOut = runCLI(t, env, "user", "add", "--email", "x@example.com", "--name", "X", "--role", "root")
	if code != 1 || !strings.Contains(errOut, "--role") {
		t.Fatalf("bad role: exit %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, env, "migrate")
	if code != 0 || !strings.Contains(out, "0 migrations pending") {
		t.Fatalf("migrate: exit %d %s", code, out)
	}
	if code, _, _ := runCLI(t, env, "frobnicate"); code != 2 {
		t.Fatalf("unknown command: exit %d", code)
	}
}

// TestDemoNamesTheAddressTheServerWillUse: with only the port changed, the
// closing message's sign-in link is on that port.
func TestDemoNamesTheAddressTheServerWillUse(t *testing.T) {
	env := map[string]string{"FRONTLINE_DATABASE_URL": filepath.Join(t.TempDir(), "f.db"), "FRONTLINE_ADDR": ":9191", "FRONTLINE_LOG_LEVEL": "error"}
	code, out, errOut := runCLI(t, env, "demo", "--learners", "1")
	if code != 0 || !strings.Contains(out, "http://localhost:9191/login") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestCheckOneCourseFolder: pointed at a course folder itself, check checks
// that course; pointed at a folder with no course in it, it says what it
// expected and fails.
func TestCheckOneCourseFolder(t *testing.T) {
	good := "---\ntitle: Answering\n---\nLesson.\n\n## Quiz\n\n### Ring or wait? {#ring}\n\n- [x] Answer\n- [ ] Wait\n\n> Answer.\n"
	bad := "---\ntitle: Answering\n---\nLesson.\n\n## Quiz\n\n### Ring or wait? {#ring}\n\n- [ ] Answer\n- [ ] Wait\n"
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("not a course"), 0o644)
	cases := []struct {
		name string
		dir  string
		code int
		out  string // on stdout
		err  string // on stderr
	}{
		{"a good course", filepath.Join(writeCourse(t, good), "phone-basics"), 0, "", "phone-basics: 1 course, 1 module, 1 question; 0 errors"},
		{"a broken course", filepath.Join(writeCourse(t, bad), "phone-basics"), 1, "phone-basics/01-answering.md:8:", "1 course, 0 modules, 0 questions; 1 error"},
		{"no course at all", empty, 2, "", "holds no course: expected a course folder (with course.md"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "check", tc.dir)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
		})
	}
}
