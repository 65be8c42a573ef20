// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// loopback for a test and records every message it accepts. It can refuse
// the next messages with a temporary error, to test retries. Only tests
// import it.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted mail.
type Message struct {
	From    string
	To      []string
	Header  mail.Header
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
	Raw     string
}

// Server is a recording SMTP server.
type Server struct {
	Host string
	Port int

	mu     sync.Mutex
	msgs   []Message
	refuse int
	code   int
	tried  int
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Env is the FRONTLINE_SMTP_* settings that send to this server.
func (s *Server) Env() map[string]string {
	return map[string]string{"FRONTLINE_SMTP_HOST": s.Host, "FRONTLINE_SMTP_PORT": strconv.Itoa(s.Port),
		"FRONTLINE_SMTP_TLS": "none", "FRONTLINE_SMTP_FROM": "Frontline <frontline@example.com>"}
}

// RefuseNext makes the next n messages fail with code: 451 (try again
// later) or 550 (refused for good).
func (s *Server) RefuseNext(n, code int) {
	s.mu.Lock()
	s.refuse, s.code = n, code
	s.mu.Unlock()
}

// Messages returns what the server accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Tried counts every message offered, refused or not.
func (s *Server) Tried() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tried
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.tried++
	if x.s.refuse > 0 {
		x.s.refuse--
		if x.s.code >= 500 {
			return &smtp.SMTPError{Code: x.s.code, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
		}
		return &smtp.SMTPError{Code: x.s.code, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	m.From, m.To = x.from, append([]string(nil), x.to...)
	x.s.msgs = append(x.s.msgs, m)
	return nil
}

func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Subject: subject, Raw: string(raw)}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return Message{}, errors.New("mailtest: not a multipart message")
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable bodies
		if err == io.EOF {
			break
		}
		if err != nil {
			return Message{}, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return Message{}, err
		}
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			m.Text = string(b)
		case "text/html":
			m.HTML = string(b)
		}
	}
	return m, nil
}
