package web

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWebStaysALeaf keeps the HTTP surface thin: it talks to the services,
// and what runs beside it (the job runner, mail, the database itself) is
// wired in app/services and handed over as plain values. A handler that
// needs one of these is doing a service's work.
func TestWebStaysALeaf(t *testing.T) {
	forbidden := []string{"/app/jobs", "/app/mail", "/app/database", "/app/services"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if strings.HasSuffix(path, bad) || strings.Contains(path, bad+"/") {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
}
