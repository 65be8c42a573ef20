package qr

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

var runRE = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// TestSVGDrawsExactlyTheDarkModules paints the path's runs back onto a grid
// and compares it with the code's own modules: every dark module drawn,
// no light one, and nothing drawn twice.
func TestSVGDrawsExactlyTheDarkModules(t *testing.T) {
	for _, text := range []string{"x", "http://localhost:8080/signin/" + strings.Repeat("A", 43)} {
		code, err := qrcode.New(text, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want := code.Bitmap()
		svg, err := SVG(text, "Sign-in link")
		if err != nil {
			t.Fatal(err)
		}
		n := len(want)
		if !strings.Contains(svg, fmt.Sprintf(`viewBox="0 0 %d %d"`, n, n)) {
			t.Fatalf("viewBox does not match %d modules: %.200s", n, svg)
		}
		got := make([][]bool, n)
		for i := range got {
			got[i] = make([]bool, n)
		}
		for _, m := range runRE.FindAllStringSubmatch(svg, -1) {
			var x, y, w, back int
			fmt.Sscan(m[1], &x)
			fmt.Sscan(m[2], &y)
			fmt.Sscan(m[3], &w)
			fmt.Sscan(m[4], &back)
			if w != back {
				t.Fatalf("run %q does not close", m[0])
			}
			for i := x; i < x+w; i++ {
				if got[y][i] {
					t.Fatalf("module %d,%d drawn twice", i, y)
				}
				got[y][i] = true
			}
		}
		for y := range want {
			for x := range want[y] {
				if got[y][x] != want[y][x] {
					t.Fatalf("%q: module %d,%d drawn %v, want %v", text, x, y, got[y][x], want[y][x])
				}
			}
		}
		// The quiet zone: the first four rows and columns are light.
		for i := 0; i < 4; i++ {
			for j := 0; j < n; j++ {
				if want[i][j] || want[j][i] {
					t.Fatalf("no quiet zone at %d,%d", i, j)
				}
			}
		}
	}
}

func TestSVGEscapesItsLabel(t *testing.T) {
	svg, err := SVG("x", `Link for "Ann" <b>`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(svg, "<b>") || !strings.Contains(svg, `aria-label="Link for &quot;Ann&quot; &lt;b&gt;"`) {
		t.Fatalf("label not escaped: %.300s", svg)
	}
}
