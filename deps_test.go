package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The shape of the house (STYLE.md points 1 and 2, issue 14):
//
//	front ends  main, ui/..., cli/...          gather input, show results
//	    ↓
//	core        every other package: papers, procedure/..., retention,
//	            account, register/..., export, anonymize/..., vms/..., and any
//	            new one; inside it papers, redaction → procedure →
//	            retention, incident → account → register;
//	            a core package's own internal packages (vms/internal/...)
//	            belong to it, as Go's visibility rule says
//	    ↓
//	adapters    internal/... (the module's) and assets
//
// Packages are classified from their import path by rule (layerOf), so a new
// package falls into its layer without editing this file. The rules check the
// product's imports (non-test files): tests may drive a front end end to end
// (ui's tests run the CLI).

const module = "mileo.tech/extract"

type layer int

const (
	frontEnd layer = iota
	core
	adapter
)

func (l layer) String() string {
	return [...]string{"front end", "core", "adapter"}[l]
}

// under reports whether pkg is dir or below it (dir relative to the module).
func under(pkg, dir string) bool {
	p := module + "/" + dir
	return pkg == p || strings.HasPrefix(pkg, p+"/")
}

// layerOf classifies a package of the module by its import path.
func layerOf(pkg string) layer {
	switch {
	case pkg == module, under(pkg, "ui"), under(pkg, "cli"):
		return frontEnd
	case under(pkg, "internal"), under(pkg, "assets"):
		return adapter
	}
	return core
}

// coreOrder ranks the packages of the procedure inside the core, from the
// top: a package imports only those ranked below it (papers, redaction →
// procedure → retention, incident → account → register), so that the
// procedure never reaches its papers nor the image code of the redaction,
// nor the retention rules the cases the procedure tells them about. A
// package below one of these directories has its rank.
var coreOrder = []string{"papers", "redaction", "procedure", "retention", "incident", "siteconfig", "account", "register"}

// coreRank is the rank of pkg in coreOrder, -1 when it has none.
func coreRank(pkg string) int {
	for i, d := range coreOrder {
		if under(pkg, d) {
			return i
		}
	}
	return -1
}

// frontEndOf names the front end a package belongs to ("main", "ui", "cli").
func frontEndOf(pkg string) string {
	if pkg == module {
		return "main"
	}
	return strings.SplitN(strings.TrimPrefix(pkg, module+"/"), "/", 2)[0]
}

// TestLayerOf pins the classification, including packages that do not exist
// yet, so the rule (not a list) decides where a new package sits.
func TestLayerOf(t *testing.T) {
	for _, tc := range []struct {
		pkg  string
		want layer
	}{
		{module, frontEnd},
		{module + "/ui", frontEnd},
		{module + "/ui/i18n", frontEnd},
		{module + "/ui/player", frontEnd}, // the window's own packages
		{module + "/ui/casework", frontEnd},
		{module + "/ui/settings", frontEnd},
		{module + "/cli", frontEnd},
		{module + "/register", core},
		{module + "/export", core},
		{module + "/anonymize", core},
		{module + "/anonymize/finalcheck", core}, // the final check, apart from the detector
		{module + "/vms", core},
		{module + "/vms/frigate", core},
		{module + "/procedure", core},      // a new core package
		{module + "/account", core},        // split out of the register
		{module + "/register/log", core},   // a split of the register
		{module + "/uikit", core},          // "ui" is a path element, not a prefix
		{module + "/internal/av", adapter}, // cgo wrapper
		{module + "/internal/demo/demotest", adapter},
		{module + "/assets", adapter},          // embedded files
		{module + "/vms/internal/fetch", core}, // belongs to vms
		{module + "/register/internal/x", core},
		{module + "/papers", core},
		{module + "/retention", core},
		{module + "/procedure/proceduretest", core},
	} {
		if got := layerOf(tc.pkg); got != tc.want {
			t.Errorf("layerOf(%s) = %v, want %v", tc.pkg, got, tc.want)
		}
	}
}

// pkgInfo is one package of `go list -deps`.
type pkgInfo struct {
	path     string
	standard bool
	imports  []string
}

// listDeps runs `go list -deps` on the module with the build tags of the
// Makefile. A failure fails the test: a rule that silently checks nothing
// is worse than none.
func listDeps(t *testing.T) map[string]*pkgInfo {
	t.Helper()
	cmd := exec.Command("go", "list", "-tags", "customenv", "-deps",
		"-f", `{{.ImportPath}}	{{.Standard}}	{{join .Imports " "}}`, "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./...: %v\n%s", err, stderr.Bytes())
	}
	pkgs := make(map[string]*pkgInfo)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		pkgs[f[0]] = &pkgInfo{path: f[0], standard: f[1] == "true", imports: strings.Fields(f[2])}
	}
	for _, want := range []string{module, module + "/ui", module + "/cli", module + "/register", module + "/internal/av"} {
		if pkgs[want] == nil {
			t.Fatalf("go list did not list %s: the rules would check nothing", want)
		}
	}
	return pkgs
}

