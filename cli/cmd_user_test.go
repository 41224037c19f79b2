package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// cliRun runs one command with the given environment variables and
// returns its exit code, stdout and stderr.
type cliRun struct {
	t    *testing.T
	data string
	vars map[string]string
	// fd3 receives what a command writes to --password-fd 3.
	fd3 bytes.Buffer
	// terminal makes stdout a terminal.
	terminal bool
}

func newCLI(t *testing.T) *cliRun {
	// English, so that errors read as their English detail; the French
	// default is tested by TestCLISpeaksFrench.
	return &cliRun{t: t, data: t.TempDir(), vars: map[string]string{"LANG": "en_GB.UTF-8"}}
}

func (c *cliRun) run(pw string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now, StdoutIsTerminal: c.terminal,
		Getenv: func(k string) string {
			switch k {
			case "MILEO_DATA":
				return c.data
			case "MILEO_PASSWORD":
				return pw
			}
			return c.vars[k]
		},
		OpenFD: func(n int) (io.WriteCloser, error) {
			if n != 3 {
				return nil, fmt.Errorf("descriptor %d is not open", n)
			}
			return nopCloser{&c.fd3}, nil
		}}
	code := Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// password returns the archive password the last export wrote to
// --password-fd 3, and forgets it.
func (c *cliRun) password() string {
	c.t.Helper()
	pw := strings.TrimSpace(c.fd3.String())
	c.fd3.Reset()
	if len(pw) < 16 || strings.ContainsAny(pw, " \n") {
		c.t.Fatalf("no password on descriptor 3: %q", pw)
	}
	return pw
}

