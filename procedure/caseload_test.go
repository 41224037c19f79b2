package procedure

import (
	"errors"
	"mileo.tech/extract/register"
	"testing"
)

// R-REG-2: loading a case checks the hashes and the signatures of its
// entries (in one batch) and names the lowest entry at fault.
func TestCaseLoadChecksEntries(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, f *fixture, seqs []int64) int64
	}{
		{"one bit of a signature", func(t *testing.T, f *fixture, seqs []int64) int64 {
			db := rawDB(t, f.dir)
			var sig []byte
			if err := db.QueryRow(`SELECT sig FROM entries WHERE seq = ?`, seqs[1]).Scan(&sig); err != nil {
				t.Fatal(err)
			}
			sig[40] ^= 0x10
			mustExec(t, db, `UPDATE entries SET sig = ? WHERE seq = ?`, sig, seqs[1])
			return seqs[1]
		}},
		{"bad signature before an edited hash", func(t *testing.T, f *fixture, seqs []int64) int64 {
			db := rawDB(t, f.dir)
			mustExec(t, db, `UPDATE entries SET sig = zeroblob(64) WHERE seq = ?`, seqs[0])
			mustExec(t, db, `UPDATE entries SET hash = zeroblob(32) WHERE seq = ?`, seqs[2])
			return seqs[0]
		}},
		{"edited hash before a bad signature", func(t *testing.T, f *fixture, seqs []int64) int64 {
			db := rawDB(t, f.dir)
			mustExec(t, db, `UPDATE entries SET hash = zeroblob(32) WHERE seq = ?`, seqs[0])
			mustExec(t, db, `UPDATE entries SET sig = zeroblob(64) WHERE seq = ?`, seqs[2])
			return seqs[0]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c := f.newCase(ReasonInsurance)
			if _, err := f.s.Cases.Authorize(f.ctx, f.rs, c.Number, "accord"); err != nil {
				t.Fatal(err)
			}
			c, err := f.s.Cases.Get(f.ctx, f.op, c.Number)
			if err != nil {
				t.Fatal(err)
			}
			var seqs []int64
			for _, e := range c.Entries {
				seqs = append(seqs, e.Seq)
			}
			if len(seqs) < 3 {
				t.Fatalf("%d entries", len(seqs))
			}
			want := tt.tamper(t, f, seqs)
			_, err = f.s.Cases.Get(f.ctx, f.op, c.Number)
			var ve *register.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, register.ErrTampered) || ve.Seq != want {
				t.Fatalf("load: %v, want entry %d tampered", err, want)
			}
		})
	}
}
