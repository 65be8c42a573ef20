package web

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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

// TestCertificatePDFIsTaggedAndSaysWhenItExpired: the PDF names its title
// and language (in the document catalogue, the info dictionary and XMP), so
// a screen reader announces it and reads it in English; an expired one says
// so, as /verify does.
func TestCertificatePDFIsTaggedAndSaysWhenItExpired(t *testing.T) {
	cert := &learning.Certificate{Name: "Eli Okoro", Course: "Desk basics", Version: 1, Score: 100,
		Completed: time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC), ValidUntil: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC), Code: "WXYZ-2345"}
	b, err := CertificatePDF(cert, "https://learn.example.com/verify/WXYZ-2345", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/Lang (en)", "/Title ", "<dc:language><rdf:Bag><rdf:li>en</rdf:li>",
		"<rdf:li xml:lang=\"x-default\">Certificate of completion: Eli Okoro, Desk basics</rdf:li>"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the PDF lacks %q", want)
		}
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
	if !strings.Contains(string(out), "Expired on 3 February 2026") || strings.Contains(string(out), "Valid until") {
		t.Errorf("an expired certificate's PDF reads:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "certificate.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "Certificate of completion: Eli Okoro, Desk basics") {
		t.Errorf("pdfinfo reads no title:\n%s", info)
	}
}
