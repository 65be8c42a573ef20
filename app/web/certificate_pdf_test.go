package web

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/learning"
)

// TestCertificatePDFPrintsNamesAsWritten draws a certificate for a name
// outside Latin-1 with the embedded Unicode font. When poppler's pdftotext is
// installed it also reads the text back.
func TestCertificatePDFPrintsNamesAsWritten(t *testing.T) {
	name := "Paweł Łukasiewicz-Лукьянова"
	cert := &learning.Certificate{Name: name, Course: "Handling complaints", Version: 3, Score: 92,
		Completed: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), ValidUntil: time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC), Code: "ABCD-EFGH"}
	b, err := CertificatePDF(cert, "https://learn.example.com/verify/ABCD-EFGH", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("utf8dejavu")) {
		t.Fatalf("not a PDF with the embedded font (%d bytes)", len(b))
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed: the text itself is not read back")
		return
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{name, "Handling complaints", "10 March 2026", "10 September 2026", "ABCD-EFGH"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("PDF text lacks %q:\n%s", want, out)
		}
	}
}
