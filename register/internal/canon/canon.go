package canon

import "unicode/utf8"

// MaxDepth bounds the nesting the scanner follows; deeper data are
// refused (the caller takes its slow path).
const MaxDepth = 64

// Scanner reads S from offset I.
type Scanner struct {
	S string
	I int
}

// Lit consumes l if it comes next.
func (p *Scanner) Lit(l string) bool {
	if len(p.S)-p.I >= len(l) && p.S[p.I:p.I+len(l)] == l {
		p.I += len(l)
		return true
	}
	return false
}

// Str reads a string in the form encoding/json writes it (HTML escaping
// off) and stores its value in *out.
func (p *Scanner) Str(out *string) bool {
	var val string
	if !p.strValue(&val, true) {
		return false
	}
	*out = val
	return true
}

// strValue reads a canonical JSON string; with want, it stores its value.
func (p *Scanner) strValue(out *string, want bool) bool {
	s := p.S
	if p.I >= len(s) || s[p.I] != '"' {
		return false
	}
	start := p.I + 1
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
			p.I = i + 1
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

// Object reads a JSON object in the form register's canonicalize writes
// it: no
// white space, keys strictly increasing in byte order, values canonical.
func (p *Scanner) Object(depth int) bool {
	if depth > MaxDepth || !p.Lit("{") {
		return false
	}
	if p.Lit("}") {
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
		if !p.Lit(":") || !p.value(depth+1) {
			return false
		}
		if p.Lit("}") {
			return true
		}
		if !p.Lit(",") {
			return false
		}
	}
}

func (p *Scanner) array(depth int) bool {
	if depth > MaxDepth || !p.Lit("[") {
		return false
	}
	if p.Lit("]") {
		return true
	}
	for {
		if !p.value(depth + 1) {
			return false
		}
		if p.Lit("]") {
			return true
		}
		if !p.Lit(",") {
			return false
		}
	}
}

func (p *Scanner) value(depth int) bool {
	if p.I >= len(p.S) {
		return false
	}
	switch c := p.S[p.I]; {
	case c == '{':
		return p.Object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.strValue(nil, false)
	case c == 't':
		return p.Lit("true")
	case c == 'f':
		return p.Lit("false")
	case c == 'n':
		return p.Lit("null")
	default:
		return p.number()
	}
}

// number reads a JSON number; json.Number keeps it as written.
func (p *Scanner) number() bool {
	s, i := p.S, p.I
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
	p.I = i
	return true
}
