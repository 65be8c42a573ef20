package charts

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestChartsMatchGoldenFiles pins the SVG a person sees: a change to the
// drawing shows up as a diff to review, and `go test ./app/charts -update`
// accepts it.
func TestChartsMatchGoldenFiles(t *testing.T) {
	cases := map[string]string{
		"bars.svg": string(Bars("Completion rate per course", "Share of assigned people who have completed each course",
			[]Point{{Label: "Handling complaints", Value: 91.2}, {Label: "Owning the problem", Value: 64}, {Label: "Compassion and care", Value: 0}, {Label: "A course with a title far too long to fit the label column", Value: 100}}, 100, "%")),
		"line.svg": string(Line("Overdue people per month", "People overdue at the end of each of the last twelve months",
			[]Point{{Label: "Dec", Value: 12}, {Label: "Jan", Value: 30}, {Label: "Feb", Value: 18}, {Label: "Mar", Value: 0}, {Label: "Apr", Value: 41}, {Label: "May", Value: 7}})),
		"line-empty.svg": string(Line("Overdue people per month", "No months recorded yet", nil)),
		"line-gaps.svg": string(Line("Overdue people per month", "Two months were not recorded",
			[]Point{{Label: "Dec", Value: 12}, {Label: "Jan", Missing: true}, {Label: "Feb", Value: 18}, {Label: "Mar", Value: 9},
				{Label: "Apr", Missing: true}, {Label: "May", Value: 7}})),
	}
	for name, got := range cases {
		t.Run(name, func(t *testing.T) {
			wellFormed(t, got)
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./app/charts -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from its golden file; if the change is meant, run go test ./app/charts -update\ngot:\n%s", name, got)
			}
		})
	}
}
