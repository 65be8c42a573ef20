package webhooks

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// The example the Standard Webhooks specification publishes, which every
// receiver library verifies.
func TestSignMatchesTheStandardWebhooksExample(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if _, err := Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", time.Unix(0, 0), nil); err == nil {
		t.Error("a secret without whsec_ was used")
	}
}

func TestNewSecretIsUsable(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || !strings.HasPrefix(a, "whsec_") {
		t.Fatalf("secrets %q, %q", a, b)
	}
	if _, err := secretKey(a); err != nil {
		t.Fatal(err)
	}
}

func TestCheckAddress(t *testing.T) {
	cases := []struct {
		ip                     string
		public, privateAllowed bool
	}{
		{"93.184.215.14", true, true},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", true, true},
		{"127.0.0.1", false, true},
		{"::1", false, true},
		{"::ffff:127.0.0.1", false, true},
		{"10.1.2.3", false, true},
		{"172.16.0.1", false, true},
		{"192.168.1.1", false, true},
		{"100.64.0.1", false, true},
		{"fd00::1", false, true},
		{"0.1.2.3", false, true},
		{"169.254.169.254", false, false}, // the cloud metadata service
		{"::ffff:169.254.169.254", false, false},
		{"fe80::1", false, false},
		{"0.0.0.0", false, false},
		{"::", false, false},
		{"224.0.0.1", false, false},
	}
	for _, c := range cases {
		ip := netip.MustParseAddr(c.ip)
		if err := checkAddress(ip, false); (err == nil) != c.public {
			t.Errorf("%s: allowed %v, want %v", c.ip, err == nil, c.public)
		}
		if err := checkAddress(ip, true); (err == nil) != c.privateAllowed {
			t.Errorf("%s with private targets allowed: allowed %v, want %v", c.ip, err == nil, c.privateAllowed)
		}
	}
}

func TestEndpointFormSaysWhatIsWrong(t *testing.T) {
	cases := []struct {
		name  string
		e     Endpoint
		field string // "" when the form is fine
	}{
		{"public https", Endpoint{URL: "https://hooks.example.com/frontline", Events: []string{CourseCompleted}}, ""},
		{"empty", Endpoint{Events: []string{CourseCompleted}}, "url"},
		{"not http", Endpoint{URL: "ftp://example.com/x", Events: []string{CourseCompleted}}, "url"},
		{"no host", Endpoint{URL: "https:///x", Events: []string{CourseCompleted}}, "url"},
		{"credentials", Endpoint{URL: "https://u:p@example.com/x", Events: []string{CourseCompleted}}, "url"},
		{"loopback", Endpoint{URL: "http://127.0.0.1:9000/x", Events: []string{CourseCompleted}}, "url"},
		{"localhost", Endpoint{URL: "http://localhost:9000/x", Events: []string{CourseCompleted}}, "url"},
		{"loopback allowed", Endpoint{URL: "http://127.0.0.1:9000/x", Events: []string{CourseCompleted}, AllowPrivate: true}, ""},
		{"metadata even when allowed", Endpoint{URL: "http://169.254.169.254/latest", Events: []string{CourseCompleted}, AllowPrivate: true}, "url"},
		{"no events", Endpoint{URL: "https://example.com/x"}, "events"},
		{"unknown event", Endpoint{URL: "https://example.com/x", Events: []string{"course.deleted"}}, "events"},
		{"test is not subscribable", Endpoint{URL: "https://example.com/x", Events: []string{Test}}, "events"},
		{"bad secret", Endpoint{URL: "https://example.com/x", Events: []string{QuizFailed}, Secret: "hunter2"}, "secret"},
	}
	for _, c := range cases {
		fe := c.e.Validate()
		if c.field == "" && len(fe) > 0 || c.field != "" && fe[c.field] == "" {
			t.Errorf("%s: %v, want a message for %q", c.name, fe, c.field)
		}
	}
}
