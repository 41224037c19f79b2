package account

import "testing"

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