// ours lists the module's packages, sorted.
func ours(pkgs map[string]*pkgInfo) []*pkgInfo {
	var l []*pkgInfo
	for p, info := range pkgs {
		if isOurs(p) {
			l = append(l, info)
		}
	}
	sort.Slice(l, func(i, j int) bool { return l[i].path < l[j].path })
	return l
}

// isOurs reports whether imp is a package of the module.
func isOurs(imp string) bool { return imp == module || strings.HasPrefix(imp, module+"/") }

// rule checks the dependency graph and returns one message per violation.
type rule struct {
	name  string
	check func(pkgs map[string]*pkgInfo) []string
}

// wrapperRules: each foreign library with cgo or a GUI is imported by its
// wrapper only.
var wrapperRules = []struct {
	prefix  string
	allowed func(pkg string) bool
	who     string
}{
	{"fyne.io/fyne/v2/app", func(p string) bool { return p == module }, "main"},
	{"fyne.io/", func(p string) bool { return p == module || under(p, "ui") }, "main and ui/"},
	{"gocv.io/", func(p string) bool { return p == module+"/internal/cv" }, "internal/cv"},
	{"github.com/asticode/go-astiav", func(p string) bool { return p == module+"/internal/av" }, "internal/av"},
}

var rules = []rule{
	// Imports only go down: front end → core → adapters.
	{"imports_go_down", func(pkgs map[string]*pkgInfo) (bad []string) {
		for _, p := range ours(pkgs) {
			from := layerOf(p.path)
			for _, imp := range p.imports {
				if isOurs(imp) && layerOf(imp) < from {
					bad = append(bad, fmt.Sprintf("%s (%v) imports %s (%v): imports go front end → core → adapters only", p.path, from, imp, layerOf(imp)))
				}
			}
		}
		return bad
	}},
	// Two front ends on one core: ui and cli never import each other; main
	// wires them.
	{"front_ends_apart", func(pkgs map[string]*pkgInfo) (bad []string) {
		for _, p := range ours(pkgs) {
			if layerOf(p.path) != frontEnd || p.path == module {
				continue
			}
			for _, imp := range p.imports {
				if isOurs(imp) && layerOf(imp) == frontEnd && frontEndOf(imp) != frontEndOf(p.path) {
					bad = append(bad, fmt.Sprintf("%s imports %s: front ends share the core, not each other", p.path, imp))
				}
			}
		}
		return bad
	}},
	// Inside the core, the procedure's packages import down coreOrder only.
	{"core_order", func(pkgs map[string]*pkgInfo) (bad []string) {
		for _, p := range ours(pkgs) {
			from := coreRank(p.path)
			for _, imp := range p.imports {
				if to := coreRank(imp); from >= 0 && to >= 0 && to < from {
					bad = append(bad, fmt.Sprintf("%s imports %s: the core goes %s, never back", p.path, imp, strings.Join(coreOrder, " → ")))
				}
			}
		}
		return bad
	}},
	{"wrappers", func(pkgs map[string]*pkgInfo) (bad []string) {
		for _, p := range ours(pkgs) {
			for _, imp := range p.imports {
				for _, r := range wrapperRules {
					if strings.HasPrefix(imp, r.prefix) && !r.allowed(p.path) {
						bad = append(bad, fmt.Sprintf("%s imports %s: only %s may", p.path, imp, r.who))
					}
				}
			}
		}
		return bad
	}},
	// The core and the adapters never depend on the GUI, even through a
	// third-party package.
	{"no_gui_below_front_ends", func(pkgs map[string]*pkgInfo) (bad []string) {
		for _, p := range ours(pkgs) {
			if layerOf(p.path) == frontEnd {
				continue
			}
			if path := reach(pkgs, p.path, func(d string) bool { return strings.HasPrefix(d, "fyne.io/") }); path != nil {
				bad = append(bad, fmt.Sprintf("%s depends on Fyne: %s", p.path, strings.Join(path, " → ")))
			}
		}
		return bad
	}},
	// The window reaches the adapters through the core only; the player
	// (ui/player) and the review's rendering (ui/review) may keep
	// internal/av (issue 14 point 1). Fails on main at b53b62c: ui/
	// imports internal/sheet and internal/workdir until the core prints the
	// sheet and owns the work folder.
	{"ui_uses_core_not_sheet_workdir_aeszip", func(pkgs map[string]*pkgInfo) (bad []string) {
		for _, p := range ours(pkgs) {
			if !under(p.path, "ui") {
				continue
			}
			for _, imp := range p.imports {
				for _, f := range []string{"internal/sheet", "internal/workdir", "internal/aeszip"} {
					if under(imp, f) {
						bad = append(bad, fmt.Sprintf("%s imports %s: the window must go through the core", p.path, imp))
					}
				}
			}
		}
		return bad
	}},
}

