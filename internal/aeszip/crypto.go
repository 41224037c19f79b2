package aeszip

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"hash"
)

// Parameters of WinZip AES-256 (AE-1/AE-2, key strength 3).
const (
	saltLen     = 16   // salt stored before the encrypted data
	keyLen      = 32   // AES-256 key and HMAC-SHA1 key lengths
	verifierLen = 2    // password verification value
	macLen      = 10   // stored HMAC-SHA1 authentication code (truncated)
	kdfIter     = 1000 // PBKDF2-HMAC-SHA1 iteration count fixed by the format
	// overhead is what encryption adds to the payload of an entry.
	overhead = saltLen + verifierLen + macLen
)

// keys are what PBKDF2 derives from the password and an entry's salt.
type keys struct {
	enc      []byte // AES-256 key
	auth     []byte // HMAC-SHA1 key
	verifier [verifierLen]byte
}

// deriveKeys runs PBKDF2-HMAC-SHA1 over password and salt with iter
// iterations and splits its 66-byte output into AES key, HMAC key and
// password verifier, in this order.
func deriveKeys(password string, salt []byte, iter int) (keys, error) {
	dk, err := pbkdf2.Key(sha1.New, password, salt, iter, 2*keyLen+verifierLen)
	if err != nil {
		return keys{}, fmt.Errorf("aeszip: derive keys: %w", err)
	}
	k := keys{enc: dk[:keyLen], auth: dk[keyLen : 2*keyLen]}
	copy(k.verifier[:], dk[2*keyLen:])
	return k, nil
}

// newMAC returns the HMAC-SHA1 that authenticates an entry's ciphertext.
func (k keys) newMAC() hash.Hash { return hmac.New(sha1.New, k.auth) }

// ksBatch is how much key stream ctrLE makes per batch of block
// encryptions; it fits the L2 cache.
const ksBatch = 64 << 10

// ctrLE is AES in counter mode as WinZip AES (after Brian Gladman's fileenc)
// defines it: the counter block is a 128-bit little-endian integer starting
// at 1, so the first key-stream block is AES(01 00 … 00), the 256th is
// AES(00 01 00 … 00). crypto/cipher's CTR increments a big-endian counter
// and cannot be used. Fileenc carries only through the low 8 bytes; the two
// agree for any entry below 2^68 bytes.
type ctrLE struct {
	encrypt func(blocks []byte) // AES-256 in place, whole blocks
	lo, hi  uint64              // next counter value
	ks      []byte              // key stream of the current batch
	pos     int                 // first unused byte of ks
}

func newCTR(key []byte) (*ctrLE, error) {
	enc, err := newBlocksEncrypter(key)
	if err != nil {
		return nil, err
	}
	return &ctrLE{encrypt: enc, lo: 1, ks: make([]byte, 0, ksBatch)}, nil
}

// newBlocksEncrypter returns a function that encrypts whole blocks in
// place with AES-256 under key, block by block with crypto/aes (which uses
// AES-NI where the processor has it). No hand-written assembly: see the
// package documentation for the measurement.
func newBlocksEncrypter(key []byte) (func(buf []byte), error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aeszip: %w", err)
	}
	return func(buf []byte) {
		for i := 0; i+aes.BlockSize <= len(buf); i += aes.BlockSize {
			b.Encrypt(buf[i:i+aes.BlockSize], buf[i:i+aes.BlockSize])
		}
	}, nil
}

// XORKeyStream encrypts or decrypts src into dst (they may overlap exactly).
func (c *ctrLE) XORKeyStream(dst, src []byte) {
	for len(src) > 0 {
		if c.pos == len(c.ks) {
			c.refill(len(src))
		}
		n := subtle.XORBytes(dst, src, c.ks[c.pos:])
		c.pos += n
		dst, src = dst[n:], src[n:]
	}
}

// refill makes the key stream for the next batch of counter blocks, just
// enough for want bytes up to a full batch.
func (c *ctrLE) refill(want int) {
	n := min((want+aes.BlockSize-1)/aes.BlockSize*aes.BlockSize, cap(c.ks))
	ks := c.ks[:n]
	for i := 0; i < n; i += aes.BlockSize {
		blk := ks[i : i+aes.BlockSize]
		binary.LittleEndian.PutUint64(blk[:8], c.lo)
		binary.LittleEndian.PutUint64(blk[8:], c.hi)
		c.lo++
		if c.lo == 0 {
			c.hi++
		}
	}
	c.encrypt(ks)
	c.ks, c.pos = ks, 0
}
