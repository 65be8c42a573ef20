package web

import (
	"net/netip"
	"testing"
)

func TestClientAddressIsTheRightMostUntrustedHop(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	proxy, stranger := netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("192.0.2.50")
	cases := []struct {
		name      string
		peer      netip.Addr
		forwarded []string
		want      string
	}{
		{"untrusted peer, header ignored", stranger, []string{"203.0.113.9"}, "192.0.2.50"},
		{"trusted peer, no header", proxy, nil, "10.0.0.2"},
		{"trusted peer, one hop", proxy, []string{"203.0.113.9"}, "203.0.113.9"},
		{"forged entries left of the real one", proxy, []string{"127.0.0.1", " 198.51.100.1", " 203.0.113.9"}, "203.0.113.9"},
		{"trusted hops skipped", proxy, []string{"203.0.113.9", "10.9.9.9", "10.8.8.8"}, "203.0.113.9"},
		{"forged trusted address left of the client", proxy, []string{"10.1.1.1", "203.0.113.9"}, "203.0.113.9"},
		{"every hop trusted: the left-most", proxy, []string{"10.3.3.3", "10.4.4.4"}, "10.3.3.3"},
		{"garbage ends the walk at the last trusted hop", proxy, []string{"203.0.113.9", "not-an-ip", "10.4.4.4"}, "10.4.4.4"},
		{"empty header value", proxy, []string{""}, "10.0.0.2"},
		{"port written with the address", proxy, []string{"203.0.113.9:51234"}, "203.0.113.9"},
		{"IPv6 with a port", proxy, []string{"[2001:db9::7]:443"}, "2001:db9::7"},
		{"IPv6 client through an IPv6 proxy", netip.MustParseAddr("2001:db8::1"), []string{"2001:db9::7"}, "2001:db9::7"},
		{"IPv4-mapped peer matches an IPv4 range", netip.MustParseAddr("::ffff:10.0.0.2"), []string{"203.0.113.9"}, "203.0.113.9"},
		{"IPv4-mapped entry reads as IPv4", proxy, []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
	}
	for _, c := range cases {
		if got := clientAddress(c.peer, c.forwarded, trusted).String(); got != c.want {
			t.Errorf("%s: clientAddress = %s, want %s", c.name, got, c.want)
		}
	}
	if got := clientAddress(proxy, []string{"203.0.113.9"}, nil).String(); got != "10.0.0.2" {
		t.Errorf("with no trusted proxies: %s, want the peer", got)
	}
}
