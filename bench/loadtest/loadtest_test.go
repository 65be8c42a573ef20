package loadtest

import (
	"bytes"
	"testing"
	"time"
)

func TestLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		raw     string
		schemes []string
		ok      bool
	}{
		{"http://127.0.0.1:8080", []string{"http"}, true},
		{"http://[::1]:8080", []string{"http"}, true},
		{"https://127.0.0.1:8443", []string{"http", "https"}, true},
		{"https://127.0.0.1:8443", []string{"http"}, false},
		{"http://example.com", []string{"http"}, false},
		{"http://10.0.0.1:8080", []string{"http"}, false},
		{"http://127.0.0.2", []string{"http"}, false},
		{"http://localhost:8080", []string{"http"}, false},
		{"ftp://127.0.0.1", []string{"http", "https"}, false},
	} {
		if _, err := Loopback(tc.raw, tc.schemes...); (err == nil) != tc.ok {
			t.Errorf("Loopback(%q, %v) = %v", tc.raw, tc.schemes, err)
		}
	}
}

func TestPercentileAndErrors(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for p, want := range map[float64]time.Duration{0: 1, .5: 6, .99: 10, 1: 10} {
		if got := Percentile(ds, p); got != want {
			t.Errorf("Percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if Percentile(nil, .5) != 0 {
		t.Error("Percentile of nothing is not 0")
	}
	var b bytes.Buffer
	PrintErrors(&b, map[string]int{"submit: HTTP 503": 2, "module: timeout": 1})
	if want := "error module: timeout: 1\nerror submit: HTTP 503: 2\n"; b.String() != want {
		t.Errorf("PrintErrors = %q, want %q", b.String(), want)
	}
	b.Reset()
	PrintErrors(&b, nil)
	if b.String() != "errors: none\n" {
		t.Errorf("PrintErrors(nil) = %q", b.String())
	}
}
