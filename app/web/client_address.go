package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientAddresses sets the address a request came from, once, for every
// handler and the request log (clientIP reads it). Fiber's own c.IP() with
// a ProxyHeader returns the header's left-most entry, which the client
// writes itself, so it is not used: see clientAddress.
func (s *Server) clientAddresses(c *fiber.Ctx) error {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	var forwarded []string
	if len(s.Config.TrustedProxies) > 0 {
		for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
			forwarded = append(forwarded, strings.Split(string(v), ",")...)
		}
	}
	c.Locals("client", clientAddress(peer, forwarded, s.Config.TrustedProxies).String())
	return c.Next()
}

// clientIP is the client's address as clientAddresses found it.
func clientIP(c *fiber.Ctx) string {
	ip, _ := c.Locals("client").(string)
	return ip
}

// clientAddress is the address of the client behind any trusted proxies.
// Each proxy appends the address it received the request from to
// X-Forwarded-For, so the list is read from the right: entries added by
// trusted proxies are skipped, and the first address that is not a trusted
// proxy is the client. Everything to its left was written by the client or
// by proxies nobody vouches for. When the peer itself is not trusted, the
// header is ignored; an entry that is not an address ends the walk at the
// last trusted hop.
func clientAddress(peer netip.Addr, forwardedFor []string, trusted []netip.Prefix) netip.Addr {
	client := peer.Unmap()
	if !isTrusted(client, trusted) {
		return client
	}
	for i := len(forwardedFor) - 1; i >= 0; i-- {
		a, ok := parseForwarded(forwardedFor[i])
		if !ok {
			return client
		}
		client = a
		if !isTrusted(a, trusted) {
			return a
		}
	}
	return client
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseForwarded reads one X-Forwarded-For entry: an address, or (as some
// load balancers write it) an address with a port.
func parseForwarded(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}
