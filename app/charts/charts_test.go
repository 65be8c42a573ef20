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
	svg := string(Bars("Completion rate per course", "Share of people", []Point{{"Owning <the> problem & co", 82.5}, {"Empty", 0}}, 100, "%"))
	wellFormed(t, svg)
	for _, want := range []string{`role="img"`, "<title", "<desc", "Owning &lt;the&gt; problem &amp; co", ">82.5%<", ">0%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("bars lack %q:\n%s", want, svg)
		}
	}
}

func TestLineStartsAtZeroAndLabelsEveryPoint(t *testing.T) {
	svg := string(Line("Overdue people per month", "Twelve months", []Point{{"Apr", 3}, {"May", 0}, {"Jun", 17}}))
	wellFormed(t, svg)
	for _, want := range []string{"<polyline", ">Apr<", ">Jun<", ">17<", ">20<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("line lacks %q:\n%s", want, svg)
		}
	}
	wellFormed(t, string(Line("Empty", "", nil)))
}
