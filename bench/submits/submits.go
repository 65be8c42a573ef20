package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/bench/loadtest"
	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

type config struct {
	URL, DSN, Cookie      string
	Courses               []string // empty: every shipped course
	Learners, Connections int
	Duration, Timeout     time.Duration
	Failing               float64
	// NoCompletion leaves each course's last quiz module out, so that no
	// submit completes a course: the passing submit alone, as
	// bench/submit.sql runs it, without a completion's extra statements.
	NoCompletion bool
}

// quizModule is a module with a quiz, as the shipped content has it: the
// right choices are known here, never read from the page.
type quizModule struct {
	Course string
	Module *courses.Module
}

// form is one learner's drawn quiz, answered and ready to post.
type form struct {
	path, token string
	body        []byte
	failing     bool
}

// report is what a run measured.
type report struct {
	Learners, Modules int
	Forms, Failing    int           // forms prepared (one per draw), of which answered wrongly
	Setup             time.Duration // learners added and every draw fetched
	Elapsed           time.Duration // the timed phase
	RanOut            bool          // every form was posted before the duration was over
	Took              []time.Duration
	Errors            map[string]int
	Submitted, Stored int
	Connections       int
	mu                sync.Mutex
}

// loopback refuses any server but this machine's (loadtest.Loopback).
func loopback(raw string) (*url.URL, error) { return loadtest.Loopback(raw, "http") }

// quizModules lists the modules with a quiz of the given courses (every
// shipped course when none is named), parsed with the real parser; with
// noCompletion, each course's last one is left out.
func quizModules(slugs []string, noCompletion bool) ([]quizModule, error) {
	if len(slugs) == 0 {
		dirs, err := fs.ReadDir(content.FS, ".")
		if err != nil {
			return nil, err
		}
		for _, d := range dirs {
			if d.IsDir() {
				slugs = append(slugs, d.Name())
			}
		}
	}
	var ms []quizModule
	for _, slug := range slugs {
		c, problems := courses.ParseFS(content.FS, slug)
		if c == nil {
			return nil, fmt.Errorf("course %q does not parse: %v", slug, problems.Errors())
		}
		var quizzes []quizModule
		for _, m := range c.Modules {
			if len(m.Questions) > 0 {
				quizzes = append(quizzes, quizModule{slug, m})
			}
		}
		if noCompletion && len(quizzes) > 0 {
			quizzes = quizzes[:len(quizzes)-1]
		}
		ms = append(ms, quizzes...)
	}
	if len(ms) == 0 {
		return nil, errors.New("no module with a quiz in those courses")
	}
	return ms, nil
}

// addLearners adds n learners, each with a session whose token only this
// run knows (no sign-in: that is not what is measured).
func addLearners(ctx context.Context, st *store.Store, n int, now time.Time) ([]int64, []string, error) {
	hash, err := auth.HashPassword(auth.NewToken()) // once: nobody signs in with it
	if err != nil {
		return nil, nil, err
	}
	run := strconv.FormatInt(now.UnixNano()%1e9, 36)
	users := make([]store.User, n)
	for i := range users {
		users[i] = store.User{Email: fmt.Sprintf("submits-%s-%d@bench.example", run, i), Name: fmt.Sprintf("Submit Learner %d", i),
			PasswordHash: hash, Role: string(auth.Learner), Active: true, CreatedAt: now}
	}
	if err := st.InsertUsers(ctx, users); err != nil {
		return nil, nil, err
	}
	ids, tokens := make([]int64, n), make([]string, n)
	for i, u := range users {
		ids[i], tokens[i] = u.ID, auth.NewToken()
		sess := &store.Session{TokenHash: auth.HashToken(tokens[i]), UserID: u.ID, CSRFToken: auth.NewToken(),
			CreatedAt: store.Now(now), LastSeenAt: store.Now(now), ExpiresAt: store.Now(now.Add(auth.IdleTimeout)),
			IP: "127.0.0.1", UserAgent: "bench/submits"}
		if err := st.CreateSession(ctx, sess); err != nil {
			return nil, nil, err
		}
	}
	return ids, tokens, nil
}

var (
	hiddenRE = regexp.MustCompile(`name="(_csrf|version|draw|key)" value="([^"]*)"`)
	choiceRE = regexp.MustCompile(`name="q\.([^"]+)" value="([^"]+)"`)
)

