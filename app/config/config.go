// Package config holds Frontline's one Config struct, read from command-line
// flags and FRONTLINE_* environment variables (flags win), validated once.
// Secrets may come from a file named by the variable with a _FILE suffix.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is everything the server needs to start.
type Config struct {
	Addr        string         // FRONTLINE_ADDR, listen address
	DatabaseURL string         // FRONTLINE_DATABASE_URL: sqlite file path, sqlite:path or postgres://…
	BaseURL     string         // FRONTLINE_BASE_URL: public URL used in links
	Timezone    string         // FRONTLINE_TIMEZONE: the organisation's zone; decides what "the day" is
	Location    *time.Location // parsed Timezone
	LogFormat   string         // FRONTLINE_LOG_FORMAT: auto, text or json
	LogLevel    string         // FRONTLINE_LOG_LEVEL: debug, info, warn, error
	ContentDir  string         // FRONTLINE_CONTENT_DIR: read courses from this folder instead of the embedded ones
	BodyLimit   int            // FRONTLINE_BODY_LIMIT: largest request body, bytes

	// TrustedProxies (FRONTLINE_TRUSTED_PROXIES) are the reverse proxies
	// and load balancers whose X-Forwarded-For is believed; none by default.
	TrustedProxies []netip.Prefix
	RequestTimeout time.Duration // FRONTLINE_REQUEST_TIMEOUT: how long one request's work may take
	// SignInChecks (FRONTLINE_SIGNIN_CHECKS) is how many password checks
	// may run at once; 0 picks one per core but one (auth.DefaultPool).
	SignInChecks int

	SMTPHost     string // FRONTLINE_SMTP_HOST: mail server; empty keeps mail waiting in the outbox
	SMTPPort     int    // FRONTLINE_SMTP_PORT
	SMTPUser     string // FRONTLINE_SMTP_USER: empty for no authentication
	SMTPPassword string // FRONTLINE_SMTP_PASSWORD (or _FILE)
	SMTPFrom     string // FRONTLINE_SMTP_FROM: sender address, "Name <addr>" allowed
	SMTPTLS      string // FRONTLINE_SMTP_TLS: none, starttls or tls

	XAPIEndpoint string // FRONTLINE_XAPI_ENDPOINT: the LRS's xAPI root; empty sends no statements
	XAPIUsername string // FRONTLINE_XAPI_USERNAME: Basic auth user (the LRS's key)
	XAPIPassword string // FRONTLINE_XAPI_PASSWORD (or _FILE): Basic auth password (the LRS's secret)
	XAPIActor    string // FRONTLINE_XAPI_ACTOR: account or mbox
	MetricsToken string // FRONTLINE_METRICS_TOKEN (or _FILE): bearer token /metrics asks for; empty leaves it open
	// WebhookTimeout (FRONTLINE_WEBHOOK_TIMEOUT) bounds one webhook delivery.
	WebhookTimeout time.Duration
	APIRate        int // FRONTLINE_API_RATE: requests a minute one API token may make to one instance
	SSO            SSO // FRONTLINE_OIDC_*: single sign-on (sso.go)
	// PprofAddr (FRONTLINE_PPROF_ADDR) serves Go's profiler on a loopback
	// address for measuring the server under load; empty (the default)
	// serves none.
	PprofAddr string
}

// Var documents one setting; the README table is written from this list.
type Var struct {
	Env, Flag, Default, Help string
}

