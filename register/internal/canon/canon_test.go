package canon

import (
	"strings"
	"testing"
)

// The scanner accepts an object exactly in canonical form and refuses
// anything else (the register then takes its encoding/json path).
func TestObject(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxDepth+2) + "1" + strings.Repeat("}", MaxDepth+2)
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{}`, true},
		{`{"a":1,"b":[true,false,null,-0.5e+3,"\u2028\n\u001f\"\\x"],"c":{"d":{}}}`, true},
		{`{"b":1,"a":2}`, false},            // keys out of order
		{`{"a":1,"a":2}`, false},            // duplicate key
		{`{ "a":1}`, false},                 // white space
		{`{"a":01}`, false},                 // leading zero
		{`{"a":"\u00e9"}`, false},           // escaped where encoding/json writes the character
		{`{"a":"\u000A"}`, false},           // upper-case hex
		{`{"a":"` + "\u2028" + `"}`, false}, // U+2028 must be escaped
		{deep, false},
	} {
		p := Scanner{S: tc.in}
		if got := p.Object(0) && p.I == len(tc.in); got != tc.ok {
			t.Errorf("%s: %v, want %v", tc.in, got, tc.ok)
		}
	}
	var s string
	p := Scanner{S: `"a\tb\u2029"`}
	if !p.Str(&s) || s != "a\tb\u2029" {
		t.Errorf("string %q", s)
	}
}
