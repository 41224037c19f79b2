package names

import "testing"

// R-DLV-3: the person who receives is the named recipient, or gives the
// recipient's organisation, as people write them.
func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		hay, needle string
		want        bool
	}{
		{"OPJ Martin, commissariat de Lyon 3e", "OPJ Martin", true},
		{"OPJ Martin, commissariat de Lyon 3e", "M. Martin", true},
		{"Commissariat de Créteil", "commissariat creteil", true},
		{"Commissariat de Créteil", "COMMISSARIAT DE CRÉTEIL", true},
		{"Assureur AXA, dossier 42", "Assureur AXA", true},
		{"Assureur AXA, dossier 42", "Cabinet Durand", false},
		{"Commissariat de Créteil", "Brigadier Léa Durand", false},
		{"Commissariat de Créteil", "de la", false},
		{"Commissariat de Créteil", "", false},
		{"", "Martin", false},
		{"Jean-Paul Dupont", "Jean Paul Dupont", true},
	} {
		if got := Within(tc.hay, tc.needle); got != tc.want {
			t.Errorf("Within(%q, %q) = %v", tc.hay, tc.needle, got)
		}
	}
}

func FuzzWithin(f *testing.F) {
	f.Add("Commissariat de Créteil", "créteil")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, hay, needle string) {
		if Within(hay, needle) && !Within(hay+" "+hay, needle) {
			t.Fatalf("a match lost by repeating the hay: %q %q", hay, needle)
		}
		if Within(hay, needle) && !Within(needle+" "+hay, needle) {
			t.Fatalf("inconsistent: %q %q", hay, needle)
		}
	})
}