// Vars lists every setting with its default.
var Vars = []Var{
	{"FRONTLINE_ADDR", "addr", ":8080", "address to listen on"},
	{"FRONTLINE_DATABASE_URL", "database", "frontline.db", "SQLite file (or sqlite:path), or postgres://user@host/db"},
	{"FRONTLINE_BASE_URL", "base-url", "", "public URL used in links; https makes cookies Secure; unset, http:// and the listen address (localhost for all interfaces)"},
	{"FRONTLINE_TIMEZONE", "timezone", "UTC", "the organisation's time zone (IANA name): decides the day a refresher falls due"},
	{"FRONTLINE_LOG_FORMAT", "log-format", "auto", "auto (text on a terminal, JSON otherwise), text or json"},
	{"FRONTLINE_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"FRONTLINE_CONTENT_DIR", "content", "", "read courses from this folder instead of the ones built in"},
	{"FRONTLINE_BODY_LIMIT", "body-limit", "2097152", "largest request body in bytes"},
	{"FRONTLINE_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated CIDRs (or addresses) of reverse proxies whose X-Forwarded-For is believed"},
	{"FRONTLINE_REQUEST_TIMEOUT", "request-timeout", "15s", "how long one request's database work may take before it is cancelled (CSV exports have their own 10 minutes)"},
	{"FRONTLINE_SIGNIN_CHECKS", "signin-checks", "0", "password checks (argon2id, about 25 ms of CPU and 19 MiB each) running at once; 0 for one per core but one (at least one), leaving a core for signed-in pages"},
	{"FRONTLINE_SMTP_HOST", "smtp-host", "", "mail server for reminders; unset, mail waits in the outbox until one is set"},
	{"FRONTLINE_SMTP_PORT", "smtp-port", "587", "mail server port"},
	{"FRONTLINE_SMTP_USER", "smtp-user", "", "mail server user name; unset for no authentication"},
	{"FRONTLINE_SMTP_PASSWORD", "smtp-password", "", "mail server password (or FRONTLINE_SMTP_PASSWORD_FILE)"},
	{"FRONTLINE_SMTP_FROM", "smtp-from", "", "sender of reminders, such as Frontline <learning@example.com>; required with a host"},
	{"FRONTLINE_SMTP_TLS", "smtp-tls", "starttls", "starttls (port 587), tls (implicit, port 465) or none"},
	{"FRONTLINE_XAPI_ENDPOINT", "xapi-endpoint", "", "xAPI root of a Learning Record Store, such as https://lrs.example.com/xapi/; unset, no statements are sent"},
	{"FRONTLINE_XAPI_USERNAME", "xapi-username", "", "the LRS's Basic auth user (its key)"},
	{"FRONTLINE_XAPI_PASSWORD", "xapi-password", "", "the LRS's Basic auth password (or FRONTLINE_XAPI_PASSWORD_FILE)"},
	{"FRONTLINE_XAPI_ACTOR", "xapi-actor", "account", "how statements name people: account (base URL and id, no email) or mbox (mailto: email)"},
	{"FRONTLINE_METRICS_TOKEN", "metrics-token", "", "bearer token /metrics asks for (or FRONTLINE_METRICS_TOKEN_FILE); unset, /metrics is open"},
	{"FRONTLINE_WEBHOOK_TIMEOUT", "webhook-timeout", "15s", "how long one webhook delivery may take before it counts as failed"},
	{"FRONTLINE_API_RATE", "api-rate", "600", "requests a minute one API token may make to one instance (bursts up to the same number)"},
	{"FRONTLINE_PPROF_ADDR", "pprof-addr", "", "loopback address (such as 127.0.0.1:6060) serving Go's profiler at /debug/pprof/; unset, none"},
}

// Load reads the environment, then the flags in args (which override it).
func Load(args []string, getenv func(string) string) (*Config, error) {
	fs := flag.NewFlagSet("frontline serve", flag.ContinueOnError)
	vals := make(map[string]*string, len(Vars))
	for _, v := range Vars {
		def := v.Default
		e, err := envOrFile(getenv, v.Env)
		if err != nil {
			return nil, err
		}
		if e != "" {
			def = e
		}
		vals[v.Env] = fs.String(v.Flag, def, v.Help+" ("+v.Env+")")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c := &Config{
		Addr:        *vals["FRONTLINE_ADDR"],
		DatabaseURL: *vals["FRONTLINE_DATABASE_URL"],
		BaseURL:     strings.TrimRight(*vals["FRONTLINE_BASE_URL"], "/"),
		Timezone:    *vals["FRONTLINE_TIMEZONE"],
		LogFormat:   *vals["FRONTLINE_LOG_FORMAT"],
		LogLevel:    *vals["FRONTLINE_LOG_LEVEL"],
		ContentDir:  *vals["FRONTLINE_CONTENT_DIR"],

		SMTPHost:     *vals["FRONTLINE_SMTP_HOST"],
		SMTPUser:     *vals["FRONTLINE_SMTP_USER"],
		SMTPPassword: *vals["FRONTLINE_SMTP_PASSWORD"],
		SMTPFrom:     *vals["FRONTLINE_SMTP_FROM"],
		SMTPTLS:      *vals["FRONTLINE_SMTP_TLS"],

		XAPIEndpoint: strings.TrimSpace(*vals["FRONTLINE_XAPI_ENDPOINT"]),
		XAPIUsername: *vals["FRONTLINE_XAPI_USERNAME"],
		XAPIPassword: *vals["FRONTLINE_XAPI_PASSWORD"],
		XAPIActor:    *vals["FRONTLINE_XAPI_ACTOR"],
		MetricsToken: *vals["FRONTLINE_METRICS_TOKEN"],
		PprofAddr:    *vals["FRONTLINE_PPROF_ADDR"],
	}
	if _, err := fmt.Sscan(*vals["FRONTLINE_SMTP_PORT"], &c.SMTPPort); err != nil || c.SMTPPort < 1 || c.SMTPPort > 65535 {
		return nil, fmt.Errorf("config: FRONTLINE_SMTP_PORT must be a port number, got %q", *vals["FRONTLINE_SMTP_PORT"])
	}
	if _, err := fmt.Sscan(*vals["FRONTLINE_BODY_LIMIT"], &c.BodyLimit); err != nil || c.BodyLimit < 1024 {
		return nil, fmt.Errorf("config: FRONTLINE_BODY_LIMIT must be a number of bytes ≥ 1024, got %q", *vals["FRONTLINE_BODY_LIMIT"])
	}
	if _, err := fmt.Sscan(*vals["FRONTLINE_API_RATE"], &c.APIRate); err != nil || c.APIRate < 1 {
		return nil, fmt.Errorf("config: FRONTLINE_API_RATE must be a number of requests a minute ≥ 1, got %q", *vals["FRONTLINE_API_RATE"])
	}
	if _, err := fmt.Sscan(*vals["FRONTLINE_SIGNIN_CHECKS"], &c.SignInChecks); err != nil || c.SignInChecks < 0 {
		return nil, fmt.Errorf("config: FRONTLINE_SIGNIN_CHECKS must be a number ≥ 0 (0: one per core), got %q", *vals["FRONTLINE_SIGNIN_CHECKS"])
	}
	var err error
	if c.TrustedProxies, err = parsePrefixes(*vals["FRONTLINE_TRUSTED_PROXIES"]); err != nil {
		return nil, fmt.Errorf("config: FRONTLINE_TRUSTED_PROXIES: %w", err)
	}
	if c.RequestTimeout, err = time.ParseDuration(*vals["FRONTLINE_REQUEST_TIMEOUT"]); err != nil || c.RequestTimeout <= 0 {
		return nil, fmt.Errorf("config: FRONTLINE_REQUEST_TIMEOUT must be a duration such as 15s, got %q", *vals["FRONTLINE_REQUEST_TIMEOUT"])
	}
	if c.WebhookTimeout, err = time.ParseDuration(*vals["FRONTLINE_WEBHOOK_TIMEOUT"]); err != nil || c.WebhookTimeout <= 0 {
		return nil, fmt.Errorf("config: FRONTLINE_WEBHOOK_TIMEOUT must be a duration such as 15s, got %q", *vals["FRONTLINE_WEBHOOK_TIMEOUT"])
	}
	if c.SSO, err = loadSSO(vals); err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// baseURLFor is the base URL when none is set: the listen address, so the
// links printed at start-up work when only the port is changed. An address
// on every interface is reached as localhost.
func baseURLFor(host, port string) string {
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (c *Config) validate() error {
	var errs []error
	if host, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_ADDR must be host:port or :port, such as :8080, got %q", c.Addr))
	} else if c.BaseURL == "" {
		c.BaseURL = baseURLFor(host, port)
	}
	if u, err := url.Parse(c.BaseURL); c.BaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_BASE_URL must be an http(s) URL, got %q", c.BaseURL))
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_TIMEZONE %q is not a known time zone", c.Timezone))
	}
	c.Location = loc
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("config: FRONTLINE_LOG_FORMAT must be auto, text or json, got %q", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("config: FRONTLINE_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel))
	}
	if c.PprofAddr != "" && !loopbackAddr(c.PprofAddr) {
		// Profiles show the process's memory and stacks: never to the network.
		errs = append(errs, fmt.Errorf("config: FRONTLINE_PPROF_ADDR must be a loopback address with a port, such as 127.0.0.1:6060, got %q", c.PprofAddr))
	}
	switch c.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("config: FRONTLINE_SMTP_TLS must be none, starttls or tls, got %q", c.SMTPTLS))
	}
	if c.SMTPHost != "" && c.SMTPFrom == "" {
		errs = append(errs, errors.New("config: FRONTLINE_SMTP_FROM is required when FRONTLINE_SMTP_HOST is set"))
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("config: FRONTLINE_DATABASE_URL is empty"))
	}
	if u, err := url.Parse(c.XAPIEndpoint); c.XAPIEndpoint != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("config: FRONTLINE_XAPI_ENDPOINT must be an http(s) URL, got %q", c.XAPIEndpoint))
	}
	switch c.XAPIActor {
	case "account", "mbox":
	default:
		errs = append(errs, fmt.Errorf("config: FRONTLINE_XAPI_ACTOR must be account or mbox, got %q", c.XAPIActor))
	}
	return errors.Join(errs...)
}

// parsePrefixes reads "10.0.0.0/8, 192.0.2.7, fd00::/8": a bare address is
// a range of one.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is neither an address nor a CIDR range", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", f)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// SecureCookies reports whether cookies must carry the Secure flag.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// envOrFile returns $NAME, or the trimmed content of the file named by
// $NAME_FILE, so secrets can come from mounted files instead of the environment.
func envOrFile(getenv func(string) string, name string) (string, error) {
	if v := getenv(name); v != "" {
		return v, nil
	}
	if p := getenv(name + "_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("config: unable to read %s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", nil
}

// loopbackAddr is true for host:port with a loopback IP as host. A name,
// even localhost, is refused: what it resolves to is up to the machine.
func loopbackAddr(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