// answer builds the form for a module page as served: the hidden fields,
// and for each question shown either its right choices or one wrong one.
// A choice the page does not show is an error: the page and the course
// read here must be the same version.
func answer(page string, m *courses.Module, failing bool) (url.Values, error) {
	f := url.Values{}
	for _, h := range hiddenRE.FindAllStringSubmatch(page, -1) {
		f.Set(h[1], html.UnescapeString(h[2]))
	}
	if f.Get("draw") == "" || f.Get("_csrf") == "" {
		return nil, errors.New("no quiz form on the page")
	}
	shown := map[string][]string{}
	var order []string
	for _, c := range choiceRE.FindAllStringSubmatch(page, -1) {
		q, ch := html.UnescapeString(c[1]), html.UnescapeString(c[2])
		if _, ok := shown[q]; !ok {
			order = append(order, q)
		}
		shown[q] = append(shown[q], ch)
	}
	if len(order) == 0 {
		return nil, errors.New("no question on the page")
	}
	for _, qid := range order {
		var q *courses.Question
		for _, cand := range m.Questions {
			if cand.ID == qid {
				q = cand
			}
		}
		if q == nil {
			return nil, fmt.Errorf("question %q is not in the course as read here", qid)
		}
		var right, wrong []string
		for _, ch := range q.Choices {
			if !slices.Contains(shown[qid], ch.ID) {
				continue
			}
			if ch.Correct {
				right = append(right, ch.ID)
			} else {
				wrong = append(wrong, ch.ID)
			}
		}
		pick := right
		if failing && len(wrong) > 0 {
			pick = wrong[:1]
		}
		if len(pick) == 0 {
			return nil, fmt.Errorf("question %q: no choice to give on the page", qid)
		}
		f["q."+qid] = pick
	}
	return f, nil
}

// failingAt spreads the failing share evenly over the forms.
func failingAt(i int, share float64) bool {
	return int(float64(i+1)*share) > int(float64(i)*share)
}

// client is one fasthttp client with a bounded number of connections: it
// costs the machine it shares with the server less than net/http.
func client(base *url.URL, conns int, timeout time.Duration) *fasthttp.HostClient {
	return &fasthttp.HostClient{Addr: base.Host, MaxConns: conns, ReadTimeout: timeout, WriteTimeout: timeout,
		MaxIdleConnDuration: time.Minute, MaxConnWaitTimeout: timeout}
}

// fetchForms opens every quiz module once per learner (drawing their
// quizzes) and answers each page, interleaving learners so that
// consecutive submits are different people's.
func fetchForms(ctx context.Context, cfg config, base *url.URL, hc *fasthttp.HostClient, ms []quizModule, tokens []string) ([]form, error) {
	forms := make([]form, len(ms)*len(tokens))
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range cfg.Connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(res)
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(forms) {
					return
				}
				m, token := ms[i/len(tokens)], tokens[i%len(tokens)]
				path := "/courses/" + m.Course + "/" + m.Module.Slug
				req.Reset()
				req.SetRequestURI("http://" + base.Host + path)
				req.Header.SetCookie(cfg.Cookie, token)
				err := hc.DoTimeout(req, res, cfg.Timeout)
				if err == nil && res.StatusCode() != fasthttp.StatusOK {
					err = fmt.Errorf("HTTP %d", res.StatusCode())
				}
				var f url.Values
				if err == nil {
					f, err = answer(string(res.Body()), m.Module, failingAt(i, cfg.Failing))
				}
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("GET %s: %w", path, err) })
					return
				}
				forms[i] = form{path: path + "/quiz", token: token, body: []byte(f.Encode()), failing: failingAt(i, cfg.Failing)}
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return forms, firstErr
}

