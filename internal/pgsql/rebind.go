package pgsql

import (
	"strconv"
	"strings"
)

// Rebind rewrites the ? placeholders of a query written for SQLite into
// PostgreSQL's $1, $2…, leaving alone what is quoted: '…' strings, "…"
// identifiers, -- and /* */ comments and $tag$…$tag$ bodies (the
// migrations' PL/pgSQL). The application's SQL is otherwise portable.
func Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
			continue
		case c == '\'' || c == '"':
			j := closing(q, i+1, string(c))
			b.WriteString(q[i:j])
			i = j
			continue
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := closing(q, i+2, "\n")
			b.WriteString(q[i:j])
			i = j
			continue
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			j := closing(q, i+2, "*/")
			b.WriteString(q[i:j])
			i = j
			continue
		case c == '$' && (i == 0 || !identByte(q[i-1])):
			if tag, ok := dollarTag(q[i:]); ok {
				j := closing(q, i+len(tag), tag)
				b.WriteString(q[i:j])
				i = j
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// closing is the index just after the first end at or after from, or
// len(q) when the quote is not closed. A doubled quote (” or "") is
// found as two quotes in a row, which gives the same result.
func closing(q string, from int, end string) int {
	k := strings.Index(q[from:], end)
	if k < 0 {
		return len(q)
	}
	return from + k + len(end)
}

// dollarTag reads the opening $tag$ of a dollar-quoted string ($$ or
// $name$, the name not starting with a digit, unlike a $1 parameter).
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !identByte(c) || (j == 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

func identByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
