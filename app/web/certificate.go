package web

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
)

type certificatePage struct {
	Cert      *learning.Certificate
	VerifyURL string
}

// certificate loads a completion's certificate for the person it belongs to
// (admins may see any).
func (s *Server) certificate(c *fiber.Ctx) (*learning.Certificate, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	cert, err := s.Learning.CertificateOf(ctx(c), int64(id), s.Now())
	if err != nil {
		return nil, err
	}
	if u := userOf(c); cert.UserID != u.ID && u.Role != string(auth.Admin) {
		return nil, fiber.ErrNotFound // someone else's certificate does not exist for you
	}
	return cert, nil
}

func (s *Server) verifyURL(code string) string { return s.Config.BaseURL + "/verify/" + code }

// certificateShow shows a certificate as a page (it prints on one sheet).
func (s *Server) certificateShow(c *fiber.Ctx) error {
	cert, err := s.certificate(c)
	if err != nil {
		return err
	}
	return s.render(c, "certificate", "Certificate: "+cert.Course, certificatePage{Cert: cert, VerifyURL: s.verifyURL(cert.Code)})
}

// certificateLatest leads to the certificate of the person's latest
// completion of a course.
func (s *Server) certificateLatest(c *fiber.Ctx) error {
	row, err := s.Store.CourseBySlug(ctx(c), c.Params("course"))
	if err != nil {
		return err
	}
	cs, err := s.Store.Completions(ctx(c), userOf(c).ID, row.ID)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return fiber.ErrNotFound
	}
	return c.Redirect(fmt.Sprintf("/certificates/%d", cs[len(cs)-1].ID), fiber.StatusSeeOther)
}

// certificatePDF sends the certificate as an A4 landscape PDF.
func (s *Server) certificatePDF(c *fiber.Ctx) error {
	cert, err := s.certificate(c)
	if err != nil {
		return err
	}
	b, err := CertificatePDF(cert, s.verifyURL(cert.Code), s.Config.Location)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="certificate-%s.pdf"`, strings.ToLower(cert.Code)))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

// DejaVu Sans is embedded so that names print as written — Paweł, Nguyễn,
// Ψυχογιός, Лукьянова — not just those in Latin-1, which is all the PDF
// core fonts cover. (It has no CJK glyphs; the HTML certificate shows those.)
//
//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

// CertificatePDF draws a certificate.
func CertificatePDF(cert *learning.Certificate, verifyURL string, loc *time.Location) ([]byte, error) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("DejaVu", "", fontRegular)
	pdf.AddUTF8FontFromBytes("DejaVu", "B", fontBold)
	// What fpdf can tag: a title and a language (readers announce both),
	// the subject, and the same in XMP metadata. It writes no structure
	// tree, so the page is one run of text in reading order, top to bottom.
	title := "Certificate of completion: " + cert.Name + ", " + cert.Course
	pdf.SetTitle(title, true)
	pdf.SetLang("en")
	pdf.SetSubject("Certificate of completion of "+cert.Course+", verification code "+cert.Code, true)
	pdf.SetAuthor("Frontline", true)
	pdf.SetCreator("Frontline", true)
	pdf.SetXmpMetadata(certificateXMP(title))
	pdf.SetCreationDate(cert.Completed)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	pdf.SetDrawColor(40, 80, 120)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, 277, 190, "D")
	line := func(size float64, style, text string, h float64) {
		pdf.SetFont("DejaVu", style, size)
		pdf.CellFormat(0, h, text, "", 1, "C", false, 0, "")
	}
	pdf.SetY(32)
	pdf.SetTextColor(40, 80, 120)
	line(30, "B", "Certificate of completion", 16)
	pdf.SetTextColor(30, 30, 30)
	pdf.Ln(6)
	line(14, "", "This certifies that", 10)
	line(26, "B", cert.Name, 14)
	line(14, "", "completed", 10)
	line(22, "B", cert.Course, 12)
	line(12, "", fmt.Sprintf("version %d, with a score of %d%%", cert.Version, cert.Score), 8)
	pdf.Ln(8)
	line(14, "", "Completed on "+dateLong(cert.Completed.In(loc)), 8)
	switch {
	case cert.ValidUntil.IsZero():
	case cert.Valid:
		line(14, "", "Valid until "+dateLong(cert.ValidUntil.In(loc)), 8)
	default:
		pdf.SetTextColor(160, 30, 30)
		line(14, "B", "Expired on "+dateLong(cert.ValidUntil.In(loc)), 8)
		pdf.SetTextColor(30, 30, 30)
	}
	pdf.SetY(168)
	pdf.SetTextColor(90, 90, 90)
	line(11, "", "Verification code "+cert.Code, 6)
	line(11, "", "Check it at "+verifyURL, 6)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("web: unable to draw the certificate PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// certificateXMP is the document's XMP metadata: its title and language,
// where PDF readers and assistive technology look first.
func certificateXMP(title string) []byte {
	var t bytes.Buffer
	_ = xml.EscapeText(&t, []byte(title))
	return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + t.String() + `</rdf:li></rdf:Alt></dc:title>` +
		`<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>` +
		`</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

// dateLong writes a date as certificates show it.
func dateLong(t time.Time) string { return t.Format("2 January 2006") }

type verifyPage struct {
	Code     string
	Cert     *learning.Certificate
	NotFound bool
}

// verifyShow is public: it says whether a code is genuine and still valid,
// and shows nothing about the person beyond name, course and dates.
func (s *Server) verifyShow(c *fiber.Ctx) error {
	code := strings.ToUpper(strings.TrimSpace(clone(c.Params("code"))))
	if code == "" {
		code = strings.ToUpper(strings.TrimSpace(clone(c.Query("code"))))
	}
	p := verifyPage{Code: code}
	if code != "" {
		cert, err := s.Learning.Verify(ctx(c), code, s.Now())
		switch {
		case err == nil:
			p.Cert = &learning.Certificate{Name: cert.Name, Course: cert.Course, Completed: cert.Completed,
				ValidUntil: cert.ValidUntil, Valid: cert.Valid, Code: cert.Code}
		case errors.Is(err, store.ErrNotFound):
			p.NotFound = true
			c.Status(fiber.StatusNotFound)
		default:
			return err
		}
	}
	c.Set("X-Robots-Tag", "noindex")
	return s.render(c, "verify", "Verify a certificate", p)
}
