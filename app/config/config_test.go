package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "frontline.db" || c.BaseURL != "http://localhost:8080" || c.Location.String() != "UTC" || c.SecureCookies() {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := Load([]string{"--addr", "127.0.0.1:9000"}, env(map[string]string{
		"FRONTLINE_ADDR": ":7000", "FRONTLINE_BASE_URL": "https://learn.example.com/", "FRONTLINE_TIMEZONE": "Pacific/Auckland"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.BaseURL != "https://learn.example.com" || !c.SecureCookies() || c.Location.String() != "Pacific/Auckland" {
		t.Fatalf("config = %+v", c)
	}
}

// TestBaseURLFollowsTheListenAddress: unset, the base URL is the address
// the server listens on, so the printed links work when only the port
// changes; an address on every interface is reached as localhost.
func TestBaseURLFollowsTheListenAddress(t *testing.T) {
	for _, tc := range []struct{ addr, base, want string }{
		{":8080", "", "http://localhost:8080"},
		{":9090", "", "http://localhost:9090"},
		{"127.0.0.1:9090", "", "http://127.0.0.1:9090"},
		{"[::1]:9090", "", "http://[::1]:9090"},
		{"0.0.0.0:9090", "", "http://localhost:9090"},
		{"[::]:9090", "", "http://localhost:9090"},
		{"learn.internal:8000", "", "http://learn.internal:8000"},
		{":9090", "https://learn.example.com", "https://learn.example.com"},
	} {
		c, err := Load(nil, env(map[string]string{"FRONTLINE_ADDR": tc.addr, "FRONTLINE_BASE_URL": tc.base}))
		if err != nil {
			t.Errorf("addr %q base %q: %v", tc.addr, tc.base, err)
			continue
		}
		if c.BaseURL != tc.want {
			t.Errorf("addr %q base %q: BaseURL = %q, want %q", tc.addr, tc.base, c.BaseURL, tc.want)
		}
	}
	c, err := Load([]string{"--addr", "127.0.0.1:7000"}, env(nil))
	if err != nil || c.BaseURL != "http://127.0.0.1:7000" {
		t.Fatalf("--addr alone: BaseURL = %q, %v", c.BaseURL, err)
	}
	if _, err := Load(nil, env(map[string]string{"FRONTLINE_ADDR": "8080"})); err == nil || !strings.Contains(err.Error(), "FRONTLINE_ADDR") {
		t.Fatalf("an address without a port: err = %v", err)
	}
}

func TestRequestTimeout(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  time.Duration // 0: refused
	}{
		{"", 15 * time.Second},
		{"2m", 2 * time.Minute},
		{"15", 0},
		{"-1s", 0},
	} {
		c, err := Load(nil, env(map[string]string{"FRONTLINE_REQUEST_TIMEOUT": tc.value}))
		switch {
		case tc.want == 0 && (err == nil || !strings.Contains(err.Error(), "FRONTLINE_REQUEST_TIMEOUT")):
			t.Errorf("%q: err = %v, want a refusal naming the variable", tc.value, err)
		case tc.want != 0 && (err != nil || c.RequestTimeout != tc.want):
			t.Errorf("%q: %v, %v; want %v", tc.value, c, err, tc.want)
		}
	}
}

func TestSecretsFromFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dsn")
	os.WriteFile(p, []byte("postgres://u@h/db\n"), 0o600)
	c, err := Load(nil, env(map[string]string{"FRONTLINE_DATABASE_URL_FILE": p}))
	if err != nil || c.DatabaseURL != "postgres://u@h/db" {
		t.Fatalf("DatabaseURL = %q, %v", c.DatabaseURL, err)
	}
	if _, err := Load(nil, env(map[string]string{"FRONTLINE_DATABASE_URL_FILE": p + "-missing"})); err == nil {
		t.Fatal("an unreadable _FILE must be an error, not a silent default")
	}
}

func TestBadValuesAreRefusedWithTheirName(t *testing.T) {
	for name, e := range map[string]map[string]string{
		"FRONTLINE_BASE_URL":   {"FRONTLINE_BASE_URL": "localhost:8080"},
		"FRONTLINE_TIMEZONE":   {"FRONTLINE_TIMEZONE": "Mars/Olympus"},
		"FRONTLINE_LOG_FORMAT": {"FRONTLINE_LOG_FORMAT": "xml"},
		"FRONTLINE_BODY_LIMIT": {"FRONTLINE_BODY_LIMIT": "lots"},
		"FRONTLINE_SMTP_PORT":  {"FRONTLINE_SMTP_PORT": "99999"},
		"FRONTLINE_SMTP_TLS":   {"FRONTLINE_SMTP_TLS": "ssl"},
		"FRONTLINE_SMTP_FROM":  {"FRONTLINE_SMTP_HOST": "smtp.example.com"},

		"FRONTLINE_TRUSTED_PROXIES": {"FRONTLINE_TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"},
		"FRONTLINE_PPROF_ADDR":      {"FRONTLINE_PPROF_ADDR": "0.0.0.0:6060"},
	} {
		_, err := Load(nil, env(e))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestREADMEListsEverySetting keeps the README's configuration table honest.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		row := "| `" + v.Env + "` | `--" + v.Flag + "` |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README lacks the row for %s (%q)", v.Env, row)
		}
	}
}

