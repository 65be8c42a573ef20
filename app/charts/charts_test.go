package charts

import (
	"encoding/xml"
	"strings"
	"testing"
)

func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() == "EOF" {
				return
			}
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
	}
}

func TestBarsAreAccessibleAndEscapeLabels(t *testing.T) {
	svg := string(Bars("Completion rate per course", "Share of people", []Point{{Label: "Owning <the> problem & co", Value: 82.5}, {Label: "Empty", Value: 0}}, 100, "%"))
	wellFormed(t, svg)
	for _, want := range []string{`role="img"`, "<title", "<desc", "Owning &lt;the&gt; problem &amp; co", ">82.5%<", ">0%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("bars lack %q:\n%s", want, svg)
		}
	}
}

func TestLineStartsAtZeroAndLabelsEveryPoint(t *testing.T) {
	svg := string(Line("Overdue people per month", "Twelve months", []Point{{Label: "Apr", Value: 3}, {Label: "May", Value: 0}, {Label: "Jun", Value: 17}}))
	wellFormed(t, svg)
	for _, want := range []string{"<polyline", ">Apr<", ">Jun<", ">17<", ">20<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("line lacks %q:\n%s", want, svg)
		}
	}
	wellFormed(t, string(Line("Empty", "", nil)))
}

func TestLineBreaksAtMissingPointsInsteadOfDrawingZero(t *testing.T) {
	svg := string(Line("Overdue people per month", "", []Point{{Label: "Jan", Value: 4}, {Label: "Feb", Missing: true}, {Label: "Mar", Value: 6}, {Label: "Apr", Value: 2}}))
	wellFormed(t, svg)
	if n := strings.Count(svg, "<polyline"); n != 1 {
		t.Errorf("%d lines, want 1 (Mar to Apr; Jan stands alone)", n)
	}
	if n := strings.Count(svg, "<circle"); n != 3 {
		t.Errorf("%d dots, want 3 (none for Feb)", n)
	}
	if strings.Contains(svg, `class="chart-value">0<`) {
		t.Error("the missing month is drawn as 0")
	}
	if !strings.Contains(svg, ">Feb<") {
		t.Error("the missing month lost its label")
	}
}
