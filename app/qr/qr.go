// Package qr draws a QR code as SVG, so that a phone can scan a one-time
// sign-in or invitation link off an admin's screen. The code's modules come
// from github.com/skip2/go-qrcode; the drawing is ours: one <path> of
// horizontal runs, in module units, scaled by the browser without blur.
// It knows nothing of links or people.
package qr

import (
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// SVG returns an <svg> element drawing text as a QR code with medium error
// correction and the standard four-module quiet zone. label is its
// accessible name. The result is safe to put in a page as it is: text and
// label are not copied into it except label, XML-escaped.
func SVG(text, label string) (string, error) {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr: unable to encode %d bytes: %w", len(text), err)
	}
	return draw(code.Bitmap(), label), nil
}

func draw(bits [][]bool, label string) string {
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges" class="qr">`,
		n, n, escape(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}
