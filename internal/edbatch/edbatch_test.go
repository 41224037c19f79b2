package edbatch

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"filippo.io/edwards25519"
)

// signer is a test key made from a deterministic seed.
type signer struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newSigner(seed byte) signer {
	s := make([]byte, ed25519.SeedSize)
	s[0] = seed
	priv := ed25519.NewKeyFromSeed(s)
	return signer{pub: priv.Public().(ed25519.PublicKey), priv: priv}
}

// validItems returns n signatures by keys signers, round robin, on
// distinct messages.
func validItems(n, signers int) []Item {
	keys := make([]signer, signers)
	for i := range keys {
		keys[i] = newSigner(byte(i + 1))
	}
	items := make([]Item, n)
	for i := range items {
		k := keys[i%signers]
		msg := fmt.Appendf(nil, "entry %d", i)
		items[i] = Item{PublicKey: k.pub, Message: msg, Signature: ed25519.Sign(k.priv, msg)}
	}
	return items
}

// clone deep-copies items so that a test can flip bits in one.
func clone(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = Item{PublicKey: slices.Clone(it.PublicKey), Message: slices.Clone(it.Message), Signature: slices.Clone(it.Signature)}
	}
	return out
}

func TestValidBatches(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7, 64, 255, 256, 257, 1024} {
		for _, signers := range []int{1, 3, 50} {
			t.Run(fmt.Sprintf("n=%d/keys=%d", n, signers), func(t *testing.T) {
				items := validItems(n, signers)
				if !Verify(items) {
					t.Fatal("valid batch refused")
				}
				if bad := Invalid(items); bad != nil {
					t.Fatalf("Invalid = %v, want nil", bad)
				}
			})
		}
	}
}

func TestEmptyBatch(t *testing.T) {
	if !Verify(nil) || Invalid(nil) != nil || !Verify([]Item{}) {
		t.Fatal("empty batch is not valid")
	}
}

// R-REG-2: every single bit flipped in a signature, a message or a key is
// caught, and the right item is named (verify names the entry from it).
func TestBitFlipNamed(t *testing.T) {
	base := validItems(16, 2)
	rng := rand.New(rand.NewPCG(1, 2))
	fields := []struct {
		name string
		get  func(*Item) []byte
	}{
		{"signature", func(it *Item) []byte { return it.Signature }},
		{"message", func(it *Item) []byte { return it.Message }},
		{"key", func(it *Item) []byte { return it.PublicKey }},
	}
	for _, f := range fields {
		n := len(f.get(&base[0])) * 8
		for bit := range n {
			t.Run(fmt.Sprintf("%s/bit%d", f.name, bit), func(t *testing.T) {
				items := clone(base)
				victim := rng.IntN(len(items))
				b := f.get(&items[victim])
				b[bit/8] ^= 1 << (bit % 8)
				if Verify(items) {
					t.Fatal("batch with a flipped bit accepted")
				}
				if bad := Invalid(items); !slices.Equal(bad, []int{victim}) {
					t.Fatalf("Invalid = %v, want [%d]", bad, victim)
				}
			})
		}
	}
}

// R-REG-2: several bad items in one batch are all named, and only they.
func TestSeveralBad(t *testing.T) {
	items := clone(validItems(300, 3))
	want := []int{0, 17, 150, 299}
	for _, i := range want {
		items[i].Message = append(items[i].Message, '!')
	}
	if got := Invalid(items); !slices.Equal(got, want) {
		t.Fatalf("Invalid = %v, want %v", got, want)
	}
}

// l is the order of the prime subgroup, little-endian.
var l = []byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}

// addLE returns a + b (little-endian, 32 bytes, carry dropped).
func addLE(a, b []byte) []byte {
	out := make([]byte, 32)
	c := 0
	for i := range out {
		c += int(a[i]) + int(b[i])
		out[i] = byte(c)
		c >>= 8
	}
	return out
}

