package register

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"testing"
)

// BenchmarkAppend appends one entry through the public API (canonical
// encoding, signature, one SQLite transaction; the session and role checks
// are package account's).
// Goal: < 5 ms per entry.
func BenchmarkAppend(b *testing.B) {
	f := newFixture(b)
	b.ResetTimer()
	for b.Loop() {
		_, err := f.s.AppendOne(f.ctx, f.op.signer(), Record{Action: "incident", Subject: "EXT-2026-0001",
			Data: map[string]string{"kind": "other", "detail": "entrée de charge pour le banc d'essai"}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify100k verifies a register of 100 000 entries: chain,
// canonical decoding, role checks and every Ed25519 signature.
// Goal: < 1 s. It also reports the CPU time per verification (cpu-s/op,
// all threads), which stays meaningful when other jobs share the machine.
func BenchmarkVerify100k(b *testing.B) {
	dir := bigRegister(b)
	s, err := Open(context.Background(), dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	cpu := processCPU()
	defer func() {
		b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	}()
	for b.Loop() {
		rep, err := s.Verify(context.Background(), VerifyOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Entries != int64(bigSize) {
			b.Fatalf("%d entries", rep.Entries)
		}
	}
}

var (
	big     sync.Once
	bigDir  string
	bigErr  error
	bigSize = 100_000
)

// bigRegister builds once a register of 100 000 entries signed by a user
// key, written in batches for speed.
func bigRegister(b *testing.B) string {
	big.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "register-bench-")
		if bigErr != nil {
			return
		}
		ctx := context.Background()
		c := &clock{t: t0}
		s, err := Open(ctx, bigDir, Options{Now: c.Now})
		if err != nil {
			bigErr = err
			return
		}
		defer s.Close()
		admin := initStore(b, s, "Bench")
		sg := admin.signer()
		for n := 2; n < bigSize; {
			bigErr = s.Write(ctx, func(tx *sql.Tx) error {
				for i := 0; i < 5000 && n < bigSize; i++ {
					if _, err := s.AppendTx(ctx, tx, sg, Record{Action: "incident", Subject: "EXT-2026-0001",
						Data: map[string]string{"kind": "other", "case": "EXT-2026-0001", "detail": "entrée de charge pour le banc d'essai"}}); err != nil {
						return err
					}
					n++
				}
				return nil
			})
			if bigErr != nil {
				return
			}
		}
		_, bigErr = s.WriteCheckpoint(ctx)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDir
}