// TestLayering enforces the layers and the wrapper packages on the module's
// real import graph (STYLE.md points 1 and 2; issue 14 point 5).
func TestLayering(t *testing.T) {
	pkgs := listDeps(t)
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			for _, msg := range r.check(pkgs) {
				t.Error(msg)
			}
		})
	}
}

// TestRulesFire proves each rule catches the import it forbids, on a small
// made-up graph (a rule that never fires would pass forever).
func TestRulesFire(t *testing.T) {
	m := func(p string) string { return module + "/" + p }
	for _, tc := range []struct {
		rule     string
		from, to string
	}{
		{"imports_go_down", m("internal/sheet"), m("register")},
		{"imports_go_down", m("internal/av"), m("vms")},
		{"imports_go_down", m("procedure"), m("ui")},
		{"imports_go_down", m("assets"), m("cli")},
		{"core_order", m("retention"), m("procedure")},
		{"core_order", m("procedure"), m("papers")},
		{"core_order", m("procedure"), m("redaction")},
		{"core_order", m("incident"), m("procedure")},
		{"core_order", m("register"), m("retention")},
		{"core_order", m("procedure/proceduretest"), m("papers")},
		{"front_ends_apart", m("cli"), m("ui/i18n")},
		{"front_ends_apart", m("ui"), m("cli")},
		{"wrappers", m("ui"), "fyne.io/fyne/v2/app"},
		{"wrappers", m("export"), "fyne.io/fyne/v2"},
		{"wrappers", m("anonymize"), "gocv.io/x/gocv"},
		{"wrappers", m("internal/demo"), "github.com/asticode/go-astiav"},
		{"no_gui_below_front_ends", m("register"), "example.com/widgets"},
		{"ui_uses_core_not_sheet_workdir_aeszip", m("ui"), m("internal/aeszip")},
	} {
		pkgs := map[string]*pkgInfo{
			tc.from:               {path: tc.from, imports: []string{tc.to}},
			tc.to:                 {path: tc.to},
			"example.com/widgets": {path: "example.com/widgets", imports: []string{"fyne.io/fyne/v2"}},
		}
		var fired []string
		for _, r := range rules {
			if len(r.check(pkgs)) > 0 {
				fired = append(fired, r.name)
			}
		}
		if !slices.Contains(fired, tc.rule) {
			t.Errorf("%s → %s: rule %s did not fire (fired: %v)", tc.from, tc.to, tc.rule, fired)
		}
	}
	// The allowed shape raises nothing.
	ok := map[string]*pkgInfo{
		module:            {path: module, imports: []string{m("ui"), m("cli"), "fyne.io/fyne/v2/app"}},
		m("ui"):           {path: m("ui"), imports: []string{m("register"), m("internal/av"), "fyne.io/fyne/v2"}},
		m("cli"):          {path: m("cli"), imports: []string{m("register"), m("internal/cv")}},
		m("register"):     {path: m("register"), imports: []string{m("export"), m("internal/sheet")}},
		m("papers"):       {path: m("papers"), imports: []string{m("procedure"), m("retention"), m("register")}},
		m("procedure"):    {path: m("procedure"), imports: []string{m("retention"), m("register"), m("export")}},
		m("retention"):    {path: m("retention"), imports: []string{m("register"), m("internal/workdir")}},
		m("vms/frigate"):  {path: m("vms/frigate"), imports: []string{m("vms"), m("vms/internal/fetch")}},
		m("internal/cv"):  {path: m("internal/cv"), imports: []string{"gocv.io/x/gocv", m("internal/tfjs")}},
		m("internal/av"):  {path: m("internal/av"), imports: []string{"github.com/asticode/go-astiav"}},
		"fyne.io/fyne/v2": {path: "fyne.io/fyne/v2"},
	}
	for _, r := range rules {
		if bad := r.check(ok); len(bad) > 0 {
			t.Errorf("rule %s fires on an allowed graph: %v", r.name, bad)
		}
	}
}

// reach returns an import path from pkg to the first dependency matching
// target, or nil.
func reach(pkgs map[string]*pkgInfo, pkg string, target func(string) bool) []string {
	seen := map[string]bool{}
	var walk func(p string) []string
	walk = func(p string) []string {
		if seen[p] {
			return nil
		}
		seen[p] = true
		info := pkgs[p]
		if info == nil || info.standard {
			return nil
		}
		for _, imp := range info.imports {
			if target(imp) {
				return []string{p, imp}
			}
			if rest := walk(imp); rest != nil {
				return append([]string{p}, rest...)
			}
		}
		return nil
	}
	return walk(pkg)
}
