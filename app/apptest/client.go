package apptest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// Client is a browser without JavaScript: it keeps cookies, does not follow
// redirects (tests look at them), and remembers the last CSRF token it saw.
type Client struct {
	t    testing.TB
	base string
	http *http.Client
	CSRF string
	// Header is sent with every request, such as the X-Forwarded-For a
	// reverse proxy would add.
	Header http.Header
}

// Client returns a fresh visitor.
func (a *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: a.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is a finished response with its body read.
type Response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *Client) do(req *http.Request) Response {
	c.t.Helper()
	res, err := c.try(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return res
}

// try sends req and reads the answer, returning what went wrong instead of
// failing the test, so that it may run on a goroutine of the test's own.
func (c *Client) try(req *http.Request) (Response, error) {
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	res, err := c.http.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return Response{}, err
	}
	body := string(b)
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		c.CSRF = m[1]
	}
	return Response{Status: res.StatusCode, Body: body, Location: res.Header.Get("Location"), Header: res.Header}, nil
}

// Get fetches a path.
func (c *Client) Get(path string) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// Post sends a form with the remembered CSRF token (unless the form sets
// _csrf itself, even to "").
func (c *Client) Post(path string, form url.Values) Response {
	c.t.Helper()
	res, err := c.TryPost(path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	return res
}

// TryPost is Post for a goroutine other than the test's: it returns an
// error where Post would fail the test. One Client is one browser: use a
// Client per goroutine.
func (c *Client) TryPost(path string, form url.Values) (Response, error) {
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["_csrf"]; !set {
		form.Set("_csrf", c.CSRF)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.try(req)
}

// PostConcurrently sends the same form n times at once, as a double click, a
// resent request or a retrying proxy would, and returns every response. The
// requests share the client's session and CSRF token; they leave the client
// as it was.
func (c *Client) PostConcurrently(path string, form url.Values, n int) []Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["_csrf"]; !set {
		form.Set("_csrf", c.CSRF)
	}
	body := form.Encode()
	out := make([]Response, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			<-start // all at once
			res, err := c.http.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			errs[i] = err
			out[i] = Response{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			c.t.Fatalf("POST %s (copy %d of %d): %v", path, i+1, n, err)
		}
	}
	return out
}

// Send sends a request the test builds itself: any method, the path sent
// byte for byte (invalid UTF-8 included) and a body of any content type,
// with the client's cookies and CSRF token.
func (c *Client) Send(method, path, contentType string, body io.Reader) Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+"/", body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.URL.Opaque = path
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("X-CSRF-Token", c.CSRF)
	return c.do(req)
}

// SignIn signs in through the real form and fails the test if it does not work.
func (c *Client) SignIn(email, password string) {
	c.t.Helper()
	c.Get("/login")
	res := c.Post("/login", url.Values{"email": {email}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", email, res.Status, res.Body)
	}
	c.Get("/") // pick up the session's CSRF token
}

// Cookie returns the value of a cookie the client holds, "" when none.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie gives the client a cookie, as a copied browser profile would.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// PostJSON sends body as JSON with the remembered CSRF token in the
// X-CSRF-Token header, as the pages' scripts do.
func (c *Client) PostJSON(path string, body []byte) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(string(body)))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF)
	return c.do(req)
}

// Base is the app's address the client talks to, without a trailing slash.
func (c *Client) Base() string { return c.base }
