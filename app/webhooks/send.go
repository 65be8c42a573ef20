package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/frontline-lms/frontline/app/store"
)

// ErrForbiddenAddress is a receiver whose address is on this side of the
// network: loopback, private, link-local and the like.
var ErrForbiddenAddress = errors.New("webhooks: the address is not a public one")

// cgnat is the carrier-grade NAT range, private in practice though
// netip does not call it so.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// checkAddress refuses an address a webhook must not reach. Link-local
// addresses (169.254.0.0/16, fe80::/10) are refused even when private
// targets are allowed: the cloud metadata service lives there, and no
// receiver does. Loopback, private and CGNAT addresses pass only with
// allowPrivate; unspecified and multicast addresses never.
func checkAddress(ip netip.Addr, allowPrivate bool) error {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid(), ip.IsUnspecified(), ip.IsMulticast(), ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(),
		ip.IsInterfaceLocalMulticast():
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ip)
	case allowPrivate:
		return nil
	case ip.IsLoopback(), ip.IsPrivate(), cgnat.Contains(ip), ip.Is4() && ip.As4()[0] == 0:
		return fmt.Errorf("%w: %s (allow private targets on the endpoint to reach it)", ErrForbiddenAddress, ip)
	}
	return nil
}

// guard is a net.Dialer Control function: it runs after the name is
// resolved, on the very address about to be dialled, so a name that
// resolves to a public address when registered and to 127.0.0.1 later (DNS
// rebinding) is refused all the same.
func guard(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
		}
		return checkAddress(ap.Addr(), allowPrivate)
	}
}

// Sender posts deliveries to endpoints. Its clients use no proxy (a proxy
// would dial for us, past the guard) and follow no redirects (a redirect
// could point anywhere): a 3xx is a failed delivery.
type Sender struct {
	public, private *http.Client
	Timeout         time.Duration
}

// NewSender returns a Sender whose requests end after timeout.
func NewSender(timeout time.Duration) *Sender {
	return &Sender{public: client(false, timeout), private: client(true, timeout), Timeout: timeout}
}

func client(allowPrivate bool, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: guard(allowPrivate)}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext, ForceAttemptHTTP2: true,
			TLSHandshakeTimeout: 10 * time.Second, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Permanent reports whether a failed delivery will fail the same way if
// retried: the endpoint's address is forbidden, or its secret unusable.
func Permanent(err error) bool {
	return errors.Is(err, ErrForbiddenAddress) || errors.Is(err, ErrBadSecret)
}

// Send posts d to ep, signed with ep's secret at now, and returns the
// response's status code (0 when none came). Any 2xx is a success.
func (s *Sender) Send(ctx context.Context, ep *store.WebhookEndpoint, d *store.Delivery, now time.Time) (int, error) {
	body := []byte(d.Body)
	sig, err := Sign(ep.Secret, d.MsgID, now, body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhooks: bad endpoint URL %q: %w", ep.URL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Frontline-Webhooks/1")
	req.Header.Set("webhook-id", d.MsgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	c := s.public
	if ep.AllowPrivate {
		c = s.private
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhooks: unable to deliver %s to %s: %w", d.MsgID, ep.URL, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection can be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("webhooks: %s answered %s", ep.URL, resp.Status)
	}
	return resp.StatusCode, nil
}
