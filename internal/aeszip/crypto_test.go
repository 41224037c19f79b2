package aeszip

import (
	"bytes"
	"crypto/aes"
	"encoding/hex"
	"testing"
)

// R-ENC-1: the counter block is little-endian and starts at 1, unlike
// crypto/cipher's CTR. Known answers computed with crypto/aes block by
// block, including the carries from byte 0 to byte 1 and from byte 7 to
// byte 8.
func TestCTRLittleEndian(t *testing.T) {
	key := bytes.Repeat([]byte{0x42}, keyLen)
	block, _ := aes.NewCipher(key)
	blockFor := func(counter []byte) []byte {
		in := make([]byte, aes.BlockSize)
		copy(in, counter)
		out := make([]byte, aes.BlockSize)
		block.Encrypt(out, in)
		return out
	}

	c, err := newCTR(key)
	if err != nil {
		t.Fatal(err)
	}
	ks := make([]byte, 257*aes.BlockSize)
	c.XORKeyStream(ks, ks)
	for _, tt := range []struct {
		index   int    // block index in the key stream
		counter []byte // little-endian counter value
	}{
		{0, []byte{1}},
		{1, []byte{2}},
		{254, []byte{0xff}},
		{255, []byte{0, 1}},
		{256, []byte{1, 1}},
	} {
		got := ks[tt.index*aes.BlockSize : (tt.index+1)*aes.BlockSize]
		if want := blockFor(tt.counter); !bytes.Equal(got, want) {
			t.Errorf("block %d = %x, want AES(%x…) = %x", tt.index, got, tt.counter, want)
		}
	}

	// Carry out of the low 64 bits.
	c, _ = newCTR(key)
	c.lo = ^uint64(0)
	two := make([]byte, 2*aes.BlockSize)
	c.XORKeyStream(two, two)
	if want := blockFor(bytes.Repeat([]byte{0xff}, 8)); !bytes.Equal(two[:16], want) {
		t.Errorf("counter 2^64-1: %x, want %x", two[:16], want)
	}
	if want := blockFor([]byte{0, 0, 0, 0, 0, 0, 0, 0, 1}); !bytes.Equal(two[16:], want) {
		t.Errorf("counter 2^64: %x, want %x", two[16:], want)
	}
}

// The key stream does not depend on how the data is cut.
func TestCTRChunking(t *testing.T) {
	key := make([]byte, keyLen)
	data := make([]byte, 3*ksBatch+37)
	for i := range data {
		data[i] = byte(i * 7)
	}
	whole, _ := newCTR(key)
	want := make([]byte, len(data))
	whole.XORKeyStream(want, data)

	for _, step := range []int{1, 15, 16, 17, 4095, ksBatch, ksBatch + 1} {
		c, _ := newCTR(key)
		got := make([]byte, len(data))
		for i := 0; i < len(data); i += step {
			end := min(i+step, len(data))
			c.XORKeyStream(got[i:end], data[i:end])
		}
		if !bytes.Equal(got, want) {
			t.Errorf("step %d: key stream differs", step)
		}
	}
}

// PBKDF2-HMAC-SHA1 known answers from RFC 6070, then the WinZip split of
// the 66 derived bytes.
func TestDeriveKeys(t *testing.T) {
	for _, tt := range []struct {
		iter int
		want string // first 20 bytes of the derived key
	}{
		{1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
		{2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
		{4096, "4b007901b765489abead49d926f721d065a429c1"},
	} {
		k, err := deriveKeys("password", []byte("salt"), tt.iter)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(k.enc[:20]); got != tt.want {
			t.Errorf("iter %d: %s, want %s", tt.iter, got, tt.want)
		}
		if len(k.enc) != 32 || len(k.auth) != 32 {
			t.Errorf("key lengths %d, %d", len(k.enc), len(k.auth))
		}
	}
}

// R-ENC-1: the block encrypter gives the known answers of NIST SP 800-38A,
// F.1.5 (ECB-AES256.Encrypt: four blocks under one key), encrypted in one
// call and block by block.
func TestBlocksEncrypterNIST(t *testing.T) {
	key, _ := hex.DecodeString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
	plain, _ := hex.DecodeString("6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51" +
		"30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710")
	want, _ := hex.DecodeString("f3eed1bdb5d2a03c064b5a7e3db181f8" + "591ccb10d410ed26dc5ba74a31362870" +
		"b6ed21b99ca6f4f9f153e7b1beafed1d" + "23304b7a39f9f3ff067d8d8f9e24ecc7")
	enc, err := newBlocksEncrypter(key)
	if err != nil {
		t.Fatal(err)
	}
	got := bytes.Clone(plain)
	enc(got)
	if !bytes.Equal(got, want) {
		t.Errorf("four blocks: %x, want %x", got, want)
	}
	for i := 0; i < len(plain); i += aes.BlockSize {
		blk := bytes.Clone(plain[i : i+aes.BlockSize])
		enc(blk)
		if !bytes.Equal(blk, want[i:i+aes.BlockSize]) {
			t.Errorf("block %d: %x, want %x", i/aes.BlockSize, blk, want[i:i+aes.BlockSize])
		}
	}
}
