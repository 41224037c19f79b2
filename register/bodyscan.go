package register

import (
	"encoding/json"
	"unicode/utf8"
)

// scanBody is the fast path of [DecodeBody]: a single pass over the bytes
// that accepts a body only if it is exactly in canonical form (§2.1 of
// SPEC.md) and passes [Body.check]. It returns false for anything else,
// including canonical bodies it does not handle (deep nesting); DecodeBody
// then takes the slow path through encoding/json, which gives the error.
// FuzzScanBody checks that both paths agree.
func scanBody(raw []byte, b *Body) bool {
	if len(raw) > maxBody || !utf8.Valid(raw) {
		return false
	}
	// One string for the whole body: unescaped fields are substrings.
	s := string(raw)
	p := bodyScanner{s: s}
	var v Body
	if !p.lit(`{"v":1,"time":`) || !p.str(&v.Time) ||
		!p.lit(`,"actor":`) || !p.str(&v.Actor) ||
		!p.lit(`,"role":`) || !p.str((*string)(&v.Role)) ||
		!p.lit(`,"action":`) || !p.str(&v.Action) {
		return false
	}
	v.V = 1
	if p.lit(`,"subject":`) {
		if !p.str(&v.Subject) || v.Subject == "" {
			return false
		}
	}
	if !p.lit(`,"signer":`) || !p.str(&v.Signer) {
		return false
	}
	if p.lit(`,"data":`) {
		start := p.i
		if !p.object(0) {
			return false
		}
		v.Data = json.RawMessage(raw[start:p.i:p.i])
	}
	if p.lit(`,"personal":{"commit":`) {
		v.Personal = &PersonalRef{}
		if !p.str(&v.Personal.Commit) || !p.lit(`,"until":`) || !p.str(&v.Personal.Until) || !p.lit(`}`) {
			return false
		}
	}
	if !p.lit(`}`) || p.i != len(s) {
		return false
	}
	if v.check() != nil {
		return false
	}
	*b = v
	return true
}

// maxScanDepth bounds the nesting the fast path follows; deeper data go
// the slow path.
const maxScanDepth = 64

type bodyScanner struct {
	s string
	i int
}

func (p *bodyScanner) lit(l string) bool {
	if len(p.s)-p.i >= len(l) && p.s[p.i:p.i+len(l)] == l {
		p.i += len(l)
		return true
	}
	return false
}

// str reads a string in the form encoding/json writes it (HTML escaping
// off) and stores its value in *out.
func (p *bodyScanner) str(out *string) bool {
	var val string
	if !p.strValue(&val, true) {
		return false
	}
	*out = val
	return true
}

// strValue reads a canonical JSON string; with want, it stores its value.
func (p *bodyScanner) strValue(out *string, want bool) bool {
	s := p.s
	if p.i >= len(s) || s[p.i] != '"' {
		return false
	}
	start := p.i + 1
	var buf []byte // only when the string has escapes
	lastCopied := start
	for i := start; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			if want {
				if buf == nil {
					*out = s[start:i]
				} else {
					*out = string(append(buf, s[lastCopied:i]...))
				}
			}
			p.i = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if i+1 >= len(s) {
				return false
			}
			var dec byte
			n := 2
			switch s[i+1] {
			case '"', '\\':
				dec = s[i+1]
			case 'b':
				dec = '\b'
			case 'f':
				dec = '\f'
			case 'n':
				dec = '\n'
			case 'r':
				dec = '\r'
			case 't':
				dec = '\t'
			case 'u':
				if i+6 > len(s) {
					return false
				}
				switch u := s[i+2 : i+6]; u {
				case "2028", "2029":
					if want {
						buf = append(buf, s[lastCopied:i]...)
						buf = utf8.AppendRune(buf, rune(0x2020+int(u[3]-'0')))
						lastCopied = i + 6
					}
					i += 6
					continue
				default:
					h, ok := lowerHexByte(u)
					if !ok || h >= 0x20 || h == '\b' || h == '\f' || h == '\n' || h == '\r' || h == '\t' {
						return false
					}
					dec, n = h, 6
				}
			default:
				return false
			}
			if want {
				buf = append(buf, s[lastCopied:i]...)
				buf = append(buf, dec)
				lastCopied = i + n
			}
			i += n
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
			return false // U+2028 and U+2029 are written escaped
		default:
			i++
		}
	}
	return false
}

// lowerHexByte decodes "00XX" with lower-case hex digits.
func lowerHexByte(u string) (byte, bool) {
	if u[0] != '0' || u[1] != '0' {
		return 0, false
	}
	var v byte
	for _, c := range []byte(u[2:]) {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | (c - '0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}

// object reads a JSON object in the form canonicalize writes it: no
// white space, keys strictly increasing in byte order, values canonical.
func (p *bodyScanner) object(depth int) bool {
	if depth > maxScanDepth || !p.lit("{") {
		return false
	}
	if p.lit("}") {
		return true
	}
	var prev string
	for first := true; ; first = false {
		var key string
		if !p.strValue(&key, true) {
			return false
		}
		if !first && key <= prev {
			return false
		}
		prev = key
		if !p.lit(":") || !p.value(depth+1) {
			return false
		}
		if p.lit("}") {
			return true
		}
		if !p.lit(",") {
			return false
		}
	}
}

func (p *bodyScanner) array(depth int) bool {
	if depth > maxScanDepth || !p.lit("[") {
		return false
	}
	if p.lit("]") {
		return true
	}
	for {
		if !p.value(depth + 1) {
			return false
		}
		if p.lit("]") {
			return true
		}
		if !p.lit(",") {
			return false
		}
	}
}

func (p *bodyScanner) value(depth int) bool {
	if p.i >= len(p.s) {
		return false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.strValue(nil, false)
	case c == 't':
		return p.lit("true")
	case c == 'f':
		return p.lit("false")
	case c == 'n':
		return p.lit("null")
	default:
		return p.number()
	}
}

// number reads a JSON number; json.Number keeps it as written.
func (p *bodyScanner) number() bool {
	s, i := p.s, p.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	p.i = i
	return true
}
