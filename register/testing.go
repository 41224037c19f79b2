package register

import (
	"crypto/ed25519"
	"testing"
)

// Hooks for the tests of the packages built on the register: they forge
// entries the way an insider with the keys would. Each panics outside a test
// binary.

func mustTest() {
	if !testing.Testing() {
		panic("register: test hook called outside a test")
	}
}

// TestSiteKey returns the site's private key (tests only).
func (s *Store) TestSiteKey() (ed25519.PrivateKey, error) {
	mustTest()
	k, err := s.siteKey()
	if err != nil {
		return nil, err
	}
	return k.priv, nil
}
