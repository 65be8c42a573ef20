package courses_test

import (
	"testing"

	"github.com/frontline-lms/frontline/content"
	"github.com/frontline-lms/frontline/courses"
)

// TestShippedContentLoads keeps the courses embedded in the binary free of
// errors and warnings: the server refuses a broken course at boot, and a
// warning in shipped content is a mistake a trainer would copy.
func TestShippedContentLoads(t *testing.T) {
	loaded, err := courses.LoadTree(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) < 2 {
		t.Errorf("content has %d courses, want at least 2", len(loaded))
	}
	for _, l := range loaded {
		for _, p := range l.Problems {
			t.Errorf("%s", p)
		}
		if l.Course == nil {
			continue
		}
		if len(l.Course.Modules) == 0 {
			t.Errorf("%s: no modules", l.Slug)
		}
	}
}
