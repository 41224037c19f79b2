package register

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// The fast paths of verify give the same results as the reference code.
func TestEntryHasher(t *testing.T) {
	var x entryHasher
	var sum [32]byte
	for i, body := range [][]byte{nil, []byte("{}"), bytes.Repeat([]byte("é"), 5000)} {
		prev := bytes.Repeat([]byte{byte(i)}, 32)
		if got, want := x.sum(&sum, int64(i+1), prev, body), EntryHash(int64(i+1), prev, body); !bytes.Equal(got, want) {
			t.Fatalf("case %d: %x, want %x", i, got, want)
		}
	}
	if got := appendSigMessage(nil, sum[:]); len(got) != sigMessageSize || !bytes.Equal(got, SigMessage(sum[:])) {
		t.Fatal("appendSigMessage differs from SigMessage")
	}
}

// Every canonical body of the test vectors takes the fast path.
func TestScanBodyVectors(t *testing.T) {
	for _, e := range vectorSeeds(t).Entries {
		var b Body
		if !scanBody([]byte(e.Body), &b) {
			t.Fatalf("fast path refuses %s", e.Body)
		}
		ref, err := decodeBodyJSON([]byte(e.Body))
		if err != nil || !bodiesEqual(&b, ref) {
			t.Fatalf("fast path %+v, reference %+v (%v)", b, ref, err)
		}
	}
}

func TestParseTimeFast(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2026-03-02T09:00:00.000000000Z", true},
		{"2024-02-29T23:59:59.999999999Z", true},
		{"2000-02-29T00:00:00.000000001Z", true},
		{"1900-02-29T00:00:00.000000000Z", false},
		{"2026-04-31T00:00:00.000000000Z", false},
		{"2026-00-01T00:00:00.000000000Z", false},
		{"2026-01-01T24:00:00.000000000Z", false},
		{"2026-01-01T00:60:00.000000000Z", false},
		{"2026-01-01T00:00:60.000000000Z", false},
		{"2026-01-01T00:00:00.00000000Z", false},
		{"2026-01-01T00:00:00,000000000Z", false}, // time.Parse takes it: the slow path decides
		{"2026-01-01T00:00:00.000000000+", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseTimeFast(tt.in)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			if ok {
				want, err := time.Parse(timeLayout, tt.in)
				if err != nil || !got.Equal(want) || got.Location() != want.Location() || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%v, time.Parse %v %v", got, want, err)
				}
			}
		})
	}
}
