package edbatch

import (
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/hdevalence/ed25519consensus"
)

// BenchmarkVerify reports the cost per signature of a batch (ns/sig) and,
// for comparison, of crypto/ed25519.Verify one by one and of the batch
// verifier of github.com/hdevalence/ed25519consensus (the measurement that
// keeps this package: see the package documentation).
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{1, 64, 256, 1024, 2048, 4096} {
		items := validItems(n, 1)
		b.Run(fmt.Sprintf("batch/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if !Verify(items) {
					b.Fatal("refused")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sig")
		})
	}
	for _, n := range []int{64, 2048} {
		items := validItems(n, 1)
		b.Run(fmt.Sprintf("ed25519consensus/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				v := ed25519consensus.NewPreallocatedBatchVerifier(n)
				for _, it := range items {
					v.Add(it.PublicKey, it.Message, it.Signature)
				}
				if !v.Verify() {
					b.Fatal("refused")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sig")
		})
	}
	items := validItems(64, 1)
	b.Run("crypto/ed25519", func(b *testing.B) {
		for b.Loop() {
			for _, it := range items {
				if !ed25519.Verify(it.PublicKey, it.Message, it.Signature) {
					b.Fatal("refused")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(items)), "ns/sig")
	})
}
