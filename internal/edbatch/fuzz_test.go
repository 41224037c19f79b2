package edbatch

import (
	"crypto/ed25519"
	"slices"
	"testing"

	"filippo.io/edwards25519"
)

// FuzzInvalid fuzzes a batch of three signatures whose middle one comes
// from the fuzzer (key, message and signature are outside data): nothing
// panics, the batch verdict is the per-item one, and an item is valid
// exactly when crypto/ed25519 accepts it, except for the documented
// small-order cases.
func FuzzInvalid(f *testing.F) {
	good := validItems(3, 2)
	f.Add([]byte(good[1].PublicKey), good[1].Message, good[1].Signature)
	f.Add([]byte(good[0].PublicKey), good[1].Message, good[1].Signature)
	f.Add([]byte(good[1].PublicKey), []byte("other"), good[1].Signature)
	f.Add(smallOrder[0][:], []byte("anything"), append(smallOrder[0][:], make([]byte, 32)...))
	f.Add([]byte{}, []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, key, msg, sig []byte) {
		items := clone(good)
		items[1] = Item{PublicKey: key, Message: msg, Signature: sig}
		one := VerifyOne(&items[1])
		var want []int
		if !one {
			want = []int{1}
		}
		if got := Invalid(items); !slices.Equal(got, want) {
			t.Fatalf("Invalid = %v, VerifyOne = %v", got, one)
		}
		if Verify(items) != one {
			t.Fatalf("Verify = %v, VerifyOne = %v", !one, one)
		}
		if len(key) != ed25519.PublicKeySize {
			return
		}
		std := ed25519.Verify(key, msg, sig)
		if one && !std && !hasTorsion(sig) && !keyHasTorsion(key) {
			t.Fatalf("accepted what crypto/ed25519 refuses")
		}
		if std && !one && !isSmallOrderEncoding(sig[:32]) && !smallOrderKey(key) {
			t.Fatalf("refused what crypto/ed25519 accepts")
		}
	})
}

// hasTorsion reports whether the R of sig decodes to a point outside the
// prime-order subgroup (the only way a cofactored check accepts what a
// cofactorless one refuses).
func hasTorsion(sig []byte) bool {
	var q niels
	if len(sig) != 64 || !decodeR(&q, sig[:32]) {
		return false
	}
	var p extended
	p.fromNiels(&q, false)
	// [l]p is the identity iff p has no small-order component.
	return !mulByL(&p).isIdentity()
}

// keyHasTorsion reports whether key decodes to a point outside the
// prime-order subgroup.
func keyHasTorsion(key []byte) bool {
	p, err := new(edwards25519.Point).SetBytes(key)
	if err != nil {
		return false
	}
	var e extended
	e.fromPoint(p)
	return !mulByL(&e).isIdentity()
}

func smallOrderKey(key []byte) bool {
	b := newBatch(0)
	_, ok := b.key(key)
	return !ok
}
