package fetch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
	}{
		{`[]`, false},
		{` {"a":1} `, false},
		{`[] []`, true},
		{`[`, true},
		{``, true},
	}
	for _, tt := range tests {
		var v any
		if err := DecodeJSON([]byte(tt.in), &v); (err != nil) != tt.wantErr {
			t.Errorf("DecodeJSON(%q) = %v, want error %v", tt.in, err, tt.wantErr)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<html>\n<b>502</b></html>`, `<html>\n<b>502</b></html>`},
		{"line1\nline2\x00", "line1 line2"},
		{strings.Repeat("x", 300), strings.Repeat("x", 200) + "…"},
		{strings.Repeat("x", 200), strings.Repeat("x", 200)},
		{"bad \xff utf-8", "bad ? utf-8"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Printable(tt.in, 200); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"items":[{"name":"a"}]}`))
	f.Add([]byte(`[] 1`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		_ = DecodeJSON(data, &v)
	})
}

func FuzzPrintable(f *testing.F) {
	f.Add("line1\nline2\x00", 200)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1000 {
			return
		}
		got := Printable(s, max)
		if len(got) > max+len("…") {
			t.Fatalf("Printable(%q, %d) = %q: too long", s, max, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("Printable(%q) = %q holds a control character", s, got)
			}
		}
		if len(got) <= max && !utf8.ValidString(got) {
			t.Fatalf("Printable(%q) = %q is not UTF-8", s, got)
		}
	})
}
