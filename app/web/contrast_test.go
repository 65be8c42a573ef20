package web_test

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var tokenRE = regexp.MustCompile(`--([a-z-]+):\s*#([0-9a-fA-F]{6})\b`)

// schemes reads the colour tokens of app.css: the light ones in the first
// :root block, the dark ones in the prefers-color-scheme: dark block.
func schemes(t *testing.T) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	dark := strings.Index(css, "@media (prefers-color-scheme: dark)")
	if dark < 0 {
		t.Fatal("app.css has no dark scheme")
	}
	end := strings.Index(css[dark:], "\n}\n")
	if end < 0 {
		t.Fatal("the dark scheme block does not end")
	}
	read := func(s string) map[string]string {
		m := map[string]string{}
		for _, x := range tokenRE.FindAllStringSubmatch(s, -1) {
			m[x[1]] = x[2]
		}
		return m
	}
	return map[string]map[string]string{"light": read(css[:dark]), "dark": read(css[dark : dark+end])}
}

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestColourTokensHaveEnoughContrast checks every pair of colour tokens that
// meet on a page, in the light and the dark scheme: text against the
// backgrounds it sits on at least 4.5:1 (WCAG 1.4.3), and the focus ring,
// field borders and the chosen-answer border at least 3:1 against what
// surrounds them (1.4.11, and 2.4.13's 3:1 for the focus indicator).
func TestColourTokensHaveEnoughContrast(t *testing.T) {
	text := [][2]string{
		{"ink", "bg"}, {"ink", "card"}, {"muted", "bg"}, {"muted", "card"},
		{"brand", "bg"}, {"brand", "card"}, {"on-brand", "brand"},
		{"ok", "bg"}, {"ok", "card"}, {"warn", "bg"}, {"warn", "card"}, {"bad", "bg"}, {"bad", "card"},
		{"ink", "chosen-bg"}, {"ink", "praise-bg"}, {"ok", "praise-bg"}, {"brand", "praise-bg"},
	}
	ui := [][2]string{
		{"focus", "bg"}, {"focus", "card"}, {"field-line", "card"}, {"chosen-line", "chosen-bg"}, {"chosen-line", "card"},
	}
	for name, tokens := range schemes(t) {
		check := func(pairs [][2]string, min float64) {
			for _, p := range pairs {
				a, b := tokens[p[0]], tokens[p[1]]
				if a == "" || b == "" {
					t.Errorf("%s: --%s or --%s is not a #rrggbb token", name, p[0], p[1])
					continue
				}
				if r := contrast(a, b); r < min {
					t.Errorf("%s: --%s #%s on --%s #%s is %.2f:1, want at least %.1f:1", name, p[0], a, p[1], b, r, min)
				} else {
					t.Logf("%s: --%s on --%s %.2f:1", name, p[0], p[1], r)
				}
			}
		}
		check(text, 4.5)
		check(ui, 3)
	}
}
