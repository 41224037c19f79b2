package account

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"mileo.tech/extract/register"
)

// kdfParams are argon2id parameters.
type kdfParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// productionKDF are the parameters of every password hash and key
// encryption key: 64 MiB, 3 passes, 4 lanes.
var productionKDF = kdfParams{Memory: 64 * 1024, Time: 3, Threads: 4}

// newKDF are the parameters used for new hashes. Tests of this package make
// them cheaper (export_test.go); nothing else changes them. Existing hashes
// are checked with the parameters stored in them.
var newKDF = productionKDF

const (
	saltLen = 16
	hashLen = 32
)

var b64 = base64.RawStdEncoding

func (p kdfParams) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d", argon2.Version, p.Memory, p.Time, p.Threads)
}

func (p kdfParams) key(password string, salt []byte) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, hashLen)
}

// hashPassword returns the PHC string of password:
// $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>.
func hashPassword(password string, p kdfParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return p.String() + "$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(p.key(password, salt)), nil
}

// checkPassword compares password with a PHC string in constant time.
func checkPassword(phc, password string) (bool, error) {
	p, salt, hash, err := parsePHC(phc, true)
	if err != nil {
		return false, err
	}
	passwordChecks.Add(1)
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(hash)))
	return subtle.ConstantTimeCompare(got, hash) == 1, nil
}

var errPHC = errors.New("bad argon2id PHC string")

// parsePHC reads "$argon2id$v=19$m=…,t=…,p=…$salt[$hash]".
func parsePHC(s string, withHash bool) (kdfParams, []byte, []byte, error) {
	var p kdfParams
	parts := strings.Split(s, "$")
	want := 5
	if withHash {
		want = 6
	}
	if len(parts) != want || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errPHC
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return p, nil, nil, errPHC
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return p, nil, nil, errPHC
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, errPHC
		}
	}
	// Bounds keep a tampered row from making login hang or allocate wildly.
	if p.Time < 1 || p.Time > 64 || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > 4*1024*1024 {
		return p, nil, nil, errPHC
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, errPHC
	}
	var hash []byte
	if withHash {
		hash, err = b64.DecodeString(parts[5])
		if err != nil || len(hash) < 16 || len(hash) > 64 {
			return p, nil, nil, errPHC
		}
	}
	return p, salt, hash, nil
}

// keyAAD binds a sealed key to its user.
func keyAAD(user string) []byte { return []byte("mileo-register/v1/user-key\x00" + user) }

// sealKey encrypts an Ed25519 seed under a key derived from the password.
// It returns the KDF string (parameters and salt) and nonce ‖ ciphertext.
func sealKey(user, password string, seed []byte, p kdfParams) (string, []byte, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", nil, err
	}
	gcm, err := newGCM(p.key(password, salt))
	if err != nil {
		return "", nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", nil, err
	}
	return p.String() + "$" + b64.EncodeToString(salt), gcm.Seal(nonce, nonce, seed, keyAAD(user)), nil
}

// openKey decrypts a sealed Ed25519 key.
func openKey(user, password, kdf string, box []byte) (ed25519.PrivateKey, error) {
	p, salt, _, err := parsePHC(kdf, false)
	if err != nil {
		return nil, err
	}
	gcm, err := newGCM(p.key(password, salt))
	if err != nil {
		return nil, err
	}
	if len(box) < gcm.NonceSize() {
		return nil, errors.New("sealed key too short")
	}
	seed, err := gcm.Open(nil, box[:gcm.NonceSize()], box[gcm.NonceSize():], keyAAD(user))
	if err != nil {
		return nil, fmt.Errorf("open signing key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, errors.New("sealed key has the wrong size")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// MinPasswordLen is the minimum length of an account password.
const MinPasswordLen = 12

// CheckPasswordStrength refuses empty, short or one-kind passwords: at
// least 12 characters of at least 3 kinds (lower case, upper case, digits,
// others), not containing the user name.
func CheckPasswordStrength(user, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return errorf(register.ErrWeakPassword, "err.password.password_have_at", "Min", MinPasswordLen)
	}
	var lower, upper, digit, other int
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < 3 {
		return errorf(register.ErrWeakPassword, "err.password.password_have_at", "Min", MinPasswordLen)
	}
	if user != "" && strings.Contains(strings.ToLower(password), strings.ToLower(user)) {
		return errorf(register.ErrWeakPassword, "err.password.password_contain_user")
	}
	return nil
}

// UseTestKDF makes the passwords and keys created afterwards use cheap
// argon2id parameters, so that tests of the packages built on the register
// create accounts quickly. It panics outside a test binary.
func UseTestKDF() {
	if !testing.Testing() {
		panic("account: UseTestKDF outside a test")
	}
	newKDF = kdfParams{Memory: 64, Time: 1, Threads: 1}
}

// passwordChecks counts the argon2id password checks (tests compare the
// work of a login with an unknown name and with a wrong password).
var passwordChecks atomic.Int64

// spendPasswordCheck does the work of checking a password against a hash
// of the current parameters, for a name that has none.
func spendPasswordCheck(password string) {
	passwordChecks.Add(1)
	var salt [16]byte
	_ = argon2.IDKey([]byte(password), salt[:], newKDF.Time, newKDF.Memory, newKDF.Threads, 32)
}
