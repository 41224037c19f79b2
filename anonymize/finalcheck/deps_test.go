package finalcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// R-ANON-2 (rev.): the final check does not rely on the detector that
// built the plan. Its code takes from package anonymize the plan, the
// plan's mismatch error and the model finder only (nothing of detection,
// tracking or rendering), and reaches OpenCV and FFmpeg through
// internal/cv and internal/av only.
func TestIndependence(t *testing.T) {
	const module = "mileo.tech/extract/"
	allowedImports := []string{module + "anonymize", module + "internal/av", module + "internal/cv"}
	allowedNames := []string{"Plan", "ErrPlanMismatch", "FindModel"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if (strings.HasPrefix(p, module) && !slices.Contains(allowedImports, p)) ||
				strings.HasPrefix(p, "gocv.io/") || strings.HasPrefix(p, "github.com/asticode/") || strings.HasPrefix(p, "fyne.io/") {
				t.Errorf("%s imports %s", name, p)
			}
		}
		ast.Inspect(f, func(node ast.Node) bool {
			sel, ok := node.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "anonymize" && !slices.Contains(allowedNames, sel.Sel.Name) {
				t.Errorf("%s: uses anonymize.%s: the check takes the plan from anonymize, not how it was built", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if n == 0 {
		t.Fatal("no source file read: the rule would check nothing")
	}
}
