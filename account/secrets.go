package account

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ErrSealed is returned when a sealed secret cannot be opened: another
// user's, or damaged.
var ErrSealed = errors.New("account: sealed secret cannot be opened")

// sealKey derives the key that seals this user's secrets from their signing
// key, which the register keeps encrypted under their password: only the
// user, logged in, can open what they sealed.
func (s *Session) sealKey() ([]byte, error) {
	if s == nil || s.priv == nil {
		return nil, fmt.Errorf("%w: not logged in", ErrSealed)
	}
	h := sha256.New()
	h.Write([]byte("mileo-extract sealed secrets v1\x00"))
	h.Write(s.priv.Seed())
	return h.Sum(nil), nil
}

// Seal encrypts a secret of this user (a VMS address with its credentials)
// with AES-256-GCM under a key derived from their signing key.
func (s *Session) Seal(plain []byte) ([]byte, error) {
	key, err := s.sealKey()
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(plain)+gcm.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plain, []byte(s.User)), nil
}

// Unseal opens what Seal produced for the same user.
func (s *Session) Unseal(sealed []byte) ([]byte, error) {
	key, err := s.sealKey()
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, ErrSealed
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], []byte(s.User))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}
