package names

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Within reports whether every significant word of needle (case, accents
// and punctuation aside; articles and civilities ignored) is a word of
// hay, and needle has at least one: "M. Durand" is within "Lt. Paul
// Durand, commissariat", "Commissariat de Créteil" within "commissariat
// créteil".
func Within(hay, needle string) bool {
	words := func(s string) []string {
		s = strings.ToLower(norm.NFD.String(s))
		var b strings.Builder
		for _, r := range s {
			switch {
			case unicode.Is(unicode.Mn, r):
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			default:
				b.WriteRune(' ')
			}
		}
		var out []string
		for _, w := range strings.Fields(b.String()) {
			if !slices.Contains(noiseWords, w) {
				out = append(out, w)
			}
		}
		return out
	}
	have, want := words(hay), words(needle)
	if len(want) == 0 {
		return false
	}
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// noiseWords do not identify anyone: articles and civilities.
var noiseWords = []string{"de", "du", "des", "la", "le", "les", "d", "l", "et", "m", "mme", "mr", "mlle", "monsieur", "madame", "the", "of"}
