package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules enforces the shape of the house (STYLE.md points 1 and 2):
// only ui/ (and main, which wires it) imports Fyne, only internal/cv imports
// gocv, only internal/av imports go-astiav, and the core packages never
// reach the GUI.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "customenv", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "mileo.tech/extract"
	rules := []struct {
		prefix  string
		allowed func(pkg string) bool
	}{
		{"fyne.io/", func(p string) bool { return p == mod || strings.HasPrefix(p, mod+"/ui") }},
		{"gocv.io/", func(p string) bool { return p == mod+"/internal/cv" }},
		{"github.com/asticode/go-astiav", func(p string) bool { return p == mod+"/internal/av" }},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		for _, imp := range imports {
			for _, r := range rules {
				if strings.HasPrefix(imp, r.prefix) && !r.allowed(pkg) {
					t.Errorf("%s imports %s: only its wrapper package may", pkg, imp)
				}
			}
		}
	}
	// The core never depends on the GUI, even indirectly.
	for _, core := range []string{"./export/...", "./vms/...", "./register/...", "./anonymize/..."} {
		deps, err := exec.Command("go", "list", "-tags", "customenv", "-deps", core).Output()
		if err != nil {
			continue // package not written yet
		}
		for _, d := range strings.Fields(string(deps)) {
			if strings.HasPrefix(d, "fyne.io/") || strings.HasPrefix(d, mod+"/ui") {
				t.Errorf("%s depends on %s", core, d)
			}
		}
	}
}
