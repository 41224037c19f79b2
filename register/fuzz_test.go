package register

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func vectorSeeds(t testing.TB) *Vectors {
	b, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v Vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// FuzzDecodeBody fuzzes the decoder of register rows read from disk: it
// never panics, and what it accepts re-encodes to the same bytes.
func FuzzDecodeBody(f *testing.F) {
	for _, e := range vectorSeeds(f).Entries {
		f.Add([]byte(e.Body))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"v":1,"v":1}`))
	f.Add([]byte(`{"v":1,"time":"2026-01-05T08:30:00.123456789Z","actor":"a","role":"operator","action":"x","signer":"00000000000000000000000000000000","data":{"b":1,"a":2}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := DecodeBody(raw)
		if err != nil {
			return
		}
		again, err := EncodeBody(b)
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatalf("accepted a non-canonical body %q", raw)
		}
	})
}

// FuzzParseCheckpoint fuzzes the checkpoint text parser: what it accepts
// prints back identically.
func FuzzParseCheckpoint(f *testing.F) {
	v := vectorSeeds(f)
	cp, _ := ParseCheckpointNote([]byte(v.Checkpoint))
	f.Add([]byte(cp.Text()))
	f.Add([]byte("mileo-extract register 0badcafe\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 2026-01-05T08:31:00.123456789Z\n"))
	f.Add([]byte("mileo-extract register 0badcafe\n01\n\n\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		c, err := ParseCheckpoint(text)
		if err != nil {
			return
		}
		if c.Text() != string(text) || c.Size < 1 || len(c.Hash) != 32 {
			t.Fatalf("accepted %q, prints %q", text, c.Text())
		}
	})
}

// FuzzOpenCheckpoint fuzzes signed checkpoints as read from files or paper
// (with the optional site-key line).
func FuzzOpenCheckpoint(f *testing.F) {
	v := vectorSeeds(f)
	f.Add([]byte(v.Checkpoint))
	f.Add([]byte(v.Checkpoint + keyLinePrefix + v.SiteVKey + "\n"))
	f.Add([]byte("mileo-extract register 0badcafe\n4\n\n— x y\n"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		c, err := OpenCheckpoint(msg, v.SiteVKey)
		if err != nil {
			ParseCheckpointNote(msg)
			return
		}
		p, err := ParseCheckpointNote(msg)
		if err != nil || p.Size != c.Size || !bytes.Equal(p.Hash, c.Hash) {
			t.Fatalf("opened %q but cannot parse it: %v", msg, err)
		}
	})
}

// FuzzParsePHC fuzzes the reader of stored password hashes: it never
// panics and never accepts parameters that would make a login hang.
func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("$argon2i$v=19$m=1,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, _, _, err := parsePHC(s, true)
		if err == nil && (p.Memory > 4*1024*1024 || p.Time > 64 || p.Threads == 0) {
			t.Fatalf("accepted %+v", p)
		}
	})
}
