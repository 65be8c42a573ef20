package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoHandlerReadsFibersOwnClientIP keeps every address the app records
// (sessions, audit rows, throttling, the log) behind FRONTLINE_TRUSTED_PROXIES:
// Fiber's c.IP() is the proxy's address behind a load balancer, so a call to
// it anywhere in the package is a bug waiting for a deployment.
func TestNoHandlerReadsFibersOwnClientIP(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "IP" && len(call.Args) == 0 {
					t.Errorf("%s: calls %s.IP(); use clientIP(c), which honours FRONTLINE_TRUSTED_PROXIES", fset.Position(call.Pos()), exprName(sel.X))
				}
			}
			return true
		})
	}
}

func exprName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}
