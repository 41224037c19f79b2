package account

import (
	"bytes"
	"errors"
	"testing"
)

// Issue #5: source credentials are stored encrypted with the user's key:
// the user opens them after logging in again; nobody else can.
func TestSealedSecrets(t *testing.T) {
	f := newFixture(t)
	secret := []byte("mediamtx:http://cam:S3cr3t-pw@10.0.0.5:9996")
	sealed, err := f.admin.Seal(secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("S3cr3t")) {
		t.Fatal("sealed secret holds the clear text")
	}
	again := f.login("admin", adminPW)
	if got, err := again.Unseal(sealed); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("the same user after a new login: %q, %v", got, err)
	}
	if _, err := f.dpo.Unseal(sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("another user opened it: %v", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := again.Unseal(sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("a damaged secret opened: %v", err)
	}
	again.Close()
	if _, err := again.Seal(secret); !errors.Is(err, ErrSealed) {
		t.Fatalf("sealed after logout: %v", err)
	}
}
