package passgen

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

// R-ENC-1: the alphabet mixes letters, digits and specials and avoids
// characters that are misread or hard to type on AZERTY.
func TestAlphabet(t *testing.T) {
	if len(Alphabet) != 68 {
		t.Fatalf("len(Alphabet) = %d, want 68", len(Alphabet))
	}
	seen := map[rune]bool{}
	for _, r := range Alphabet {
		if r <= ' ' || r > '~' {
			t.Errorf("%q is not printable ASCII without space", r)
		}
		if seen[r] {
			t.Errorf("%q appears twice", r)
		}
		seen[r] = true
	}
	const forbidden = "0Oo1lI" + `'"` + "`" + `\ ` + "#{[|`\\^@]}~"
	if i := strings.IndexAny(Alphabet, forbidden); i >= 0 {
		t.Errorf("Alphabet holds forbidden %q", Alphabet[i])
	}
	sum := 0
	for _, c := range classes {
		sum += len(c)
	}
	if sum != len(Alphabet) {
		t.Errorf("classes hold %d characters, Alphabet %d", sum, len(Alphabet))
	}
	if len(lower) != 24 || len(upper) != 24 || len(digits) != 8 || len(specials) != 12 {
		t.Errorf("class sizes %d/%d/%d/%d, want 24/24/8/12", len(lower), len(upper), len(digits), len(specials))
	}
}

// R-ENC-1: at least 16 characters, every class present, only Alphabet.
func TestGenerate(t *testing.T) {
	tests := []struct {
		n       int
		wantErr bool
	}{
		{-1, true}, {0, true}, {1, true}, {MinLength - 1, true},
		{MinLength, false}, {MinLength + 1, false}, {32, false}, {64, false},
		{MaxLength, false}, {MaxLength + 1, true},
	}
	for _, tt := range tests {
		p, err := Generate(tt.n)
		if tt.wantErr {
			if !errors.Is(err, ErrLength) {
				t.Errorf("Generate(%d) error = %v, want ErrLength", tt.n, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Generate(%d): %v", tt.n, err)
		}
		if len(p) != tt.n {
			t.Errorf("Generate(%d) has length %d", tt.n, len(p))
		}
		checkPassword(t, p)
	}
}

// R-ENC-1
func TestGenerateManyHaveAllClasses(t *testing.T) {
	for range 2000 {
		p, err := Generate(MinLength)
		if err != nil {
			t.Fatal(err)
		}
		checkPassword(t, p)
	}
}

func checkPassword(t *testing.T, p string) {
	t.Helper()
	for _, r := range p {
		if !strings.ContainsRune(Alphabet, r) {
			t.Fatalf("password has %q outside Alphabet", r)
		}
	}
	if strings.ContainsAny(p, "0Oo1lI") {
		t.Fatalf("password has a look-alike character")
	}
	for _, c := range classes {
		if !strings.ContainsAny(p, c) {
			t.Fatalf("password lacks a character from %q", c)
		}
	}
}

// Every character of the alphabet shows up, none dominates. Not a
// statistical test: the bounds are far from what a correct generator gives.
func TestDistribution(t *testing.T) {
	counts := map[byte]int{}
	const draws = 3000
	for range draws {
		p, err := Generate(32)
		if err != nil {
			t.Fatal(err)
		}
		for i := range len(p) {
			counts[p[i]]++
		}
	}
	want := float64(draws*32) / float64(len(Alphabet))
	for i := range len(Alphabet) {
		c := counts[Alphabet[i]]
		if c == 0 {
			t.Errorf("%q never drawn", Alphabet[i])
		}
		if float64(c) < want/2 || float64(c) > want*2 {
			t.Errorf("%q drawn %d times, expected about %.0f", Alphabet[i], c, want)
		}
	}
}

// Bytes >= 204 are rejected, bytes below map to Alphabet[b%68], and a
// password missing a class is drawn again from scratch.
func TestGenerateRejection(t *testing.T) {
	var stream []byte
	// First draw: 16 × 'a' with rejected bytes in between → misses classes.
	first := make([]byte, 64)
	for i := range first {
		first[i] = 255
	}
	for i := range 16 {
		first[i*2+1] = 68 // 68 % 68 = 0 → 'a'
	}
	stream = append(stream, first...)
	// Second draw: a A 2 ! then 'b' (1, 69, 137) ×12, 204 rejected.
	second := []byte{0, 204, 24, 250, 48, 56}
	for i := range 12 {
		second = append(second, byte(1+68*(i%3)))
	}
	second = append(second, make([]byte, 64-len(second))...)
	stream = append(stream, second...)

	p, err := generate(bytes.NewReader(stream), 16)
	if err != nil {
		t.Fatal(err)
	}
	if want := "aA2!bbbbbbbbbbbb"; p != want {
		t.Errorf("generate = %q, want %q", p, want)
	}

	if _, err := generate(bytes.NewReader(nil), 16); !errors.Is(err, io.EOF) {
		t.Errorf("empty source: error = %v, want io.EOF", err)
	}
}

func TestEntropy(t *testing.T) {
	// Exact count by enumerating which class each position takes.
	bruteLog2 := func(n int) float64 {
		sizes := []float64{24, 24, 8, 12}
		total := 0.0
		idx := make([]int, n)
		for {
			seen, w := 0, 1.0
			for _, c := range idx {
				seen |= 1 << c
				w *= sizes[c]
			}
			if seen == 15 {
				total += w
			}
			i := 0
			for i < n && idx[i] == 3 {
				idx[i] = 0
				i++
			}
			if i == n {
				break
			}
			idx[i]++
		}
		return math.Log2(total)
	}
	for _, n := range []int{4, 5, 8, 10} {
		if got, want := Entropy(n), bruteLog2(n); math.Abs(got-want) > 1e-9 {
			t.Errorf("Entropy(%d) = %v, want %v", n, got, want)
		}
	}
	for _, n := range []int{-1, 0, 3} {
		if got := Entropy(n); got != 0 {
			t.Errorf("Entropy(%d) = %v, want 0", n, got)
		}
	}
	// 16 characters: about 16·log2(68) ≈ 97.4 bits minus the share lost to
	// the class rule (about 0.3 bit).
	if e := Entropy(MinLength); e < 96.5 || e > 97.4 {
		t.Errorf("Entropy(16) = %v, want about 97.1", e)
	}
	if Entropy(17) <= Entropy(16) {
		t.Error("Entropy is not increasing")
	}
}