func TestMalformed(t *testing.T) {
	good := validItems(4, 1)
	identity := make([]byte, 32)
	identity[0] = 1
	nonCanonicalY := bytes.Repeat([]byte{0xff}, 32) // y = 2²⁵⁵−1 ≥ p
	nonCanonicalY[31] = 0x7f
	tests := []struct {
		name   string
		mutate func(it *Item)
		stdlib bool // crypto/ed25519.Verify accepts it
	}{
		{"short signature", func(it *Item) { it.Signature = it.Signature[:63] }, false},
		{"long signature", func(it *Item) { it.Signature = append(it.Signature, 0) }, false},
		{"short key", func(it *Item) { it.PublicKey = it.PublicKey[:31] }, false},
		{"nil key", func(it *Item) { it.PublicKey = nil }, false},
		{"s + l (non-canonical s)", func(it *Item) {
			copy(it.Signature[32:], addLE(it.Signature[32:], l))
		}, false},
		{"s = 2²⁵⁶−1", func(it *Item) { copy(it.Signature[32:], bytes.Repeat([]byte{0xff}, 32)) }, false},
		{"R not on the curve", func(it *Item) { copy(it.Signature[:32], undecodable(t)) }, false},
		{"R with y ≥ p", func(it *Item) { copy(it.Signature[:32], nonCanonicalY) }, false},
		{"R = identity", func(it *Item) { copy(it.Signature[:32], identity) }, false},
		{"key not on the curve", func(it *Item) { it.PublicKey = undecodable(t) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := clone(good)
			tt.mutate(&items[2])
			if Verify(items) {
				t.Fatal("accepted")
			}
			if got := Invalid(items); !slices.Equal(got, []int{2}) {
				t.Fatalf("Invalid = %v, want [2]", got)
			}
			if VerifyOne(&items[2]) {
				t.Fatal("VerifyOne accepted")
			}
			if len(items[2].PublicKey) != ed25519.PublicKeySize {
				return // crypto/ed25519.Verify panics
			}
			if got := ed25519.Verify(items[2].PublicKey, items[2].Message, items[2].Signature); got != tt.stdlib {
				t.Fatalf("crypto/ed25519.Verify = %v, test says %v", got, tt.stdlib)
			}
		})
	}
}

// undecodable returns a 32-byte string that is not a point encoding.
func undecodable(t *testing.T) []byte {
	b := make([]byte, 32)
	for y := byte(2); ; y++ {
		b[0] = y
		if _, err := new(edwards25519.Point).SetBytes(b); err != nil {
			return b
		}
	}
}

// The eight points of small order, as keys and as R: crypto/ed25519
// accepts forgeries with a small-order key (s = 0, R = identity verifies
// any message); this package refuses them.
func TestSmallOrder(t *testing.T) {
	seen := map[string]bool{}
	for i, enc := range smallOrder {
		p, err := new(edwards25519.Point).SetBytes(enc[:])
		if err != nil {
			t.Fatalf("small-order point %d does not decode: %v", i, err)
		}
		if !isSmallOrder(p) || !bytes.Equal(p.Bytes(), enc[:]) {
			t.Fatalf("point %d %x is not a canonical point of small order", i, enc)
		}
		seen[string(enc[:])] = true
	}
	if len(seen) != 8 {
		t.Fatalf("%d distinct small-order points, want 8", len(seen))
	}
	good := validItems(3, 1)
	for i, enc := range smallOrder {
		t.Run(fmt.Sprintf("key%d", i), func(t *testing.T) {
			// A forgery that crypto/ed25519 accepts for the identity key.
			sig := make([]byte, 64)
			copy(sig, smallOrder[0][:])
			items := append(clone(good), Item{PublicKey: enc[:], Message: []byte("anything"), Signature: sig})
			if i == 0 && !ed25519.Verify(enc[:], []byte("anything"), sig) {
				t.Fatal("crypto/ed25519 refuses the identity-key forgery: the test is wrong")
			}
			if Verify(items) || !slices.Equal(Invalid(items), []int{3}) {
				t.Fatal("small-order key accepted")
			}
		})
		t.Run(fmt.Sprintf("R%d", i), func(t *testing.T) {
			items := clone(good)
			copy(items[1].Signature[:32], enc[:])
			if Verify(items) || !slices.Equal(Invalid(items), []int{1}) {
				t.Fatal("small-order R accepted")
			}
		})
	}
	// x = 0 with the sign bit set: a non-canonical encoding of a
	// small-order point, refused as R.
	items := clone(good)
	neg := smallOrder[0]
	neg[31] |= 0x80
	copy(items[0].Signature[:32], neg[:])
	if Verify(items) || !slices.Equal(Invalid(items), []int{0}) {
		t.Fatal("R = −0 accepted")
	}
}

