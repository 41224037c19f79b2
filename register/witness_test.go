package register

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Truncating the newest entries together with their checkpoints in the
// data folder passes a verify that looks only there; a witness kept
// outside the data folder catches it, and the report says how recent the
// newest witness is (R-REG-2 rev.; issue 16).
func TestWitnessCatchesTruncation(t *testing.T) {
	ctx := context.Background()
	dir, wit := t.TempDir(), t.TempDir()
	c := &clock{t: t0}
	s, err := Open(ctx, dir, Options{Now: c.Now, Software: "test", WitnessDir: wit})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin := initStore(t, s, "Entrepôt Sud")
	var before *Checkpoint
	for i := range 4 {
		if err := appendIncident(ctx, s, admin, "entrée"); err != nil {
			t.Fatal(err)
		}
		cp, err := s.WriteCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			before = cp
		}
	}
	rep, err := s.Verify(ctx, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Witness == nil || rep.Witness.Size != rep.Entries {
		t.Fatalf("newest witness %+v for %d entries", rep.Witness, rep.Entries)
	}

	// The insider removes the newest entries and their checkpoints.
	db := rawDB(t, dir)
	mustExec(t, db, `DELETE FROM entries WHERE seq > ?`, before.Size)
	mustExec(t, db, `DELETE FROM checkpoints WHERE size > ?`, before.Size)
	files, _ := filepath.Glob(filepath.Join(dir, CheckpointDir, "*.note"))
	for _, f := range files {
		if cp, err := ParseCheckpointNote(mustRead(t, f)); err == nil && cp.Size > before.Size {
			os.Remove(f)
		}
	}
	blind, err := Open(ctx, dir, Options{Software: "test", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer blind.Close()
	if rep, err := blind.Verify(ctx, VerifyOptions{}); err != nil || rep.Witness != nil {
		t.Fatalf("without a witness the truncation is not provable, and the report must say there is no witness: %+v %v", rep.Witness, err)
	}
	seeing, err := Open(ctx, dir, Options{Software: "test", ReadOnly: true, WitnessDir: wit})
	if err != nil {
		t.Fatal(err)
	}
	defer seeing.Close()
	if _, err := seeing.Verify(ctx, VerifyOptions{}); !errors.Is(err, ErrTruncated) {
		t.Fatalf("truncation with a witness: %v", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An unreachable witness folder does not fail the step that writes a
// checkpoint: verify then reports an old witness (R-REG-2 rev.).
func TestUnreachableWitness(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	blocked := filepath.Join(t.TempDir(), "share")
	if err := os.WriteFile(blocked, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dir, Options{Software: "test", WitnessDir: blocked})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	initStore(t, s, "Entrepôt Sud")
	if _, err := s.WriteCheckpoint(ctx); err != nil {
		t.Fatalf("checkpoint with an unreachable witness: %v", err)
	}
	rep, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || rep.Witness != nil {
		t.Fatalf("witness %+v: %v", rep.Witness, err)
	}
}
