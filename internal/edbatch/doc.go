// Package edbatch verifies many Ed25519 signatures at once, several times
// faster than checking them one by one with crypto/ed25519, and names the
// bad ones exactly.
//
// # Equation
//
// For signatures (R_i, s_i) by keys A_i on messages M_i, with
// k_i = SHA-512(R_i ‖ A_i ‖ M_i) mod l and fresh random 128-bit
// coefficients z_i from crypto/rand, a batch is valid when
//
//	[8]( −(Σ z_i s_i)·B + Σ z_i·R_i + Σ_A (Σ_{i: A_i = A} z_i k_i)·A ) = identity
//
// the cofactored verification equation of RFC 8032 §5.1.7, summed with
// random weights. The A terms are merged per distinct public key, so a
// batch signed by a few keys costs one decompression and one 256-bit
// multiplication per key; the R terms are summed with a bucket
// (Pippenger) multi-scalar multiplication over 128-bit scalars, written on
// filippo.io/edwards25519/field. A batch that holds one invalid signature
// passes with probability at most 2⁻¹²⁸.
//
// # What is valid
//
// An item is valid when its key is 32 bytes and its signature 64 bytes,
// s < l (canonical), A decodes to a curve point as crypto/ed25519 decodes
// it, R is the canonical encoding of a curve point, neither A nor R is one
// of the eight points of small order, and the cofactored equation
// [8](s·B − R − k·A) = identity holds. This is what crypto/ed25519 accepts,
// with two differences that honest signers never meet: a key or an R of
// small order is refused (crypto/ed25519 accepts them; with such a key
// anyone can forge), and a signature whose key or R carries a small-order
// component is accepted (crypto/ed25519, which is cofactorless, refuses
// it; only the holder of the private key can make one). Signatures made by
// crypto/ed25519.Sign with keys from crypto/ed25519 are always valid here.
//
// # Naming the bad items
//
// [Invalid] checks the batch and, only if it fails, judges each item on its
// own: crypto/ed25519.Verify first, and for the items it refuses, the
// cofactored equation for that item alone, so that the answer never
// depends on the batch an item falls in. The only signatures accepted that
// crypto/ed25519 refuses are those of the previous section, which only the
// holder of the private key can make: never one made by
// crypto/ed25519.Sign.
//
// # Test vectors
//
// Besides its own tests, the package is checked against two external sets
// in testdata/, each with its source and licence: the 151 Ed25519 vectors
// of Wycheproof (the verdict of each, alone and in a batch, is Wycheproof's
// and crypto/ed25519's) and the 196 ZIP-215 edge cases (keys and R of small
// order, canonical or not; all refused here, while crypto/ed25519 accepts
// 12 of them).
//
// # Why it is written here
//
// Hand-written curve code is kept only because a measurement demands it.
// The maintained batch verifier of github.com/hdevalence/ed25519consensus
// (v0.2.0, also on filippo.io/edwards25519; the same fallback to
// crypto/ed25519 on a failed batch) was tried in its place in
// `register verify` on 2026-12-07, on this project's 2-core machine,
// alternating with this package (BenchmarkVerify100k in register,
// -benchtime 3x): 1.62–1.67 s and 3.18–3.28 CPU-s per verification of
// 100 000 entries in batches of 64 (1.86–2.38 s, 3.66–3.76 CPU-s in the
// register's batches of 2048), against 0.61–0.75 s and 1.20–1.39 CPU-s
// with this package: the goal of 1 s is missed even with both cores.
// Per signature (BenchmarkVerify here): 7.5 µs in a batch of 2048 with
// this package, 25–33 µs with ed25519consensus (it multiplies every key
// and every R by a full 253-bit scalar and merges no identical keys),
// 53 µs with crypto/ed25519.Verify. Measure again before replacing it.
package edbatch
