package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/bench/loadtest"
)

type config struct {
	URL, DSN, Course, Module, Cookie string
	PID, N                           int
	Window, Timeout, Give            time.Duration
	SignedIn                         float64
	Spread                           bool // each learner's requests say X-Forwarded-For: an address of its own
}

// learner is one person of the spike: a session token when already signed in.
type learner struct {
	Index           int
	ID              int64
	Email, Password string
	Token           string
}

var steps = []string{"sign-in", "dashboard", "module", "submit", "result"}

// report is what a run measured.
type report struct {
	N, SignedIn  int
	Took         map[string][]time.Duration // per step, successes only
	Errors       map[string]int             // "<step>: <kind>"
	Busy         int                        // 503 + Retry-After answers to sign-in (waited out, not errors)
	Submitted    int                        // quiz posts answered 303
	Stored       int                        // attempts the learners have in the database after the run
	Finished     int                        // learners who read their result
	Slowest      time.Duration              // arrival to result, the slowest who finished
	PeakRSS, HWM int64                      // kB, sampled VmRSS maximum and the kernel's VmHWM
	Elapsed      time.Duration
	mu           sync.Mutex
}

// loopback refuses any server but this machine's (loadtest.Loopback).
func loopback(raw string) (*url.URL, error) { return loadtest.Loopback(raw, "http", "https") }

// prepare adds n learners with one password (hashed once: argon2id per
// learner would take minutes) and signs the first share of them in, as
// sessions written to the database with tokens only this run knows.
func prepare(ctx context.Context, st *store.Store, n int, signedIn float64, now time.Time) ([]learner, error) {
	password := auth.NewToken()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	run := strconv.FormatInt(now.UnixNano()%1e9, 36)
	users := make([]store.User, n)
	for i := range users {
		users[i] = store.User{Email: fmt.Sprintf("spike-%s-%d@bench.example", run, i), Name: fmt.Sprintf("Spike Learner %d", i),
			PasswordHash: hash, Role: string(auth.Learner), Active: true, CreatedAt: now}
	}
	if err := st.InsertUsers(ctx, users); err != nil {
		return nil, err
	}
	ls := make([]learner, n)
	pre := int(float64(n) * signedIn)
	for i, u := range users {
		ls[i] = learner{Index: i, ID: u.ID, Email: u.Email, Password: password}
		if i >= pre {
			continue
		}
		ls[i].Token = auth.NewToken()
		sess := &store.Session{TokenHash: auth.HashToken(ls[i].Token), UserID: u.ID, CSRFToken: auth.NewToken(),
			CreatedAt: store.Now(now), LastSeenAt: store.Now(now), ExpiresAt: store.Now(now.Add(auth.IdleTimeout)),
			IP: "127.0.0.1", UserAgent: "bench/spike"}
		if err := st.CreateSession(ctx, sess); err != nil {
			return nil, err
		}
	}
	return ls, nil
}