// post sends the forms from cfg.Connections workers until the duration is
// over or every form is sent; each request in flight is waited for.
func post(ctx context.Context, cfg config, base *url.URL, hc *fasthttp.HostClient, forms []form, rep *report) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.Connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(res)
			var took []time.Duration
			errs := map[string]int{}
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(forms) {
					break
				}
				f := forms[i]
				req.Reset()
				req.Header.SetMethod(fasthttp.MethodPost)
				req.SetRequestURI("http://" + base.Host + f.path)
				req.Header.SetContentType("application/x-www-form-urlencoded")
				req.Header.SetCookie(cfg.Cookie, f.token)
				req.SetBody(f.body)
				t0 := time.Now()
				err := hc.DoTimeout(req, res, cfg.Timeout)
				d := time.Since(t0)
				switch {
				case err != nil:
					errs[kindOf(err)]++
				case res.StatusCode() != fasthttp.StatusSeeOther:
					errs["HTTP "+strconv.Itoa(res.StatusCode())]++
				case !strings.HasPrefix(string(res.Header.Peek("Location")), "/attempts/"):
					errs["redirect not to an attempt"]++
				default:
					took = append(took, d)
				}
			}
			rep.mu.Lock()
			rep.Took = append(rep.Took, took...)
			for k, n := range errs {
				rep.Errors[k] += n
			}
			rep.mu.Unlock()
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.RanOut = int(next.Load()) >= len(forms)
	rep.Submitted = len(rep.Took)
}

// kindOf names a transport error without its addresses, so errors group.
func kindOf(err error) string {
	switch {
	case errors.Is(err, fasthttp.ErrTimeout):
		return "timeout"
	case errors.Is(err, fasthttp.ErrNoFreeConns):
		return "no free connection"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	}
	return "transport error"
}

// run adds the learners, fetches their draws, posts the submits and counts
// what was stored.
func run(ctx context.Context, cfg config, log io.Writer) (*report, error) {
	base, err := loopback(cfg.URL)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, cfg.DSN) // the server has migrated it
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return submits(ctx, cfg, base, store.New(db), log)
}

func submits(ctx context.Context, cfg config, base *url.URL, st *store.Store, log io.Writer) (*report, error) {
	if cfg.Learners < 1 || cfg.Connections < 1 || cfg.Failing < 0 || cfg.Failing > 1 {
		return nil, errors.New("learners and connections must be at least 1, the failing share within 0..1")
	}
	ms, err := quizModules(cfg.Courses, cfg.NoCompletion)
	if err != nil {
		return nil, err
	}
	rep := &report{Learners: cfg.Learners, Modules: len(ms), Connections: cfg.Connections, Errors: map[string]int{}}
	t0 := time.Now()
	fmt.Fprintf(log, "submits: adding %d learners with sessions\n", cfg.Learners)
	ids, tokens, err := addLearners(ctx, st, cfg.Learners, time.Now())
	if err != nil {
		return nil, err
	}
	hc := client(base, cfg.Connections, cfg.Timeout)
	defer hc.CloseIdleConnections()
	fmt.Fprintf(log, "submits: drawing %d quizzes (%d learners × %d modules), untimed\n", len(ms)*len(tokens), len(tokens), len(ms))
	forms, err := fetchForms(ctx, cfg, base, hc, ms, tokens)
	if err != nil {
		return nil, err
	}
	rep.Setup = time.Since(t0)
	rep.Forms = len(forms)
	for _, f := range forms {
		if f.failing {
			rep.Failing++
		}
	}
	fmt.Fprintf(log, "submits: posting them from %d connections for at most %s\n", cfg.Connections, cfg.Duration)
	post(ctx, cfg, base, hc, forms, rep)
	if rep.Stored, err = st.CountAttemptsOfUsers(context.WithoutCancel(ctx), ids); err != nil {
		return rep, err
	}
	return rep, nil
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }

// rate is the submits answered per second of the timed phase.
func (r *report) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Submitted) / r.Elapsed.Seconds()
}

// failed is true when a submit went wrong or the stored attempts do not
// match the submits answered.
func (r *report) failed() bool { return len(r.Errors) > 0 || r.Stored != r.Submitted }

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "learners %d × quiz modules %d = %d draws (%d answered wrongly), set up in %s\n",
		r.Learners, r.Modules, r.Forms, r.Failing, r.Setup.Round(time.Millisecond))
	end := "the duration was over"
	if r.RanOut {
		end = "every draw was answered"
	}
	fmt.Fprintf(w, "timed phase %s from %d connections, ended as %s\n", r.Elapsed.Round(time.Millisecond), r.Connections, end)
	fmt.Fprintf(w, "submits/s %.1f p50 %s p99 %s\n", r.rate(), ms(loadtest.Percentile(r.Took, .5)), ms(loadtest.Percentile(r.Took, .99)))
	loadtest.PrintErrors(w, r.Errors)
	fmt.Fprintf(w, "quizzes submitted %d, attempts stored %d\n", r.Submitted, r.Stored)
}
