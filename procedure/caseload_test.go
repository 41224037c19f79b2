package procedure_test

import (
	"errors"
	"testing"

	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// R-REG-2: loading a case checks the hashes and the signatures of its
// entries (in one batch) and names the lowest entry at fault.
func TestCaseLoadChecksEntries(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, f *proceduretest.Fixture, seqs []int64) int64
	}{
		{"one bit of a signature", func(t *testing.T, f *proceduretest.Fixture, seqs []int64) int64 {
			db := proceduretest.RawDB(t, f.Dir)
			var sig []byte
			if err := db.QueryRow(`SELECT sig FROM entries WHERE seq = ?`, seqs[1]).Scan(&sig); err != nil {
				t.Fatal(err)
			}
			sig[40] ^= 0x10
			proceduretest.MustExec(t, db, `UPDATE entries SET sig = ? WHERE seq = ?`, sig, seqs[1])
			return seqs[1]
		}},
		{"bad signature before an edited hash", func(t *testing.T, f *proceduretest.Fixture, seqs []int64) int64 {
			db := proceduretest.RawDB(t, f.Dir)
			proceduretest.MustExec(t, db, `UPDATE entries SET sig = zeroblob(64) WHERE seq = ?`, seqs[0])
			proceduretest.MustExec(t, db, `UPDATE entries SET hash = zeroblob(32) WHERE seq = ?`, seqs[2])
			return seqs[0]
		}},
		{"edited hash before a bad signature", func(t *testing.T, f *proceduretest.Fixture, seqs []int64) int64 {
			db := proceduretest.RawDB(t, f.Dir)
			proceduretest.MustExec(t, db, `UPDATE entries SET hash = zeroblob(32) WHERE seq = ?`, seqs[0])
			proceduretest.MustExec(t, db, `UPDATE entries SET sig = zeroblob(64) WHERE seq = ?`, seqs[2])
			return seqs[0]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := proceduretest.New(t)
			c := f.NewCase(ReasonInsurance)
			if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, "accord"); err != nil {
				t.Fatal(err)
			}
			c, err := f.Store.Cases.Get(f.Ctx, f.Op, c.Number)
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
			_, err = f.Store.Cases.Get(f.Ctx, f.Op, c.Number)
			var ve *register.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, register.ErrTampered) || ve.Seq != want {
				t.Fatalf("load: %v, want entry %d tampered", err, want)
			}
		})
	}
}
