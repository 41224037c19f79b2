package register

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// A SQLite register copied into an empty PostgreSQL register verifies
// there with the same entries, head and checkpoints; a second copy into
// the now non-empty register is refused (R-REG-1).
func TestCopyToPostgres(t *testing.T) {
	f := newFixture(t)
	doc := []byte("signed receipt")
	sum := sha256.Sum256(doc)
	if _, err := f.s.AppendOne(f.ctx, f.op.signer(), Record{Action: "case.attach", Subject: "EXT-2026-0001",
		Data:     AttachData{Name: "r.pdf", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(doc)), Kind: "receipt"},
		Personal: map[string]string{"name": "Jeanne Dupont"},
		Attach:   &Document{Name: "r.pdf", Data: doc, Sum: sum}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if err := appendIncident(f.ctx, f.s, f.op, "before the move"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.WriteCheckpoint(f.ctx); err != nil {
		t.Fatal(err)
	}
	before := f.verify(VerifyOptions{})

	d := PGDatabase(t)
	dst := openStoreURL(t, f.dir, d.AppURL, f.clock)
	n, err := f.s.CopyTo(f.ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if n != before.Entries {
		t.Fatalf("copied %d entries, want %d", n, before.Entries)
	}
	after, err := dst.Verify(f.ctx, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after.Entries != before.Entries || !bytes.Equal(after.Head, before.Head) || after.Largest != before.Largest {
		t.Fatalf("after the copy: %d entries, head %x, checkpoint %d; before: %d, %x, %d",
			after.Entries, after.Head, after.Largest, before.Entries, before.Head, before.Largest)
	}
	// The shared register goes on from there.
	if err := appendIncident(f.ctx, dst, f.op, "after the move"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CopyTo(f.ctx, dst); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("copy into a non-empty register: %v", err)
	}
}
