package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// DemoUsers creates the demo accounts through the register API once, and
// prints the same accounts at every start.
func TestDemoUsers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := procedure.Open(ctx, dir, register.Options{Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var first, second bytes.Buffer
	if err := DemoUsers(ctx, s, &first); err != nil {
		t.Fatal(err)
	}
	if err := DemoUsers(ctx, s, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("the accounts printed differ:\n%s\n%s", first.String(), second.String())
	}
	for _, acc := range demoAccounts {
		var pw string
		for _, line := range strings.Split(first.String(), "\n") {
			f := strings.Fields(line)
			if len(f) == 3 && f[0] == acc.name {
				pw = f[2]
			}
		}
		sess, err := s.Login(ctx, acc.name, pw)
		if err != nil {
			t.Fatalf("login %s with the printed password: %v", acc.name, err)
		}
		if sess.Role != acc.role {
			t.Errorf("%s has role %s", acc.name, sess.Role)
		}
		sess.Close()
	}
	if fi, err := os.Stat(filepath.Join(dir, DemoUsersFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("demo accounts file: %v %v", fi, err)
	}
}

// demo-register makes the demo register beside a demo archive (never in
// $MILEO_DATA), and refuses a folder that is not a demo archive or a
// register that is not the demo's.
func TestDemoRegisterCommand(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "demo-vms")
	if err := os.CopyFS(archive, os.DirFS(demotest.Archive(t))); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	out := c.ok("", "demo-register", archive)
	data := DemoDataDir(archive)
	if !strings.Contains(out, data) || !strings.Contains(out, "security_manager") {
		t.Fatalf("demo-register:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(c.data, "register.db")); !os.IsNotExist(err) {
		t.Errorf("demo-register used $MILEO_DATA: %v", err)
	}
	if again := c.ok("", "demo-register", archive); again != out {
		t.Errorf("second run prints other accounts:\n%s\n%s", out, again)
	}
	c.fail(1, "not a demo archive", "", "demo-register", t.TempDir())
	c.setup() // a real register
	c.fail(1, "not the demo's", "", "demo-register", archive, "--data", c.data)
}
