// Package charts draws the few charts reports need as SVG on the server:
// no chart script, nothing fetched from a CDN, and a page that works with
// JavaScript off. Each chart is an accessible image (role="img" with a
// title and description); pages show the same numbers as a table beside it.
// It knows nothing of the database or HTTP.
package charts

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Point is one labelled value.
type Point struct {
	Label string
	Value float64
	// Missing marks a point with no value, such as a month nobody recorded:
	// Line leaves a gap there rather than draw a zero that never happened.
	Missing bool
}

// Bars draws horizontal bars, one per point, of Value out of max (a
// percentage chart passes 100), with the value written at the end of each
// bar so the chart reads without colour.
func Bars(title, desc string, points []Point, max float64, unit string) template.HTML {
	const width, labelW, barH, gap = 640, 240, 22, 8
	plotW := float64(width - labelW - 60)
	h := len(points)*(barH+gap) + gap
	var b strings.Builder
	open(&b, width, h, title, desc)
	for i, p := range points {
		y := gap + i*(barH+gap)
		w := 0.0
		if max > 0 {
			w = math.Max(0, math.Min(1, p.Value/max)) * plotW
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, labelW-8, y+barH-6, esc(clip(p.Label, 34)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" class="chart-bar"/>`, labelW, y, w, barH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="chart-value">%s%s</text>`, float64(labelW)+w+6, y+barH-6, num(p.Value), esc(unit))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Line draws a line through the points, evenly spaced, with a dot and the
// value at each, labels under the axis and the axis starting at zero. A
// Missing point keeps its label but has no dot and breaks the line, so an
// unknown month reads as a gap, as the table beside the chart says.
func Line(title, desc string, points []Point) template.HTML {
	const width, height, left, right, top, bottom = 640, 260, 48, 16, 24, 40
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	max := 0.0
	for _, p := range points {
		if !p.Missing {
			max = math.Max(max, p.Value)
		}
	}
	max = niceCeil(max)
	var b strings.Builder
	open(&b, width, height, title, desc)
	for _, f := range []float64{0, 0.5, 1} {
		y := float64(top) + plotH*(1-f)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="chart-grid"/>`, left, y, width-right, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" class="chart-label">%s</text>`, left-6, y+4, num(max*f))
	}
	step := plotW
	if len(points) > 1 {
		step = plotW / float64(len(points)-1)
	}
	xy := func(i int, v float64) (float64, float64) {
		x := float64(left) + step*float64(i)
		if len(points) == 1 {
			x = float64(left) + plotW/2
		}
		return x, float64(top) + plotH*(1-v/max)
	}
	// One polyline per run of known points; a run of one is just its dot.
	var run []string
	flush := func() {
		if len(run) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" class="chart-line"/>`, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for i, p := range points {
		if p.Missing {
			flush()
			continue
		}
		x, y := xy(i, p.Value)
		run = append(run, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	flush()
	for i, p := range points {
		x, y := xy(i, p.Value)
		if !p.Missing {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" class="chart-dot"/>`, x, y)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" class="chart-value">%s</text>`, x, y-8, num(p.Value))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" class="chart-label">%s</text>`, x, height-bottom+18, esc(p.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func open(b *strings.Builder, w, h int, title, desc string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart">`,
		w, h, id(title), id(title))
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id(title), esc(title), id(title), esc(desc))
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten (at least 1).
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func num(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// id makes an element ID from a title.
func id(title string) string {
	var b strings.Builder
	b.WriteString("chart-")
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
