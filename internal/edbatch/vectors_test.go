package edbatch

import (
	"bufio"
	"crypto/ed25519"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"
)

// A vector is one signature of an external test file.
type vector struct {
	name  string
	item  Item
	valid bool // the file's verdict
}

// readVectors reads the lines of a testdata file that are not comments,
// split into fields.
func readVectors(t *testing.T, name string, parse func(f []string) vector) []vector {
	t.Helper()
	file, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var vs []vector
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			vs = append(vs, parse(strings.Fields(line)))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	if s == "-" {
		return []byte{}
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkVectors checks each vector alone (VerifyOne, Verify, Invalid) and
// all of them in one batch with valid signatures around: the bad ones,
// and only they, are named.
func checkVectors(t *testing.T, vs []vector) {
	t.Helper()
	items := validItems(8, 2)
	var want []int
	for _, v := range vs {
		it := v.item
		if got := VerifyOne(&it); got != v.valid {
			t.Errorf("%s: VerifyOne = %v, want %v", v.name, got, v.valid)
		}
		pair := []Item{items[0], it}
		if got := Verify(pair); got != v.valid {
			t.Errorf("%s: Verify in a batch of 2 = %v, want %v", v.name, got, v.valid)
		}
		if !v.valid {
			want = append(want, len(items))
		}
		items = append(items, it)
	}
	if got := Invalid(items); !slices.Equal(got, want) {
		t.Errorf("Invalid on all the vectors = %v, want %v", got, want)
	}
}

// R-REG-2: edbatch gives the verdict of Wycheproof's Ed25519 vectors
// (testdata/wycheproof_ed25519.txt) alone and in a batch, and crypto/ed25519
// gives the same.
func TestWycheproof(t *testing.T) {
	vs := readVectors(t, "wycheproof_ed25519.txt", func(f []string) vector {
		if len(f) != 6 {
			t.Fatalf("bad line %q", f)
		}
		return vector{name: "tcId " + f[0] + " (" + f[2] + ")", valid: f[1] == "valid",
			item: Item{PublicKey: unhex(t, f[3]), Message: unhex(t, f[4]), Signature: unhex(t, f[5])}}
	})
	if len(vs) != 151 {
		t.Fatalf("%d vectors, want 151", len(vs))
	}
	for _, v := range vs {
		if got := ed25519.Verify(v.item.PublicKey, v.item.Message, v.item.Signature); got != v.valid {
			t.Fatalf("%s: crypto/ed25519 says %v: the file is misread", v.name, got)
		}
	}
	checkVectors(t, vs)
}

// R-REG-2: the 196 ZIP-215 edge cases (testdata/zip215.txt: keys and R of
// small order, canonical or not, s = 0) are all valid under ZIP 215, and
// crypto/ed25519 accepts some of them; edbatch refuses every one, because
// with a key of small order anyone can sign. So edbatch never accepts one
// that crypto/ed25519 refuses here.
func TestZIP215(t *testing.T) {
	vs := readVectors(t, "zip215.txt", func(f []string) vector {
		if len(f) != 2 {
			t.Fatalf("bad line %q", f)
		}
		return vector{name: "key " + f[0] + " sig " + f[1][:64],
			item: Item{PublicKey: unhex(t, f[0]), Message: []byte("Zcash"), Signature: unhex(t, f[1])}}
	})
	if len(vs) != 196 {
		t.Fatalf("%d vectors, want 196", len(vs))
	}
	stdlib := 0
	for _, v := range vs {
		if ed25519.Verify(v.item.PublicKey, v.item.Message, v.item.Signature) {
			stdlib++
		}
	}
	if stdlib == 0 {
		t.Fatal("crypto/ed25519 refuses them all: the test no longer shows the difference")
	}
	t.Logf("crypto/ed25519 accepts %d of the %d ZIP-215 cases; edbatch none", stdlib, len(vs))
	checkVectors(t, vs)
}
