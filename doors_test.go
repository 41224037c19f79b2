package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/internal/privtest"
)

// TestMain runs the program itself, main() and all, when a test starts
// this test binary as a child with MILEO_MAIN_CHILD=1 (see program): the
// tests below drive the command line as a user does, through its real
// standard output, descriptors and process start-up.
func TestMain(m *testing.M) {
	if os.Getenv("MILEO_MAIN_CHILD") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// program is the command line run as a separate process in the French
// default, with a data folder and a password.
type program struct {
	t     *testing.T
	data  string
	newPW string // MILEO_NEW_PASSWORD, for user add
}

// run runs mileo-extract args with MILEO_PASSWORD=pw, stdout and stderr to
// files (never a terminal) and extra as descriptors 3, 4…, and returns the
// exit code, stdout and stderr.
func (p *program) run(pw string, extra []*os.File, args ...string) (int, string, string) {
	p.t.Helper()
	dir := p.t.TempDir()
	stdout, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer stderr.Close()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MILEO_MAIN_CHILD=1", "MILEO_DATA="+p.data, "MILEO_PASSWORD="+pw,
		"MILEO_NEW_PASSWORD="+p.newPW, "MILEO_WITNESS=", "LANG=fr_FR.UTF-8", "LC_ALL=", "LC_MESSAGES=")
	cmd.Stdin, cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = nil, stdout, stderr, extra
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("mileo-extract %s: %v", strings.Join(args, " "), err)
	}
	o, _ := os.ReadFile(stdout.Name())
	e, _ := os.ReadFile(stderr.Name())
	return code, string(o), string(e)
}

// ok runs a command that must succeed and returns its stdout.
func (p *program) ok(pw string, args ...string) string {
	p.t.Helper()
	code, out, errs := p.run(pw, nil, args...)
	if code != 0 {
		p.t.Fatalf("mileo-extract %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// enroll adds an account as the administrator, then goes through the
// person's first login with the one-time password, setting pw (R-KEY-1).
func (p *program) enroll(name, role, pw string) {
	p.t.Helper()
	m := regexp.MustCompile(`(?m): (\S{16})$`).FindStringSubmatch(p.ok(binAdmin, "user", "add", name, "--role", role, "--as", "admin"))
	if m == nil {
		p.t.Fatalf("no one-time password for %s", name)
	}
	p.newPW = pw
	p.ok(m[1], "user", "passwd", "--as", name)
}

const (
	binAdmin = "Gestion-Comptes-9!"
	binOp    = "Camera-Salle-42!"
	binRS    = "Secur1ty-Chef-77!"
)

// The free export of earlier versions, run as the program: refused in
// French with the rule and the way through a case, nothing written
// (issue #15 door 1; R-AUTH-1, R-ACC-1, R-ENC-1, R-REG-1, R-MIN-1).
func TestProgramExportDoorClosed(t *testing.T) {
	p := &program{t: t, data: filepath.Join(t.TempDir(), "data")}
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := p.run("", nil, "export", "--source", "folder:"+demotest.Archive(t), "--camera", "entree",
		"--from", demotest.Start.Format(time.RFC3339), "--to", demotest.Start.Add(10*time.Second).Format(time.RFC3339), "--out", out, "--encrypt")
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, want 1 and nothing", code, stdout)
	}
	for _, w := range []string{"mileo-extract export: La commande export n'existe plus", "dossier autorisé", "mileo-extract case export", "R-AUTH-1"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q: %s", w, stderr)
		}
	}
	for _, dir := range []string{out, p.data} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("the closed export created %s: %v", dir, err)
		}
	}
}

