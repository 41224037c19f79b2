package register

import (
	"errors"
	"testing"
)

// A checkpoint not signed by the site key is reported, not trusted.
func TestForeignCheckpointRejected(t *testing.T) {
	f := newFixture(t)
	other, _, _ := newSiteKey()
	cp := &Checkpoint{Origin: checkpointOrigin + other.id, Size: 999, Hash: make([]byte, 32), Time: t0}
	msg, err := signNote(cp, other)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.Verify(f.ctx, VerifyOptions{Checkpoints: [][]byte{msg}})
	if !errors.Is(err, ErrTampered) || errors.Is(err, ErrTruncated) {
		t.Fatalf("foreign checkpoint: %v", err)
	}
}
