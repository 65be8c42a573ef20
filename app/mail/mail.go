// Package mail composes Frontline's mail (a plain-text and an HTML part, a
// direct link, List-Unsubscribe) and sends it over SMTP with go-mail. It does
// not decide who gets what or when: jobs queues mail in the outbox and
// drains it through a Sender, which is what makes each mail go out once.
package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes for the SMTP connection.
const (
	TLSNone     = "none"     // plain SMTP (a relay on the same host or network)
	TLSStartTLS = "starttls" // upgrade with STARTTLS, refuse if the server cannot (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
)

// Config is the SMTP server to send through. With no Host, mail waits in
// the outbox until one is configured.
type Config struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string // "Frontline <learning@example.com>"
	TLS      string // TLSNone, TLSStartTLS or TLSImplicit
}

// Configured reports whether mail can be sent.
func (c Config) Configured() bool { return c.Host != "" }

// Message is one composed mail.
type Message struct {
	To             string
	Subject        string
	Text           string
	HTML           string
	UnsubscribeURL string // the List-Unsubscribe link; empty for none
}

// Sender sends one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through an SMTP server, one connection per message: the
// outbox sends few messages at a time and a long-lived connection would
// only go stale between them.
type SMTP struct {
	cfg Config
}

// NewSMTP returns a Sender for cfg.
func NewSMTP(cfg Config) *SMTP { return &SMTP{cfg: cfg} }

// Send delivers m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := build(s.cfg.From, m)
	if err != nil {
		return permanent{err}
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(20 * time.Second)}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.User), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: unable to set up the SMTP client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
			return permanent{fmt.Errorf("mail: the SMTP server refused the mail to %s: %w", m.To, err)}
		}
		return fmt.Errorf("mail: unable to send to %s: %w", m.To, err)
	}
	return nil
}

func build(from string, m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: bad sender %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: bad recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	if m.UnsubscribeURL != "" {
		// An https link (RFC 2369) that switches the person to the weekly
		// digest: opened, it shows a page with a button; POSTed by a mail
		// client (RFC 8058 one-click), it acts at once (the web layer exempts
		// exactly that POST from CSRF; the secret link is the credential).
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.UnsubscribeURL+">")
		msg.SetGenHeader(gomail.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click")
	}
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// permanent marks an error that retrying will not cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent reports whether a send error will not go away by retrying (a
// recipient the server refuses with a 5xx, a malformed address).
func Permanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
