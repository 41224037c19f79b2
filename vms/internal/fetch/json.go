package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// DecodeJSON unmarshals one JSON value and rejects trailing data.
func DecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}

// Printable shortens a server's text to max bytes (and an ellipsis) and
// replaces control characters and invalid UTF-8, for messages.
func Printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	s = strings.TrimSpace(s)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
