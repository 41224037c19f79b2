package cli

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `register verify` never writes to the register it checks: every file of
// the data folder is byte-identical afterwards, and it works on a register
// it may only read (R-REG-2; issue 16).
func TestVerifyIsReadOnly(t *testing.T) {
	c := newCLI(t)
	c.setup()
	snapshot := func() map[string][32]byte {
		m := map[string][32]byte{}
		filepath.WalkDir(c.data, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				m[strings.TrimPrefix(p, c.data)] = sha256.Sum256(b)
			}
			return nil
		})
		return m
	}
	// Leave nothing pending in the write-ahead log of the setup, then leave
	// what a crashed job leaves: a clear preview folder, which any other
	// command sweeps and records.
	c.ok(cliAdmin, "register", "verify")
	if err := os.MkdirAll(filepath.Join(c.data, "preview"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.data, "preview", "clip.mp4"), []byte("clear footage"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot()
	out := c.okFR("", "register", "verify")
	if !strings.Contains(out, "registre intègre") {
		t.Fatalf("verify: %s", out)
	}
	after := snapshot()
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("verify changed %s", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("verify created %s", name)
		}
	}
	// A register the verifier may only read.
	if os.Getuid() != 0 {
		db := filepath.Join(c.data, "register.db")
		if err := os.Chmod(db, 0o400); err != nil {
			t.Fatal(err)
		}
		c.ok("", "register", "verify")
	}
}

// `register verify` says how recent the newest witness kept outside the
// data folder is, or that there is none (R-REG-2 rev.; issue 16).
func TestVerifyReportsWitness(t *testing.T) {
	c := newCLI(t)
	c.setup()
	if out := c.okFR("", "register", "verify"); !strings.Contains(out, "aucun témoin hors du dossier de données") {
		t.Fatalf("no witness not said:\n%s", out)
	}
	c.vars["MILEO_WITNESS"] = t.TempDir()
	// A request writes a checkpoint, and its witness.
	c.ok(cliOp, "case", "new", "--reason", "insurance", "--requester", "M. Leroy", "--contact", "01 02", "--recipient", "Assureur",
		"--from", "2026-11-23T09:00:00+01:00", "--to", "2026-11-23T09:01:00+01:00", "--camera", "entree",
		"--justification", "sinistre n° 42", "--as", "o.martin")
	out := c.okFR("", "register", "verify")
	if !strings.Contains(out, "témoin extérieur le plus récent") || !strings.Contains(out, "il y a 0 jours") {
		t.Fatalf("witness not reported:\n%s", out)
	}
}
