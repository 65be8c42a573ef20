package web

import (
	"net/url"
	"testing"
)

func TestSafeNextKeepsOnlySameOriginPaths(t *testing.T) {
	decoded, err := url.QueryUnescape("%2F%09%2Fevil.example") // /login?next=%2F%09%2Fevil.example
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, next, want string
	}{
		{"tab between slashes, as decoded from the query", decoded, "/"},
		{"newline between slashes", "/\n/evil.example", "/"},
		{"carriage return and newline", "/\r\n/evil.example", "/"},
		{"protocol-relative", "//evil.example", "/"},
		{"protocol-relative with path", "//evil.example/courses", "/"},
		{"backslash after slash", "/\\evil.example", "/"},
		{"backslash later", "/courses\\..\\\\evil.example", "/"},
		{"absolute URL", "http://evil.example", "/"},
		{"absolute https URL", "https://evil.example/", "/"},
		{"scheme without slashes", "javascript:alert(1)", "/"},
		{"space between slashes", "/ /evil.example", "/"},
		{"no-break space", "/\u00a0/evil.example", "/"},
		{"line separator", "/\u2028/evil.example", "/"},
		{"NUL", "/\x00/evil.example", "/"},
		{"DEL", "/\x7f/evil.example", "/"},
		{"C1 control", "/\u0085/evil.example", "/"},
		{"invalid UTF-8", "/\xff/evil.example", "/"},
		{"relative path", "courses/desk-basics", "/"},
		{"bare host", "evil.example", "/"},
		{"empty", "", "/"},
		{"bad escape", "/%zz", "/"},

		{"root", "/", "/"},
		{"a course", "/courses/desk-basics", "/courses/desk-basics"},
		{"query kept", "/courses/desk-basics?tab=quiz&from=mail", "/courses/desk-basics?tab=quiz&from=mail"},
		{"escaped query kept", "/trainer/courses?q=late%20order", "/trainer/courses?q=late%20order"},
		{"fragment kept", "/settings#calendar", "/settings#calendar"},
		{"escaped slashes stay a path", "/%2F%2Fevil.example", "/%2F%2Fevil.example"},
		{"colon in a later segment", "/courses/a:b", "/courses/a:b"},
	}
	for _, c := range cases {
		if got := safeNext(c.next); got != c.want {
			t.Errorf("%s: safeNext(%q) = %q, want %q", c.name, c.next, got, c.want)
		}
	}
}
