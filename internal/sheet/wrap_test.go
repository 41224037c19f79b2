package sheet

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// runeWidth measures one unit per rune, so widths in tests are character
// counts.
func runeWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) }

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		w    float64
		want []string
	}{
		{"empty", "", 10, []string{""}},
		{"fits exactly", "abcde fghi", 10, []string{"abcde fghi"}},
		{"one over", "abcde fghij", 10, []string{"abcde", "fghij"}},
		{"one under", "abcd fghi", 10, []string{"abcd fghi"}},
		{"spaces collapse", "  a   b  ", 10, []string{"a b"}},
		{"newlines kept", "a\nb\n\nc", 10, []string{"a", "b", "", "c"}},
		{"crlf", "a\r\nb", 10, []string{"a", "b"}},
		{"tab is a space", "a\tb", 10, []string{"a b"}},
		{"lone cr is a line end", "a\rb", 10, []string{"a", "b"}},
		{"control shown", "a\x00b", 10, []string{"a\ufffdb"}},
		{"word of width w", "abcdefghij", 10, []string{"abcdefghij"}},
		{"word of w+1 is cut", "abcdefghijk", 10, []string{"abcdefghij", "k"}},
		{"long word cut", strings.Repeat("x", 25), 10, []string{strings.Repeat("x", 10), strings.Repeat("x", 10), strings.Repeat("x", 5)}},
		{"cut after underscore", "EXT-2026_CAM03_hall.mp4", 12, []string{"EXT-2026_", "CAM03_hall.", "mp4"}},
		{"hash cut in halves", strings.Repeat("ab", 32), 32, []string{strings.Repeat("ab", 16), strings.Repeat("ab", 16)}},
		// « » with U+00A0 / U+202F never break away from their word.
		{"guillemets nbsp", "dit «\u00a0bonjour\u00a0» ici", 12, []string{"dit", "«\u00a0bonjour\u00a0»", "ici"}},
		{"narrow nbsp", "«\u202fSécurité\u202f» du site", 13, []string{"«\u202fSécurité\u202f»", "du site"}},
		{"accents count as one", "éèêë àâ", 7, []string{"éèêë àâ"}},
		{"zero width", "ab", 0, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapText(tc.in, tc.w, runeWidth)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("wrapText(%q, %v) = %q, want %q", tc.in, tc.w, got, tc.want)
			}
		})
	}
}

// FuzzWrap checks that wrapping never loses, adds or reorders a character
// (spaces aside) and never makes a line wider than asked unless it holds one
// rune. (No-break spaces are covered by TestWrap.)
func FuzzWrap(f *testing.F) {
	f.Add("Réquisition judiciaire «\u00a0Sécurité\u00a0» du site", 12)
	f.Add(strings.Repeat("0123456789abcdef", 4), 32)
	f.Add("a\nb\r\n\tc  d", 1)
	f.Add("", 5)
	f.Add("\xff\xfe invalid utf-8", 3)
	f.Fuzz(func(t *testing.T, s string, w int) {
		if w < 1 || w > 200 {
			return
		}
		lines := wrapText(s, float64(w), runeWidth)
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r == ' ' || r == '\ufffd' || unicode.IsControl(r) {
					return -1
				}
				return r
			}, s)
		}
		if got, want := strip(strings.Join(lines, "")), strip(s); got != want {
			t.Fatalf("characters changed:\n got %q\nwant %q", got, want)
		}
		for _, l := range lines {
			if strings.ContainsAny(l, "\n\r\t") || strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
				t.Fatalf("bad line %q", l)
			}
			if runeWidth(l) > float64(w) && utf8.RuneCountInString(l) > 1 {
				t.Fatalf("line %q wider than %d", l, w)
			}
		}
	})
}
