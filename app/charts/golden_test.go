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
			[]Point{{"Handling complaints", 91.2}, {"Owning the problem", 64}, {"Compassion and care", 0}, {"A course with a title far too long to fit the label column", 100}}, 100, "%")),
		"line.svg": string(Line("Overdue people per month", "People overdue at the end of each of the last twelve months",
			[]Point{{"Dec", 12}, {"Jan", 30}, {"Feb", 18}, {"Mar", 0}, {"Apr", 41}, {"May", 7}})),
		"line-empty.svg": string(Line("Overdue people per month", "No months recorded yet", nil)),
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
