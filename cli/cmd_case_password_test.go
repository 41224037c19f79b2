package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
)

// authorizedCase files an incident request as the operator and has the
// security manager, another person, authorize it (R-AUTH-1, R-SOD-1).
func (c *cliRun) authorizedCase() string {
	c.t.Helper()
	n := strings.TrimSpace(c.ok(cliOp, "case", "new", "--reason", "incident", "--detail", "vol",
		"--requester", "Chef de poste", "--contact", "poste 12", "--recipient", "Commissariat de Créteil",
		"--from", rfc(demotest.Start.Add(10*time.Second)), "--to", rfc(demotest.Start.Add(14*time.Second)), "--camera", "entree",
		"--justification", "Vol constaté à l'accueil", "--as", "o.martin"))
	c.ok(cliOp, "case", "confirm", n, "--how", "téléphone", "--with", "le chef de poste", "--as", "o.martin")
	c.ok(cliRS, "case", "authorize", n, "--note", "vu", "--as", "rs.bernard")
	return n
}

// The archive password goes to the terminal only, or to the descriptor
// the caller names (--password-fd); a redirected standard output never
// receives it, and without a terminal or a descriptor the export is
// refused before anything is written or recorded (R-ENC-2, issue #15
// door 10).
func TestCaseExportPasswordDestination(t *testing.T) {
	src := "folder:" + demotest.Archive(t)
	c := newCLI(t)
	c.setup()
	export := func(n, out string, extra ...string) []string {
		return append([]string{"case", "export", n, "--source", src, "--out", out, "--as", "o.martin"}, extra...)
	}

	// Redirected stdout, no descriptor: refused up front.
	n := c.authorizedCase()
	out := filepath.Join(t.TempDir(), "refused")
	c.fail(1, "shown only on a terminal", cliOp, export(n, out)...)
	c.fail(1, "descriptor 9 given to --password-fd is not open", cliOp, export(n, out, "--password-fd", "9")...)
	c.fail(1, "descriptor -1", cliOp, export(n, out, "--password-fd", "-1")...)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused export created its folder: %v", err)
	}
	if show := c.ok(cliRS, "case", "show", n, "--as", "rs.bernard"); strings.Contains(show, "case.export") {
		t.Fatalf("a refused export is in the register:\n%s", show)
	}

	// --password-fd 3: the password on descriptor 3 and nowhere else.
	code, stdout, stderr := c.run(cliOp, export(n, filepath.Join(t.TempDir(), "fd"), "--password-fd", "3")...)
	if code != 0 {
		t.Fatalf("export with --password-fd 3: exit %d\n%s%s", code, stdout, stderr)
	}
	pw := c.password()
	if strings.Contains(stdout+stderr, pw) || !strings.Contains(stdout, "written to descriptor 3") {
		t.Fatalf("the password leaked, or stdout does not say where it went:\n%s%s", stdout, stderr)
	}

	// Stdout is a terminal: the password is shown there, once.
	c.terminal = true
	code, stdout, stderr = c.run(cliOp, export(c.authorizedCase(), filepath.Join(t.TempDir(), "tty"))...)
	if code != 0 {
		t.Fatalf("export on a terminal: exit %d\n%s%s", code, stdout, stderr)
	}
	if c.fd3.Len() != 0 || !strings.Contains(stdout, "password (shown once") || strings.Count(stdout, "password") != 1 {
		t.Fatalf("password on the terminal:\n%s", stdout)
	}
}