// A case exported by the program with its standard output redirected to
// a file: without --password-fd it is refused before anything is
// exported and no password exists anywhere; with --password-fd 3 the
// password is on descriptor 3 only, and opens the archive; a descriptor
// that is not open, or not for writing, is refused (R-ENC-2, issue #15
// door 10). Everything the program made, in the data folder and the
// export folder, is 0600 (files) or 0700 (folders).
func TestProgramCaseExportPasswordAndModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("descriptors and modes are Unix")
	}
	src := "folder:" + demotest.Archive(t)
	p := &program{t: t, data: filepath.Join(t.TempDir(), "data")}
	p.newPW = binAdmin
	p.ok(binAdmin, "init", "--admin", "admin", "--site", "Entrepôt Sud — Créteil")
	p.enroll("o.martin", "operator", binOp)
	p.enroll("rs.bernard", "security_manager", binRS)
	n := strings.TrimSpace(p.ok(binOp, "case", "new", "--reason", "incident", "--detail", "vol", "--requester", "Chef de poste",
		"--contact", "poste 12", "--recipient", "Commissariat de Créteil", "--from", demotest.Start.Add(10*time.Second).Format(time.RFC3339),
		"--to", demotest.Start.Add(14*time.Second).Format(time.RFC3339), "--camera", "entree", "--justification", "Vol à l'accueil", "--as", "o.martin"))
	p.ok(binOp, "case", "confirm", n, "--how", "téléphone", "--with", "le chef de poste", "--as", "o.martin")
	p.ok(binRS, "case", "authorize", n, "--note", "vu", "--as", "rs.bernard")
	exports := filepath.Join(t.TempDir(), "exports")
	export := func(out string, extra ...string) []string {
		return append([]string{"case", "export", n, "--source", src, "--out", filepath.Join(exports, out), "--as", "o.martin"}, extra...)
	}

	code, stdout, stderr := p.run(binOp, nil, export("refused")...)
	if code != 1 || !strings.Contains(stderr, "ne s'affiche que sur un terminal") || !strings.Contains(stderr, "--password-fd") {
		t.Fatalf("stdout redirected, no --password-fd: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(exports, "refused")); !os.IsNotExist(err) {
		t.Fatalf("the refused export created its folder: %v", err)
	}
	readOnly, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()
	code, _, stderr = p.run(binOp, []*os.File{readOnly}, export("refused", "--password-fd", "3")...)
	if code != 1 || !strings.Contains(stderr, "descripteur 3") {
		t.Fatalf("--password-fd on a read-only descriptor: exit %d\n%s", code, stderr)
	}
	code, _, stderr = p.run(binOp, nil, export("refused", "--password-fd", "4")...)
	if code != 1 || !strings.Contains(stderr, "descripteur 4") {
		t.Fatalf("--password-fd on a closed descriptor: exit %d\n%s", code, stderr)
	}

	fd3, err := os.Create(filepath.Join(t.TempDir(), "fd3"))
	if err != nil {
		t.Fatal(err)
	}
	defer fd3.Close()
	code, stdout, stderr = p.run(binOp, []*os.File{fd3}, export(n, "--password-fd", "3")...)
	if code != 0 {
		t.Fatalf("case export --password-fd 3: exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(fd3.Name())
	if err != nil {
		t.Fatal(err)
	}
	pw := strings.TrimSuffix(string(b), "\n")
	if len(pw) < 16 || strings.ContainsAny(pw, " \n") {
		t.Fatalf("descriptor 3 holds %q, want the password alone", b)
	}
	if strings.Contains(stdout+stderr, pw) || !strings.Contains(stdout, "écrit sur le descripteur 3") {
		t.Fatalf("the password is in the redirected output, or stdout does not say where it went:\n%s%s", stdout, stderr)
	}
	archive := filepath.Join(exports, n, "archive.zip")
	if _, err := exec.LookPath("7z"); err == nil {
		if out, err := exec.Command("7z", "t", "-p"+pw, archive).CombinedOutput(); err != nil {
			t.Fatalf("7z t with the password of descriptor 3: %v\n%s", err, out)
		}
	}
	p.ok(binRS, "register", "sheet", n, "--out", filepath.Join(exports, "fiche.pdf"), "--as", "rs.bernard")
	p.ok("", "register", "checkpoint", "--out", filepath.Join(exports, "checkpoint.txt"))
	for _, dir := range []string{p.data, exports} {
		if c := privtest.CheckPrivate(t, dir); c < 4 {
			t.Errorf("%s: only %d files and folders", dir, c)
		}
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(pw)) {
					t.Errorf("the password is in %s", path)
				}
			}
			return nil
		})
	}
}
