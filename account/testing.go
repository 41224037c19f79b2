package account

import (
	"crypto/ed25519"
	"testing"
)

// TestPrivateKey returns the session's signing key, for the tests of the
// packages built on this one that forge entries the way an insider with
// the key would. It panics outside a test binary.
func (s *Session) TestPrivateKey() ed25519.PrivateKey {
	if !testing.Testing() {
		panic("account: test hook called outside a test")
	}
	return s.priv
}