// A signature whose R carries a small-order component: cofactored
// verification accepts it, crypto/ed25519 (cofactorless) refuses it. The
// verdict must not depend on the batch the item falls in.
func TestTorsionComponent(t *testing.T) {
	k := newSigner(9)
	h := sha512.Sum512(k.priv.Seed())
	a, err := edwards25519.NewScalar().SetBytesWithClamping(h[:32])
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("torsion")
	var rb [64]byte
	rb[0] = 42
	r, _ := edwards25519.NewScalar().SetUniformBytes(rb[:])
	T, _ := new(edwards25519.Point).SetBytes(smallOrder[1][:])
	R := new(edwards25519.Point).ScalarBaseMult(r)
	R.Add(R, T)
	kh := sha512.New()
	kh.Write(R.Bytes())
	kh.Write(k.pub)
	kh.Write(msg)
	kk, _ := edwards25519.NewScalar().SetUniformBytes(kh.Sum(nil))
	s := edwards25519.NewScalar().MultiplyAdd(kk, a, r)
	sig := append(R.Bytes(), s.Bytes()...)
	if ed25519.Verify(k.pub, msg, sig) {
		t.Fatal("crypto/ed25519 accepts: the test is wrong")
	}
	it := Item{PublicKey: k.pub, Message: msg, Signature: sig}
	if !VerifyOne(&it) {
		t.Fatal("VerifyOne refuses a cofactored-valid signature")
	}
	good := validItems(5, 1)
	if !Verify(append(clone(good), it)) {
		t.Fatal("batch refuses a cofactored-valid signature")
	}
	bad := clone(good)
	bad[0].Message[0] ^= 1
	if got := Invalid(append(bad, it)); !slices.Equal(got, []int{0}) {
		t.Fatalf("Invalid = %v, want [0] only", got)
	}
}

// On random valid and invalid signatures, the verdict is that of
// crypto/ed25519.
func TestAgreesWithStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 40 {
		n := 1 + rng.IntN(40)
		items := clone(validItems(n, 1+rng.IntN(4)))
		for i := range items {
			switch rng.IntN(6) {
			case 0:
				items[i].Signature[rng.IntN(64)] ^= byte(1 + rng.IntN(255))
			case 1:
				items[i].Message = append(items[i].Message, byte(rng.IntN(256)))
			case 2:
				items[i].PublicKey[rng.IntN(32)] ^= byte(1 + rng.IntN(255))
			case 3:
				// random garbage
				sig := make([]byte, 64)
				for j := range sig {
					sig[j] = byte(rng.IntN(256))
				}
				items[i].Signature = sig
			}
		}
		var want []int
		for i, it := range items {
			if !ed25519.Verify(it.PublicKey, it.Message, it.Signature) {
				want = append(want, i)
			}
		}
		if got := Invalid(items); !slices.Equal(got, want) {
			t.Fatalf("round %d: Invalid = %v, crypto/ed25519 says %v", round, got, want)
		}
		if got := Verify(items); got != (want == nil) {
			t.Fatalf("round %d: Verify = %v, crypto/ed25519 says %v", round, got, want == nil)
		}
	}
}

