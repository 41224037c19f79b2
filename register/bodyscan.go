package register

import (
	"encoding/json"
	"unicode/utf8"

	"mileo.tech/extract/register/internal/canon"
)

// scanBody is the fast path of [DecodeBody]: a single pass over the bytes
// that accepts a body only if it is exactly in canonical form (§2.1 of
// SPEC.md) and passes [Body.check]. It returns false for anything else,
// including canonical bodies it does not handle (nesting deeper than
// [canon.MaxDepth]); DecodeBody
// then takes the slow path through encoding/json, which gives the error.
// FuzzScanBody checks that both paths agree.
func scanBody(raw []byte, b *Body) bool {
	if len(raw) > maxBody || !utf8.Valid(raw) {
		return false
	}
	// One string for the whole body: unescaped fields are substrings.
	s := string(raw)
	p := canon.Scanner{S: s}
	var v Body
	if !p.Lit(`{"v":1,"time":`) || !p.Str(&v.Time) ||
		!p.Lit(`,"actor":`) || !p.Str(&v.Actor) ||
		!p.Lit(`,"role":`) || !p.Str((*string)(&v.Role)) ||
		!p.Lit(`,"action":`) || !p.Str(&v.Action) {
		return false
	}
	v.V = 1
	if p.Lit(`,"subject":`) {
		if !p.Str(&v.Subject) || v.Subject == "" {
			return false
		}
	}
	if !p.Lit(`,"signer":`) || !p.Str(&v.Signer) {
		return false
	}
	if p.Lit(`,"data":`) {
		start := p.I
		if !p.Object(0) {
			return false
		}
		v.Data = json.RawMessage(raw[start:p.I:p.I])
	}
	if p.Lit(`,"personal":{"commit":`) {
		v.Personal = &PersonalRef{}
		if !p.Str(&v.Personal.Commit) || !p.Lit(`,"until":`) || !p.Str(&v.Personal.Until) || !p.Lit(`}`) {
			return false
		}
	}
	if !p.Lit(`}`) || p.I != len(s) {
		return false
	}
	if v.check() != nil {
		return false
	}
	*b = v
	return true
}
