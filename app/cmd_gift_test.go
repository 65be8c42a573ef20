package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestGiftExportThenImportGivesTheQuestionsBack(t *testing.T) {
	code, gift, stderr := runCLI(t, nil, "gift", "export", filepath.Join("..", "content", "handling-complaints"))
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(gift, "$CATEGORY: handling-complaints/listen-first\n") || !strings.Contains(gift, "::three-chat-messages::[markdown]") {
		t.Fatalf("export lacks the module category or a question:\n%s", gift)
	}
	file := filepath.Join(t.TempDir(), "bank.gift")
	os.WriteFile(file, []byte(gift+"\n\n::Feelings:: How do you feel? {}\n"), 0o644)
	code, md, stderr := runCLI(t, nil, "gift", "import", file)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(md, "### In an online chat, a customer sends three long messages about a missing parcel before you have replied. What do you do first? {#three-chat-messages}\n") ||
		!strings.Contains(md, "- [x] Say you are reading now, read all three, then play back what you understood\n") {
		t.Errorf("import lacks a question or its right answer:\n%s", md)
	}
	lines := strings.Count(gift, "\n") + 3
	want := file + ":" + strconv.Itoa(lines) + `: skipped: question "Feelings" is an essay question`
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "1 question skipped") {
		t.Errorf("stderr does not list the skipped essay as %q:\n%s", want, stderr)
	}
}

func TestGiftRefusesWhatItCannotConvert(t *testing.T) {
	if code, _, stderr := runCLI(t, nil, "gift", "export", t.TempDir()); code != 2 || !strings.Contains(stderr, "not a course folder") {
		t.Errorf("export of an empty folder: exit %d, %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "none.gift")
	os.WriteFile(file, []byte("// only a comment\n\nWhat is 2+2? {#4}\n"), 0o644)
	if code, out, stderr := runCLI(t, nil, "gift", "import", file); code != 1 || out != "" || !strings.Contains(stderr, ":3: skipped: the question is a numerical question") {
		t.Errorf("import with nothing to import: exit %d, out %q, %s", code, out, stderr)
	}
	if code, _, _ := runCLI(t, nil, "gift", "convert", file); code != 2 {
		t.Errorf("unknown gift subcommand: exit %d", code)
	}
}
