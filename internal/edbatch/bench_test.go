package edbatch

import (
	"crypto/ed25519"
	"fmt"
	"testing"
)

// BenchmarkVerify reports the cost per signature of a batch (ns/sig) and,
// for comparison, of crypto/ed25519.Verify one by one.
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
