package register

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

// R-REG-2: with entries spread over several read and signature batches and
// signed by several keys, verify still names each bad entry exactly.
func TestVerifyAcrossBatches(t *testing.T) {
	f := newFixture(t)
	signers := []*Signer{f.op.signer(), f.rs.signer(), f.dpo.signer()}
	total := 2*readBatch + 50
	for n := countEntries(t, f); n < total; {
		err := f.s.Write(f.ctx, func(tx *sql.Tx) error {
			for i := 0; i < 1000 && n < total; i++ {
				if _, err := f.s.AppendTx(f.ctx, tx, signers[n%len(signers)], Record{Action: "incident", Subject: "EXT-2026-0001",
					Data: map[string]string{"kind": "other", "case": "EXT-2026-0001", "detail": "charge"}}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The progress climbs batch by batch to all the entries, and a
	// cancelled verification stops with the context's error (a long job
	// shows its progress and can be cancelled; issue #20).
	var steps [][2]int64
	if rep := f.verify(VerifyOptions{OnProgress: func(done, all int64) { steps = append(steps, [2]int64{done, all}) }}); rep.Entries != int64(total) {
		t.Fatalf("%d entries, want %d", rep.Entries, total)
	}
	if len(steps) < 3 || steps[len(steps)-1] != [2]int64{int64(total), int64(total)} {
		t.Fatalf("progress %v", steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i][0] <= steps[i-1][0] {
			t.Fatalf("progress goes back: %v", steps)
		}
	}
	ctx, cancel := context.WithCancel(f.ctx)
	if _, err := f.s.Verify(ctx, VerifyOptions{OnProgress: func(int64, int64) { cancel() }}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled verification: %v", err)
	}
	db := rawDB(t, f.dir)
	badSig := int64(readBatch + 7)
	var sig []byte
	if err := db.QueryRow(`SELECT sig FROM entries WHERE seq = ?`, badSig).Scan(&sig); err != nil {
		t.Fatal(err)
	}
	sig[5] ^= 1
	mustExec(t, db, `UPDATE entries SET sig = ? WHERE seq = ?`, sig, badSig)
	badSig2 := int64(2*readBatch + 3)
	mustExec(t, db, `UPDATE entries SET sig = (SELECT sig FROM entries WHERE seq = ?) WHERE seq = ?`, badSig2-1, badSig2)
	wantVerifyError(t, f, VerifyOptions{}, badSig, ErrTampered)
	rep, _ := f.s.Verify(f.ctx, VerifyOptions{})
	var named []int64
	for _, p := range rep.Problems {
		named = append(named, p.Seq)
	}
	if len(named) != 2 || named[0] != badSig || named[1] != badSig2 {
		t.Fatalf("problems at %v, want [%d %d]", named, badSig, badSig2)
	}
}

func countEntries(t *testing.T, f *fixture) int {
	var n int
	if err := f.s.rdb.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