func TestSMTPSettings(t *testing.T) {
	p := filepath.Join(t.TempDir(), "smtp-password")
	os.WriteFile(p, []byte("s3cret\n"), 0o600)
	c, err := Load(nil, env(map[string]string{"FRONTLINE_SMTP_HOST": "smtp.example.com", "FRONTLINE_SMTP_PORT": "465",
		"FRONTLINE_SMTP_USER": "frontline", "FRONTLINE_SMTP_PASSWORD_FILE": p, "FRONTLINE_SMTP_FROM": "Frontline <learn@example.com>",
		"FRONTLINE_SMTP_TLS": "tls"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPHost != "smtp.example.com" || c.SMTPPort != 465 || c.SMTPUser != "frontline" || c.SMTPPassword != "s3cret" ||
		c.SMTPFrom != "Frontline <learn@example.com>" || c.SMTPTLS != "tls" {
		t.Fatalf("config = %+v", c)
	}
	d, err := Load(nil, env(nil))
	if err != nil || d.SMTPHost != "" || d.SMTPPort != 587 || d.SMTPTLS != "starttls" {
		t.Fatalf("defaults = %+v, %v", d, err)
	}
}

func TestTrustedProxies(t *testing.T) {
	cases := []struct {
		value string
		want  string
	}{
		{"", "[]"},
		{"10.0.0.0/8", "[10.0.0.0/8]"},
		{" 10.1.2.3/8 , 192.0.2.7,2001:db8::/32 ", "[10.0.0.0/8 192.0.2.7/32 2001:db8::/32]"},
		{"::ffff:10.0.0.0/104", "[10.0.0.0/8]"},
		{"fd00::1", "[fd00::1/128]"},
	}
	for _, c := range cases {
		cfg, err := Load(nil, env(map[string]string{"FRONTLINE_TRUSTED_PROXIES": c.value}))
		if err != nil {
			t.Fatalf("%q: %v", c.value, err)
		}
		if got := fmt.Sprint(cfg.TrustedProxies); got != c.want {
			t.Errorf("FRONTLINE_TRUSTED_PROXIES=%q: %s, want %s", c.value, got, c.want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.internal", "10.0.0/8"} {
		if _, err := Load(nil, env(map[string]string{"FRONTLINE_TRUSTED_PROXIES": bad})); err == nil {
			t.Errorf("FRONTLINE_TRUSTED_PROXIES=%q accepted", bad)
		}
	}
}

func TestIntegrationSettings(t *testing.T) {
	p := filepath.Join(t.TempDir(), "metrics-token")
	os.WriteFile(p, []byte("scrape-token\n"), 0o600)
	c, err := Load(nil, env(map[string]string{"FRONTLINE_XAPI_ENDPOINT": "https://lrs.example.com/xapi/", "FRONTLINE_XAPI_USERNAME": "key",
		"FRONTLINE_XAPI_PASSWORD": "secret", "FRONTLINE_XAPI_ACTOR": "mbox", "FRONTLINE_METRICS_TOKEN_FILE": p, "FRONTLINE_WEBHOOK_TIMEOUT": "5s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.XAPIEndpoint != "https://lrs.example.com/xapi/" || c.XAPIUsername != "key" || c.XAPIPassword != "secret" || c.XAPIActor != "mbox" ||
		c.MetricsToken != "scrape-token" || c.WebhookTimeout != 5*time.Second {
		t.Fatalf("config = %+v", c)
	}
	d, err := Load(nil, env(nil))
	if err != nil || d.XAPIEndpoint != "" || d.XAPIActor != "account" || d.MetricsToken != "" || d.WebhookTimeout != 15*time.Second {
		t.Fatalf("defaults = %+v, %v", d, err)
	}
	for k, v := range map[string]string{"FRONTLINE_XAPI_ENDPOINT": "lrs.example.com", "FRONTLINE_XAPI_ACTOR": "openid",
		"FRONTLINE_WEBHOOK_TIMEOUT": "soon"} {
		if _, err := Load(nil, env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: %v, want an error naming it", k, v, err)
		}
	}
}

// TestPprofListensOnLoopbackOnly: the profiler shows the process's memory,
// so it is off unless asked for, and never on an address others can reach.
func TestPprofListensOnLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"", true},
		{"127.0.0.1:6060", true},
		{"[::1]:6060", true},
		{"127.0.0.2:6060", true},
		{":6060", false},
		{"0.0.0.0:6060", false},
		{"[::]:6060", false},
		{"192.0.2.7:6060", false},
		{"localhost:6060", false},
		{"127.0.0.1", false},
	} {
		c, err := Load(nil, env(map[string]string{"FRONTLINE_PPROF_ADDR": tc.addr}))
		switch {
		case tc.ok && err != nil:
			t.Errorf("%q: %v", tc.addr, err)
		case tc.ok && c.PprofAddr != tc.addr:
			t.Errorf("%q: PprofAddr = %q", tc.addr, c.PprofAddr)
		case !tc.ok && (err == nil || !strings.Contains(err.Error(), "FRONTLINE_PPROF_ADDR")):
			t.Errorf("%q: err = %v, want a refusal naming FRONTLINE_PPROF_ADDR", tc.addr, err)
		}
	}
}
