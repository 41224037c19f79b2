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

// The block encrypter (AES-NI assembly on amd64) agrees with crypto/aes
// for random keys and every tail length of the eight-block loop.
func TestBlocksEncrypter(t *testing.T) {
	for i := range 20 {
		key := randomData(keyLen, uint64(100+i))
		fast, err := newBlocksEncrypter(key)
		if err != nil {
			t.Fatal(err)
		}
		slow, _ := genericBlocksEncrypter(key)
		for _, nblocks := range []int{0, 1, 7, 8, 9, 16, 23, 4096 + 5} {
			a := randomData(nblocks*aes.BlockSize, uint64(i*1000+nblocks))
			b := bytes.Clone(a)
			fast(a)
			slow(b)
			if !bytes.Equal(a, b) {
				t.Fatalf("key %d, %d blocks: encryptions differ", i, nblocks)
			}
		}
	}
}
