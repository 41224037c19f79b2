package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/internal/pgserver"
)

// `register migrate --to` copies the SQLite register into an empty
// PostgreSQL register and verifies it; the commands then work on the shared
// register (--register or MILEO_REGISTER), and a second migration into it
// is refused (R-REG-1, R-REG-2).
func TestRegisterMigrate(t *testing.T) {
	ctx := context.Background()
	srv, err := pgserver.Start(ctx, pgserver.Options{})
	if errors.Is(err, pgserver.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	d, err := srv.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	c.setup()
	c.ok("", "register", "checkpoint")
	out := c.ok("", "register", "migrate", "--to", d.OwnerURL)
	if !strings.Contains(out, "verified") {
		t.Fatalf("migrate: %s", out)
	}
	// The shared register, by the flag and by the variable.
	if out := c.ok("", "--register", d.AppURL, "register", "verify"); !strings.Contains(out, "register intact") {
		t.Fatalf("verify: %s", out)
	}
	c.vars["MILEO_REGISTER"] = d.AppURL
	c.ok("", "register", "checkpoint")
	c.ok("", "register", "verify")
	delete(c.vars, "MILEO_REGISTER")
	c.fail(1, "not empty", "", "register", "migrate", "--to", d.OwnerURL)
	// A second workstation joins with the site key of the first.
	key := filepath.Join(c.data, "site.key")
	second := newCLI(t)
	second.vars["MILEO_REGISTER"] = d.AppURL
	second.ok("", "register", "join", "--site-key", key)
	second.ok("", "register", "checkpoint")
	second.fail(1, "already", "", "register", "join", "--site-key", key)
	// A remote server without verified TLS is refused before connecting.
	c.fail(1, "verify-full", "", "--register", "postgres://mileo_app@db.example.org/register", "register", "verify")
}

// A whole case on a shared register created from scratch: the register
// made by the owner, then accounts, request, authorization, export,
// delivery-free closing, purge and verification through the application's
// role only (R-REG-1; the same procedure as on SQLite).
func TestCaseOnSharedRegister(t *testing.T) {
	ctx := context.Background()
	srv, err := pgserver.Start(ctx, pgserver.Options{})
	if errors.Is(err, pgserver.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	d, err := srv.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src := "folder:" + demotest.Archive(t)
	c := newCLI(t)
	// The owner creates the register (docs/shared-register.md); the
	// application's role does everything else.
	c.ok(cliAdmin, "--register", d.OwnerURL, "init", "--admin", "admin", "--site", "Entrepôt Sud — Créteil")
	c.vars["MILEO_REGISTER"] = d.AppURL
	for _, u := range []struct{ name, role, pw string }{
		{"o.martin", "operator", cliOp}, {"rs.bernard", "security_manager", cliRS}, {"dpo.leroy", "dpo", cliDPO},
	} {
		c.enroll(u.name, u.role, u.pw)
	}
	n := c.authorizedCase()
	exp := filepath.Join(t.TempDir(), "export")
	c.ok(cliOp, "case", "export", n, "--source", src, "--out", exp, "--password-fd", "3", "--as", "o.martin")
	c.password()
	c.ok(cliOp, "case", "close", n, "--note", "la demande a été retirée", "--as", "o.martin")
	c.ok(cliOp, "case", "use-ended", n, "--note", "usage terminé", "--as", "o.martin")
	out := c.ok(cliOp, "purge", "due", "--as", "o.martin")
	cp := regexp.MustCompile(`CP-\d+`).FindString(out)
	// #21: each workstation's copies are tracked centrally with its name.
	host, _ := os.Hostname()
	if cp == "" || !strings.Contains(out, "POSTE") || (host != "" && !strings.Contains(out, host)) {
		t.Fatalf("purge due:\n%s", out)
	}
	c.ok(cliOp, "purge", "run", cp, "--as", "o.martin")
	c.ok(cliDPO, "register", "export", "--csv", filepath.Join(t.TempDir(), "registre.csv"), "--as", "dpo.leroy")
	if out := c.ok("", "register", "verify"); !strings.Contains(out, "register intact") {
		t.Fatalf("verify:\n%s", out)
	}
	// Nothing of the register went to the data folder.
	if _, err := os.Stat(filepath.Join(c.data, "register.db")); !os.IsNotExist(err) {
		t.Fatalf("a SQLite register appeared in the data folder: %v", err)
	}
}