// The bucket multiplication agrees with the library's
// VarTimeMultiScalarMult on random points and scalars, for every window
// width the cost model can pick.
func TestMSM(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 5, 31, 100, 700} {
		qs := make([]niels, n)
		zs := make([][2]uint64, n)
		scalars := make([]*edwards25519.Scalar, n)
		points := make([]*edwards25519.Point, n)
		for i := range n {
			var seed [64]byte
			for j := range seed {
				seed[j] = byte(rng.IntN(256))
			}
			r, _ := edwards25519.NewScalar().SetUniformBytes(seed[:])
			points[i] = new(edwards25519.Point).ScalarBaseMult(r)
			if !decodeR(&qs[i], points[i].Bytes()) {
				t.Fatal("decodeR refused a valid point")
			}
			zs[i] = [2]uint64{rng.Uint64(), rng.Uint64()}
			if i == 0 {
				zs[i] = [2]uint64{^uint64(0), ^uint64(0)} // all digits carry
			}
			var zb [32]byte
			for j := range 8 {
				zb[j] = byte(zs[i][0] >> (8 * j))
				zb[8+j] = byte(zs[i][1] >> (8 * j))
			}
			scalars[i], _ = edwards25519.NewScalar().SetCanonicalBytes(zb[:])
		}
		want := new(edwards25519.Point).VarTimeMultiScalarMult(scalars, points)
		var got extended
		msm(&got, qs, zs)
		gp, err := new(edwards25519.Point).SetExtendedCoordinates(&got.X, &got.Y, &got.Z, &got.T)
		if err != nil {
			t.Fatalf("n=%d: result not on the curve", n)
		}
		if gp.Equal(want) != 1 {
			t.Fatalf("n=%d (c=%d): msm differs from VarTimeMultiScalarMult", n, windowBits(n))
		}
	}
}

func TestWindowBits(t *testing.T) {
	prev := 0
	for _, n := range []int{1, 8, 64, 256, 1024, 4096, 1 << 16} {
		c := windowBits(n)
		if c < 2 || c > 16 || c < prev {
			t.Fatalf("windowBits(%d) = %d", n, c)
		}
		prev = c
	}
}

// mulByL returns [l]p by double-and-add over the bits of l.
func mulByL(p *extended) *extended {
	var acc extended
	acc.identity()
	for i := 252; i >= 0; i-- {
		acc.doubleN(1)
		if l[i/8]>>(i%8)&1 == 1 {
			acc.addExtended(p)
		}
	}
	return &acc
}

func TestMulByL(t *testing.T) {
	var q niels
	g := edwards25519.NewGeneratorPoint()
	if !decodeR(&q, g.Bytes()) {
		t.Fatal("generator refused")
	}
	var p extended
	p.fromNiels(&q, false)
	if !mulByL(&p).isIdentity() {
		t.Fatal("[l]B is not the identity")
	}
	T, _ := new(edwards25519.Point).SetBytes(smallOrder[1][:])
	var te extended
	te.fromPoint(T)
	p.addExtended(&te)
	if mulByL(&p).isIdentity() {
		t.Fatal("[l](B+T) is the identity")
	}
}

// A key with a small-order component (not of small order itself):
// cofactored verification accepts its holder's signatures, crypto/ed25519
// refuses most of them; the verdict is the same in and out of a batch.
func TestKeyTorsionComponent(t *testing.T) {
	k := newSigner(11)
	h := sha512.Sum512(k.priv.Seed())
	a, _ := edwards25519.NewScalar().SetBytesWithClamping(h[:32])
	T, _ := new(edwards25519.Point).SetBytes(smallOrder[3][:])
	A := new(edwards25519.Point).ScalarBaseMult(a)
	A.Add(A, T)
	pub := A.Bytes()
	for i := range 16 {
		msg := fmt.Appendf(nil, "key torsion %d", i)
		var rb [64]byte
		rb[0] = byte(i + 1)
		r, _ := edwards25519.NewScalar().SetUniformBytes(rb[:])
		R := new(edwards25519.Point).ScalarBaseMult(r)
		kh := sha512.New()
		kh.Write(R.Bytes())
		kh.Write(pub)
		kh.Write(msg)
		kk, _ := edwards25519.NewScalar().SetUniformBytes(kh.Sum(nil))
		sig := append(R.Bytes(), edwards25519.NewScalar().MultiplyAdd(kk, a, r).Bytes()...)
		if ed25519.Verify(pub, msg, sig) {
			continue // k ≡ 0 (mod 8): both accept
		}
		it := Item{PublicKey: pub, Message: msg, Signature: sig}
		if !VerifyOne(&it) || !Verify(append(validItems(4, 2), it)) || Invalid(append(validItems(4, 2), it)) != nil {
			t.Fatal("cofactored-valid signature refused")
		}
		return
	}
	t.Fatal("crypto/ed25519 accepted every signature: the test is wrong")
}
