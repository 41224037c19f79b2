package register

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A second workstation on the shared register installs the site key that
// entry 1 names, and none other; it then signs checkpoints that verify on
// both workstations (R-REG-2).
func TestJoinSite(t *testing.T) {
	d := PGDatabase(t)
	a := newFixtureURL(t, d.AppURL)
	bdir := t.TempDir()
	b := openStoreURL(t, bdir, d.AppURL, a.clock)
	if b.Initialized() {
		t.Fatal("a workstation without the site key is initialized")
	}
	other := newFixture(t) // another site's key
	wrong, err := os.ReadFile(filepath.Join(other.dir, SiteKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.JoinSite(a.ctx, wrong); !errors.Is(err, ErrInvalid) {
		t.Fatalf("join with another site's key: %v", err)
	}
	// The data folder of another register cannot open this one: its
	// site key would sign entries that do not verify.
	if _, err := Open(a.ctx, other.dir, Options{URL: d.AppURL}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("open with another site's data folder: %v", err)
	}
	if err := b.JoinSite(a.ctx, []byte("not a key")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("join with garbage: %v", err)
	}
	key, err := os.ReadFile(filepath.Join(a.dir, SiteKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.JoinSite(a.ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := b.JoinSite(a.ctx, key); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("join twice: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(bdir, SiteKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("site key file: %v %v", fi, err)
	}
	if err := appendIncident(a.ctx, b, a.op, "from the second workstation"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.WriteCheckpoint(a.ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Store{a.s, b} {
		if _, err := s.Verify(a.ctx, VerifyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}
