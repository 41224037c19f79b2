package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
