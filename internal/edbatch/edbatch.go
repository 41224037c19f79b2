package edbatch

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"hash"

	"filippo.io/edwards25519"
)

// Item is one signature to check.
type Item struct {
	PublicKey []byte // Ed25519 public key, 32 bytes
	Message   []byte
	Signature []byte // 64 bytes: R ‖ s
}

// Verify reports whether every item is a valid signature (see the package
// documentation), checking them all in one batch. An empty batch is valid.
func Verify(items []Item) bool {
	if len(items) == 1 {
		return VerifyOne(&items[0]) // cheaper than a batch of one
	}
	b := newBatch(len(items))
	for i := range items {
		if !b.add(&items[i]) {
			return false
		}
	}
	return b.check()
}

// Invalid returns the indices of the items that are not valid signatures,
// in increasing order, or nil when all are valid. Items that are malformed
// (length, non-canonical s, undecodable or small-order A or R) are named
// at once; the others are checked in one batch and, only if the batch
// fails, one by one.
func Invalid(items []Item) []int {
	if len(items) == 1 {
		if VerifyOne(&items[0]) {
			return nil
		}
		return []int{0}
	}
	b := newBatch(len(items))
	var bad []int
	for i := range items {
		if !b.add(&items[i]) {
			bad = append(bad, i)
		}
	}
	if b.check() {
		return bad
	}
	bad = bad[:0]
	for i := range items {
		if !VerifyOne(&items[i]) {
			bad = append(bad, i)
		}
	}
	return bad
}

// VerifyOne checks a single item: crypto/ed25519.Verify after the checks of
// the package documentation, then, for a signature crypto/ed25519 refuses,
// the cofactored equation, so that the verdict is the one a batch gives.
func VerifyOne(it *Item) bool {
	b := newBatch(1)
	if !b.add(it) {
		return false
	}
	if ed25519.Verify(it.PublicKey, it.Message, it.Signature) {
		return true
	}
	return b.check()
}

// batch accumulates the terms of the batch equation.
type batch struct {
	h       hash.Hash
	rnd     []byte // 16 random bytes per item
	keyIdx  map[[32]byte]int
	lastKey []byte
	last    int
	keys    []*edwards25519.Point  // decoded A, one per distinct key
	coeffs  []*edwards25519.Scalar // Σ z_i·k_i per key
	sum     edwards25519.Scalar    // Σ z_i·s_i
	rs      []niels
	zs      [][2]uint64
}

func newBatch(n int) *batch {
	b := &batch{h: sha512.New(), rnd: make([]byte, 16*n), keyIdx: map[[32]byte]int{},
		rs: make([]niels, 0, n), zs: make([][2]uint64, 0, n)}
	rand.Read(b.rnd) // never fails (crypto/rand)
	return b
}

// key returns the index of the public key pub, decoding it the first time.
func (b *batch) key(pub []byte) (int, bool) {
	if b.lastKey != nil && string(pub) == string(b.lastKey) {
		return b.last, true
	}
	k := [32]byte(pub)
	i, ok := b.keyIdx[k]
	if !ok {
		p, err := new(edwards25519.Point).SetBytes(pub)
		if err != nil || isSmallOrder(p) {
			return 0, false
		}
		i = len(b.keys)
		b.keyIdx[k] = i
		b.keys = append(b.keys, p)
		b.coeffs = append(b.coeffs, edwards25519.NewScalar())
	}
	b.lastKey, b.last = pub, i
	return i, true
}

// add adds the terms of one item, or reports it malformed.
func (b *batch) add(it *Item) bool {
	pub, sig := it.PublicKey, it.Signature
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	var s edwards25519.Scalar
	if _, err := s.SetCanonicalBytes(sig[32:]); err != nil {
		return false
	}
	ki, ok := b.key(pub)
	if !ok {
		return false
	}
	var r niels
	if !decodeR(&r, sig[:32]) {
		return false
	}
	var digest [64]byte
	b.h.Reset()
	b.h.Write(sig[:32])
	b.h.Write(pub)
	b.h.Write(it.Message)
	var k edwards25519.Scalar
	k.SetUniformBytes(b.h.Sum(digest[:0]))

	zb := b.rnd[16*len(b.rs):][:16]
	var zbuf [32]byte
	copy(zbuf[:], zb)
	var z edwards25519.Scalar
	z.SetCanonicalBytes(zbuf[:]) // < 2¹²⁸ < l
	b.sum.MultiplyAdd(&z, &s, &b.sum)
	b.coeffs[ki].MultiplyAdd(&z, &k, b.coeffs[ki])
	b.rs = append(b.rs, r)
	b.zs = append(b.zs, [2]uint64{binary.LittleEndian.Uint64(zb[:8]), binary.LittleEndian.Uint64(zb[8:])})
	return true
}

// check evaluates [8](−(Σ z_i s_i)·B + Σ z_i·R_i + Σ c_A·A) = identity.
func (b *batch) check() bool {
	if len(b.rs) == 0 {
		return true
	}
	var negS edwards25519.Scalar
	negS.Negate(&b.sum)
	var q edwards25519.Point
	if len(b.keys) == 1 {
		q.VarTimeDoubleScalarBaseMult(b.coeffs[0], b.keys[0], &negS)
	} else {
		scalars := append(append([]*edwards25519.Scalar(nil), b.coeffs...), &negS)
		points := append(append([]*edwards25519.Point(nil), b.keys...), edwards25519.NewGeneratorPoint())
		q.VarTimeMultiScalarMult(scalars, points)
	}
	var total, qe extended
	msm(&total, b.rs, b.zs)
	qe.fromPoint(&q)
	total.addExtended(&qe)
	total.doubleN(3)
	return total.isIdentity()
}