// load runs the learners against base and measures them.
func load(ctx context.Context, cfg config, base *url.URL, ls []learner) *report {
	rep := &report{N: len(ls), Took: map[string][]time.Duration{}, Errors: map[string]int{}}
	for _, l := range ls {
		if l.Token != "" {
			rep.SignedIn++
		}
	}
	stopMem := make(chan struct{})
	memDone := make(chan struct{})
	go func() {
		defer close(memDone)
		sampleMemory(cfg.PID, rep, stopMem)
	}()
	// One transport: connections are reused between learners, as a
	// proxy in front of the app would; enough idle ones for the rush.
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	start := time.Now()
	var wg sync.WaitGroup
	for i, l := range ls {
		at := start.Add(time.Duration(int64(cfg.Window) * int64(i) / int64(max(len(ls), 1))))
		select {
		case <-time.After(time.Until(at)):
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			lctx, cancel := context.WithTimeout(ctx, cfg.Give)
			defer cancel()
			arrived := time.Now()
			if err := walk(lctx, cfg, base, tr, l, rep); err == nil {
				rep.mu.Lock()
				rep.Finished++
				rep.Slowest = max(rep.Slowest, time.Since(arrived))
				rep.mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	close(stopMem)
	<-memDone
	return rep
}

var (
	hiddenRE = regexp.MustCompile(`name="(_csrf|version|draw|key)" value="([^"]*)"`)
	choiceRE = regexp.MustCompile(`name="(q\.[^"]+)" value="([^"]+)"`)
)

// stepError is a failed step, by kind: what a reader of the report needs.
type stepError struct{ step, kind string }

func (e stepError) Error() string { return e.step + ": " + e.kind }

// walk is one learner's visit. It returns the first failure, already counted.
func walk(ctx context.Context, cfg config, base *url.URL, tr http.RoundTripper, l learner, rep *report) error {
	jar, _ := cookiejar.New(nil)
	if cfg.Spread {
		// Staff sign in from their own phones: from one address, the
		// per-address sign-in throttle would answer 429 to all but a few.
		tr = forwarded{tr, fmt.Sprintf("10.%d.%d.%d", l.Index>>16&255, l.Index>>8&255, l.Index&255)}
	}
	c := &http.Client{Transport: tr, Jar: jar, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if l.Token != "" {
		jar.SetCookies(base, []*http.Cookie{{Name: cfg.Cookie, Value: l.Token, Path: "/"}})
	}
	fail := func(err error) error {
		rep.mu.Lock()
		defer rep.mu.Unlock()
		var se stepError
		if !errors.As(err, &se) {
			se = stepError{"?", err.Error()}
		}
		rep.Errors[se.Error()]++
		return err
	}
	took := func(step string, t0 time.Time) {
		rep.mu.Lock()
		rep.Took[step] = append(rep.Took[step], time.Since(t0))
		rep.mu.Unlock()
	}
	if l.Token == "" {
		t0 := time.Now()
		if err := signIn(ctx, c, base, l, rep); err != nil {
			return fail(err)
		}
		took("sign-in", t0)
	}
	t0 := time.Now()
	if _, _, err := get(ctx, c, base.JoinPath("/"), "dashboard", http.StatusOK); err != nil {
		return fail(err)
	}
	took("dashboard", t0)
	t0 = time.Now()
	page, _, err := get(ctx, c, base.JoinPath("courses", cfg.Course, cfg.Module), "module", http.StatusOK)
	if err != nil {
		return fail(err)
	}
	took("module", t0)
	form := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range choiceRE.FindAllStringSubmatch(page, -1) {
		if !form.Has(m[1]) { // the first choice shown: right or wrong, an attempt all the same
			form.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	if form.Get("draw") == "" {
		return fail(stepError{"module", "no quiz form on the page"})
	}
	t0 = time.Now()
	res, err := post(ctx, c, base.JoinPath("courses", cfg.Course, cfg.Module, "quiz"), form)
	if err != nil {
		return fail(stepError{"submit", kindOf(err)})
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fail(stepError{"submit", "HTTP " + strconv.Itoa(res.StatusCode)})
	}
	took("submit", t0)
	rep.mu.Lock()
	rep.Submitted++
	rep.mu.Unlock()
	loc, err := res.Location()
	if err != nil {
		return fail(stepError{"submit", "no Location"})
	}
	t0 = time.Now()
	if _, _, err := get(ctx, c, loc, "result", http.StatusOK); err != nil {
		return fail(err)
	}
	took("result", t0)
	return nil
}

// signIn posts the sign-in form until it is accepted, waiting out each
// 503 + Retry-After as login.js does.
func signIn(ctx context.Context, c *http.Client, base *url.URL, l learner, rep *report) error {
	page, _, err := get(ctx, c, base.JoinPath("login"), "sign-in", http.StatusOK)
	if err != nil {
		return err
	}
	m := hiddenRE.FindStringSubmatch(page)
	if m == nil || m[1] != "_csrf" {
		return stepError{"sign-in", "no CSRF token on the sign-in page"}
	}
	form := url.Values{"_csrf": {html.UnescapeString(m[2])}, "email": {l.Email}, "password": {l.Password}, "next": {"/"}}
	for {
		res, err := post(ctx, c, base.JoinPath("login"), form)
		if err != nil {
			return stepError{"sign-in", kindOf(err)}
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		switch {
		case res.StatusCode == http.StatusSeeOther:
			return nil
		case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "":
			rep.mu.Lock()
			rep.Busy++
			rep.mu.Unlock()
			wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
			select {
			case <-time.After(time.Duration(max(wait, 1)) * time.Second):
			case <-ctx.Done():
				return stepError{"sign-in", "gave up waiting (busy)"}
			}
		default:
			return stepError{"sign-in", "HTTP " + strconv.Itoa(res.StatusCode)}
		}
	}
}

func get(ctx context.Context, c *http.Client, u *url.URL, step string, want int) (string, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", nil, stepError{step, err.Error()}
	}
	res, err := c.Do(req)
	if err != nil {
		return "", nil, stepError{step, kindOf(err)}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", nil, stepError{step, kindOf(err)}
	}
	if res.StatusCode != want {
		return "", nil, stepError{step, "HTTP " + strconv.Itoa(res.StatusCode)}
	}
	return string(b), res, nil
}

func post(ctx context.Context, c *http.Client, u *url.URL, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// kindOf names a transport error without its addresses, so errors group.
func kindOf(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "gave up (too slow)"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	case strings.Contains(err.Error(), "EOF"):
		return "connection closed"
	}
	return "transport error"
}

// sampleMemory reads the server's VmRSS every 100 ms and its VmHWM at the end.
func sampleMemory(pid int, rep *report, stop <-chan struct{}) {
	if pid <= 0 {
		return
	}
	read := func() {
		f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 2 {
				continue
			}
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			rep.mu.Lock()
			switch fields[0] {
			case "VmRSS:":
				rep.PeakRSS = max(rep.PeakRSS, kb)
			case "VmHWM:":
				rep.HWM = kb
			}
			rep.mu.Unlock()
		}
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		read()
		select {
		case <-stop:
			read()
			return
		case <-t.C:
		}
	}
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "learners %d (%d already signed in), arrivals done and all finished or given up in %s\n", r.N, r.SignedIn, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "%-10s %7s %9s %9s %9s\n", "step", "count", "p50", "p95", "p99")
	for _, s := range steps {
		ds := r.Took[s]
		fmt.Fprintf(w, "%-10s %7d %9s %9s %9s\n", s, len(ds), ms(loadtest.Percentile(ds, .5)), ms(loadtest.Percentile(ds, .95)), ms(loadtest.Percentile(ds, .99)))
	}
	fmt.Fprintf(w, "sign-in answered busy (503 + Retry-After, waited out): %d\n", r.Busy)
	loadtest.PrintErrors(w, r.Errors)
	fmt.Fprintf(w, "quizzes submitted %d, attempts stored %d\n", r.Submitted, r.Stored)
	fmt.Fprintf(w, "finished %d of %d, the slowest in %s\n", r.Finished, r.N, r.Slowest.Round(time.Millisecond))
	if r.HWM > 0 || r.PeakRSS > 0 {
		fmt.Fprintf(w, "server memory: peak RSS sampled %d MB, VmHWM %d MB\n", r.PeakRSS/1024, r.HWM/1024)
	}
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) + "ms" }

// run adds the learners, plays the spike and counts what was stored.
func run(ctx context.Context, cfg config, log io.Writer) (*report, error) {
	base, err := loopback(cfg.URL)
	if err != nil {
		return nil, err
	}
	st, closeDB, err := openStore(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	return spike(ctx, cfg, base, st, log)
}

func spike(ctx context.Context, cfg config, base *url.URL, st *store.Store, log io.Writer) (*report, error) {
	fmt.Fprintf(log, "spike: adding %d learners (%.0f%% signed in already)\n", cfg.N, cfg.SignedIn*100)
	ls, err := prepare(ctx, st, cfg.N, cfg.SignedIn, time.Now())
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "spike: %d learners arriving over %s at %s\n", cfg.N, cfg.Window, base)
	rep := load(ctx, cfg, base, ls)
	ids := make([]int64, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	if rep.Stored, err = st.CountAttemptsOfUsers(context.WithoutCancel(ctx), ids); err != nil {
		return rep, err
	}
	return rep, nil
}

// forwarded adds X-Forwarded-For, which the server believes only from
// the proxies it trusts (FRONTLINE_TRUSTED_PROXIES=127.0.0.1 for a spike).
type forwarded struct {
	next http.RoundTripper
	addr string
}

func (f forwarded) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}