// ok runs a command that must succeed.
func (c *cliRun) ok(pw string, args ...string) string {
	c.t.Helper()
	code, out, errb := c.run(pw, args...)
	if code != 0 {
		c.t.Fatalf("mileo-extract %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errb)
	}
	return out
}

// fail runs a command that must fail with exit code want and one clear
// sentence containing msg on stderr.
func (c *cliRun) fail(want int, msg string, pw string, args ...string) {
	c.t.Helper()
	code, out, errb := c.run(pw, args...)
	if code != want || !strings.Contains(errb, msg) {
		c.t.Fatalf("mileo-extract %s: exit %d (want %d), stderr %q (want %q)\n%s", strings.Join(args, " "), code, want, errb, msg, out)
	}
	if first := strings.SplitN(strings.TrimSpace(errb), "\n", 2)[0]; !strings.HasPrefix(first, "mileo-extract ") {
		c.t.Fatalf("error not on one line: %q", errb)
	}
}

const (
	cliAdmin = "Gestion-Comptes-9!"
	cliOp    = "Camera-Salle-42!"
	cliRS    = "Secur1ty-Chef-77!"
	cliDPO   = "Prot3ction-Donnees!"
)

// setup initializes a register with an administrator, an operator, a
// security manager and a DPO, through the CLI.
// okFR is ok with the CLI in French (no LANG), for the tests that read
// its French output.
func (c *cliRun) okFR(pw string, args ...string) string {
	c.t.Helper()
	lang := c.vars["LANG"]
	delete(c.vars, "LANG")
	defer func() { c.vars["LANG"] = lang }()
	return c.ok(pw, args...)
}

func (c *cliRun) setup() {
	c.t.Helper()
	c.ok(cliAdmin, "init", "--admin", "admin", "--site", "Entrepôt Sud — Créteil")
	for _, u := range []struct{ name, role, pw string }{
		{"o.martin", "operator", cliOp}, {"rs.bernard", "security_manager", cliRS}, {"dpo.leroy", "dpo", cliDPO},
	} {
		c.enroll(u.name, u.role, u.pw)
	}
}

// oneTimeRE finds the one-time password that user add and user reset print.
var oneTimeRE = regexp.MustCompile(`(?m): (\S{16})$`)

// oneTime returns the one-time password printed in out.
func (c *cliRun) oneTime(out string) string {
	c.t.Helper()
	m := oneTimeRE.FindStringSubmatch(out)
	if m == nil {
		c.t.Fatalf("no one-time password in %q", out)
	}
	return m[1]
}

// enroll adds an account as the administrator and goes through its first
// login, where the person sets pw (R-KEY-1).
func (c *cliRun) enroll(name, role, pw string) {
	c.t.Helper()
	otp := c.oneTime(c.ok(cliAdmin, "user", "add", name, "--role", role, "--as", "admin"))
	c.vars["MILEO_NEW_PASSWORD"] = pw
	c.ok(otp, "user", "passwd", "--as", name)
	delete(c.vars, "MILEO_NEW_PASSWORD")
}

func TestCLIInitAndUsers(t *testing.T) {
	c := newCLI(t)
	// The first run creates the administrator, never with a default or
	// weak password.
	c.fail(1, "no terminal to read the new password from: set MILEO_PASSWORD", "", "init", "--admin", "admin", "--site", "S")
	c.fail(1, "at least 12 characters", "motdepasse", "init", "--admin", "admin", "--site", "S")
	c.fail(2, "--admin NAME and --site NAME are required", cliAdmin, "init", "--admin", "admin")
	c.fail(1, "not initialized", cliAdmin, "user", "list", "--as", "admin")
	c.setup()
	c.fail(1, "already initialized", cliAdmin, "init", "--admin", "root", "--site", "S")
	out := c.ok(cliOp, "user", "list", "--as", "o.martin")
	for _, w := range []string{"admin", "o.martin", "rs.bernard", "dpo.leroy", "security_manager"} {
		if !strings.Contains(out, w) {
			t.Errorf("user list lacks %q:\n%s", w, out)
		}
	}
	c.fail(2, "--as NAME is required", cliOp, "user", "list")
	c.fail(1, "wrong user name or password", "nope", "user", "list", "--as", "o.martin")
	c.fail(1, "may not manage users", cliOp, "user", "add", "x.y", "--role", "operator", "--as", "o.martin")
	c.fail(1, "unknown role", cliAdmin, "user", "add", "x.y", "--role", "boss", "--as", "admin")
	c.ok(cliAdmin, "user", "disable", "dpo.leroy", "--reason", "départ", "--as", "admin")
	c.fail(1, "is disabled", cliDPO, "user", "list", "--as", "dpo.leroy")
	// Lock-out after 5 failures; the administrator unlocks.
	for i := 0; i < 4; i++ {
		c.fail(1, "wrong user name or password", "bad", "user", "list", "--as", "rs.bernard")
	}
	c.fail(1, "locked", "bad", "user", "list", "--as", "rs.bernard")
	c.fail(1, "locked", cliRS, "user", "list", "--as", "rs.bernard")
	c.ok(cliAdmin, "user", "unlock", "rs.bernard", "--as", "admin")
	c.ok(cliRS, "user", "list", "--as", "rs.bernard")
	c.fail(2, "user has no \"rename\"", cliAdmin, "user", "rename", "x")
	if out := c.okFR("", "register", "verify"); !strings.Contains(out, "registre intègre") {
		t.Fatalf("verify: %s", out)
	}

}

// The CLI speaks French by default and English with LANG=en*: the core's
// errors are printed from the catalogue, not as their English detail (issue
// 14, point 3).
func TestCLISpeaksFrench(t *testing.T) {
	c := newCLI(t)
	delete(c.vars, "LANG")
	c.fail(1, "Le registre n'est pas initialisé : lancez d'abord `mileo-extract init`.", cliAdmin, "user", "list", "--as", "admin")
	c.setup()
	c.fail(1, "Nom d'utilisateur ou mot de passe incorrect.", "nope", "user", "list", "--as", "o.martin")
	c.fail(1, "Un utilisateur de rôle opérateur ne peut pas consulter et exporter tout le registre.", cliOp,
		"register", "export", "--pdf", filepath.Join(t.TempDir(), "r.pdf"), "--as", "o.martin")
	c.fail(2, "commande inconnue « rename-all »", cliAdmin, "rename-all")
	if code, out, _ := c.run("", "help"); code != 0 || !strings.Contains(out, "Sans argument, l'application de bureau démarre.") {
		t.Fatalf("help in French: %d %q", code, out)
	}
	c.vars["LANG"] = "en_US.UTF-8"
	c.fail(1, "wrong user name or password", "nope", "user", "list", "--as", "o.martin")
}

// R-KEY-1 through the command line: the one-time password of a new or
// reset account does nothing but set the person's own password (user
// passwd); a reset revokes the old key; the person changes their password
// with the current one.
func TestCLIOneTimePasswordAndPasswd(t *testing.T) {
	c := newCLI(t)
	c.setup()
	otp := c.oneTime(c.ok(cliAdmin, "user", "add", "d.petit", "--role", "delegate", "--as", "admin"))
	c.fail(1, "must first choose their own password", otp, "case", "list", "--as", "d.petit")
	if out := c.ok(cliAdmin, "user", "list", "--as", "admin"); !strings.Contains(out, "en attente de son mot de passe") {
		t.Fatalf("list: %s", out)
	}
	c.vars["MILEO_NEW_PASSWORD"] = otp
	c.fail(1, "other than the one-time password", otp, "user", "passwd", "--as", "d.petit")
	const own = "Delegue-Perso-2027"
	c.vars["MILEO_NEW_PASSWORD"] = own
	if out := c.ok(otp, "user", "passwd", "--as", "d.petit"); !strings.Contains(out, "chose their password") {
		t.Fatalf("first password: %s", out)
	}
	c.fail(1, "wrong user name or password", otp, "user", "list", "--as", "d.petit")
	c.ok(own, "user", "list", "--as", "d.petit")
	// Own password change, given the current one.
	c.vars["MILEO_NEW_PASSWORD"] = "Delegue-Perso-2028"
	if out := c.ok(own, "user", "passwd", "--as", "d.petit"); !strings.Contains(out, "password of d.petit changed") {
		t.Fatalf("passwd: %s", out)
	}
	delete(c.vars, "MILEO_NEW_PASSWORD")
	// A reset gives a new one-time password and revokes the key.
	c.fail(1, "does not reset their own account", cliAdmin, "user", "reset", "admin", "--as", "admin")
	out := c.ok(cliAdmin, "user", "reset", "d.petit", "--as", "admin")
	if !strings.Contains(out, "signing key is revoked") {
		t.Fatalf("reset: %s", out)
	}
	otp = c.oneTime(out)
	c.fail(1, "wrong user name or password", "Delegue-Perso-2028", "user", "list", "--as", "d.petit")
	c.fail(1, "must first choose their own password", otp, "user", "list", "--as", "d.petit")
	c.ok("", "register", "verify")
}
