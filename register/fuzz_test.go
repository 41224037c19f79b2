package register

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
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
	f.Add([]byte(v.Checkpoint + KeyLinePrefix + v.SiteVKey + "\n"))
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

// FuzzScanBody checks the fast path of DecodeBody against the reference
// decoder (encoding/json and re-encoding): the fast path accepts exactly
// the bodies the reference accepts, with the same content.
func FuzzScanBody(f *testing.F) {
	for _, e := range vectorSeeds(f).Entries {
		f.Add([]byte(e.Body))
	}
	const head = `{"v":1,"time":"2026-01-05T08:30:00.123456789Z","actor":"a","role":"operator","action":"x","signer":"00000000000000000000000000000000"`
	for _, tail := range []string{
		`}`,
		`,"data":{}}`,
		`,"data":{"a":1,"b":[true,false,null,-0.5e+3,"\u2028\b\f\n\r\t\u001f\"\\x"],"c":{"d":{}}}}`,
		`,"data":{"b":1,"a":2}}`,
		`,"data":{"a":1,"a":2}}`,
		`,"data":{"a":01}}`,
		`,"data":{"a":"\u0041"}}`,
		`,"data":{"a":"\/"}}`,
		`,"data":{"a":"\u007f"}}`,
		`,"data":{"a":"` + "\u2028" + `"}}`,
		`,"data":{"a":"` + "\x7f" + `"}}`,
		`,"data":[]}`,
		`,"data":null}`,
		`,"personal":{"commit":"0000000000000000000000000000000000000000000000000000000000000000","until":"2031-01-05T08:30:00.123456789Z"}}`,
		`,"personal":null}`,
		` }`,
	} {
		f.Add([]byte(head + tail))
	}
	f.Add([]byte(`{"v":1,"time":"2026-01-05T08:30:00.123456789Z","actor":"a\u0000","role":"operator","action":"x","subject":"","signer":"00000000000000000000000000000000"}`))
	f.Add([]byte(`{"V":1,"time":"2026-01-05T08:30:00.123456789Z","actor":"a","role":"operator","action":"x","signer":"00000000000000000000000000000000"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var fast Body
		ok := scanBody(raw, &fast)
		ref, err := decodeBodyJSON(raw)
		if ok != (err == nil) {
			t.Fatalf("fast path %v, reference %v for %q", ok, err, raw)
		}
		if ok && !bodiesEqual(&fast, ref) {
			t.Fatalf("fast path %+v, reference %+v for %q", fast, *ref, raw)
		}
	})
}

func bodiesEqual(a, b *Body) bool {
	if (a.Personal == nil) != (b.Personal == nil) || (a.Personal != nil && *a.Personal != *b.Personal) {
		return false
	}
	return a.V == b.V && a.Time == b.Time && a.Actor == b.Actor && a.Role == b.Role && a.Action == b.Action &&
		a.Subject == b.Subject && a.Signer == b.Signer && bytes.Equal(a.Data, b.Data)
}

// FuzzParseTime checks the fast path of ParseTime against time.Parse:
// what it accepts, time.Parse accepts with the same value (what it
// refuses goes to time.Parse, which is laxer: ',' or a sign in the
// fraction).
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-01-05T08:30:00.123456789Z", "2024-02-29T23:59:59.999999999Z", "2023-02-29T00:00:00.000000000Z",
		"2026-13-01T00:00:00.000000000Z", "2026-01-05T24:00:00.000000000Z", "2026-01-05T08:30:60.000000000Z", "0000-01-01T00:00:00.000000000Z",
		"2026-01-05T08:30:00.12345678Z", "2026-01-05 08:30:00.123456789Z", "+026-01-05T08:30:00.123456789Z", "2026-1-05T08:30:00.1234567890Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, werr := time.Parse(timeLayout, s)
		got, ok := parseTimeFast(s)
		if ok && (werr != nil || !got.Equal(want) || got.Location() != want.Location()) {
			t.Fatalf("%q: fast %v, time.Parse %v %v", s, got, want, werr)
		}
	})
}
