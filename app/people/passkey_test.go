package people

import (
	"errors"
	"testing"
)

// TestPasskeysNeedASecureOriginWithAName: browsers offer WebAuthn only in a
// secure context (https, or http on localhost) and never for an IP address,
// so Frontline turns passkeys off rather than show a button that cannot work.
func TestPasskeysNeedASecureOriginWithAName(t *testing.T) {
	for _, tc := range []struct {
		base, rpID, origin string
	}{
		{"https://learn.example.com", "learn.example.com", "https://learn.example.com"},
		{"https://learn.example.com:8443/", "learn.example.com", "https://learn.example.com:8443"},
		{"http://localhost:8080", "localhost", "http://localhost:8080"},
		{"http://learn.example.com", "", ""},
		{"http://127.0.0.1:8080", "", ""},
		{"https://10.0.0.7", "", ""},
		{"http://[::1]:8080", "", ""},
	} {
		p, err := NewPasskeys(tc.base)
		if tc.rpID == "" {
			if !errors.Is(err, ErrPasskeysOff) {
				t.Errorf("%s: passkeys on (%v), want off", tc.base, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.base, err)
			continue
		}
		if c := p.WebAuthn.Config; c.RPID != tc.rpID || len(c.RPOrigins) != 1 || c.RPOrigins[0] != tc.origin {
			t.Errorf("%s: RP ID %q, origins %v; want %q, [%s]", tc.base, c.RPID, c.RPOrigins, tc.rpID, tc.origin)
		}
	}
}
