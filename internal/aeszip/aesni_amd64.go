//go:build amd64 && !purego

package aeszip

import "encoding/binary"

// On amd64 with AES-NI, counter blocks are encrypted eight at a time by
// encryptBlocksAsm: interleaving hides the latency of AESENC that a call
// to cipher.Block.Encrypt per block pays in full (about 4× faster).

// hasAESNI reports whether the CPU has the AES-NI instructions.
//
//go:noescape
func hasAESNI() bool

// encryptBlocksAsm encrypts n 16-byte blocks of buf in place with the 15
// AES-256 round keys in rk.
//
//go:noescape
func encryptBlocksAsm(rk *[15 * 16]byte, buf *byte, n int)

var useAESNI = hasAESNI()

// newBlocksEncrypter returns a function that encrypts whole blocks in
// place with AES-256 under key, using AES-NI when present.
func newBlocksEncrypter(key []byte) (func(buf []byte), error) {
	if !useAESNI || len(key) != keyLen {
		return genericBlocksEncrypter(key)
	}
	rk := expandKey256(key)
	return func(buf []byte) {
		if n := len(buf) / 16; n > 0 {
			encryptBlocksAsm(rk, &buf[0], n)
		}
	}, nil
}

// expandKey256 is the AES-256 key expansion of FIPS-197 §5.2; round key r
// is bytes 16r to 16r+15, in the byte order AESENC expects.
func expandKey256(key []byte) *[15 * 16]byte {
	var w [60]uint32
	for i := range 8 {
		w[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	rcon := uint32(1)
	for i := 8; i < len(w); i++ {
		t := w[i-1]
		switch i % 8 {
		case 0:
			t = subWord(t<<8|t>>24) ^ rcon<<24
			rcon = uint32(xtime(byte(rcon)))
		case 4:
			t = subWord(t)
		}
		w[i] = w[i-8] ^ t
	}
	rk := new([15 * 16]byte)
	for i, v := range w {
		binary.BigEndian.PutUint32(rk[4*i:], v)
	}
	return rk
}

func subWord(w uint32) uint32 {
	return uint32(sbox[w>>24])<<24 | uint32(sbox[w>>16&0xff])<<16 | uint32(sbox[w>>8&0xff])<<8 | uint32(sbox[w&0xff])
}

// xtime multiplies by x in GF(2^8) modulo x^8+x^4+x^3+x+1.
func xtime(b byte) byte {
	if b&0x80 != 0 {
		return b<<1 ^ 0x1b
	}
	return b << 1
}

// sbox is the AES S-box, computed from its definition (FIPS-197 §5.1.1):
// multiplicative inverse in GF(2^8), then the affine transformation.
var sbox = func() (s [256]byte) {
	mul := func(a, b byte) (p byte) {
		for ; b != 0; b >>= 1 {
			if b&1 != 0 {
				p ^= a
			}
			a = xtime(a)
		}
		return p
	}
	for x := range 256 {
		inv := byte(0)
		if x != 0 {
			// x^254 = x^-1
			inv = 1
			for range 254 {
				inv = mul(inv, byte(x))
			}
		}
		rot := func(b byte, n uint) byte { return b<<n | b>>(8-n) }
		s[x] = inv ^ rot(inv, 1) ^ rot(inv, 2) ^ rot(inv, 3) ^ rot(inv, 4) ^ 0x63
	}
	return s
}()
