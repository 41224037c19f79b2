package passgen

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Alphabet holds the 68 characters a password is drawn from; see the
// package documentation for why each one is in or out.
const Alphabet = lower + upper + digits + specials

const (
	lower    = "abcdefghijkmnpqrstuvwxyz" // a-z without l, o
	upper    = "ABCDEFGHJKLMNPQRSTUVWXYZ" // A-Z without I, O
	digits   = "23456789"
	specials = "!$%&*()-_=+?"
)

// Length limits accepted by [Generate].
const (
	MinLength = 16
	MaxLength = 1024
)

// ErrLength is returned by [Generate] for a length outside
// [MinLength, MaxLength].
var ErrLength = errors.New("passgen: invalid password length")

// classes lists the character classes a password must all contain.
var classes = [...]string{lower, upper, digits, specials}

// Generate returns a random password of n characters drawn uniformly from
// [Alphabet] that contains at least one character of each class (lower,
// upper, digit, special). n must be at least [MinLength].
func Generate(n int) (string, error) {
	return generate(rand.Reader, n)
}

// generate is [Generate] with an injectable source of randomness.
func generate(r io.Reader, n int) (string, error) {
	if n < MinLength || n > MaxLength {
		return "", fmt.Errorf("%w: %d (want %d to %d)", ErrLength, n, MinLength, MaxLength)
	}
	const limit = 256 - 256%len(Alphabet) // 204: bytes >= limit are rejected
	out := make([]byte, n)
	var buf [64]byte
	for {
		for i := 0; i < n; {
			if _, err := io.ReadFull(r, buf[:]); err != nil {
				return "", fmt.Errorf("passgen: read random: %w", err)
			}
			for _, b := range buf {
				if int(b) >= limit {
					continue
				}
				out[i] = Alphabet[int(b)%len(Alphabet)]
				i++
				if i == n {
					break
				}
			}
		}
		if hasAllClasses(out) {
			return string(out), nil
		}
	}
}

// hasAllClasses reports whether p holds at least one character of every
// class.
func hasAllClasses(p []byte) bool {
	for _, c := range classes {
		if !strings.ContainsAny(string(p), c) {
			return false
		}
	}
	return true
}

// Entropy returns the entropy in bits of a password of n characters made by
// [Generate]: log2 of the number of strings of length n over [Alphabet] that
// contain every class, counted by inclusion-exclusion. It returns 0 when no
// such string exists (n < 4).
func Entropy(n int) float64 {
	if n < len(classes) {
		return 0
	}
	// frac is the share of all 68^n strings that contain every class.
	frac := 0.0
	for mask := 0; mask < 1<<len(classes); mask++ {
		missing, sign := 0, 1.0
		for i, c := range classes {
			if mask&(1<<i) != 0 {
				missing += len(c)
				sign = -sign
			}
		}
		frac += sign * math.Pow(float64(len(Alphabet)-missing)/float64(len(Alphabet)), float64(n))
	}
	if frac <= 0 {
		return 0
	}
	return float64(n)*math.Log2(float64(len(Alphabet))) + math.Log2(frac)
}
