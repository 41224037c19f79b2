package connect

import (
	"context"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, secret string }{
		{"mediamtx:http://user:s3cret@host:9996?api=http://u2:p4ss@host:9997", "s3cret"},
		{"mediamtx:http://user:s3cret@host:9996?api=http://u2:p4ss@host:9997", "p4ss"},
		{"frigate:https://bearer:T0KEN@host:8971", "T0KEN"},
		{"frigate:https://admin:%zz@host", "%zz"},
	} {
		if got := Redact(tc.in); strings.Contains(got, tc.secret) {
			t.Errorf("Redact(%q) = %q still shows %q", tc.in, got, tc.secret)
		}
	}
	if got := Redact("folder:/srv/rec"); got != "folder:/srv/rec" {
		t.Errorf("folder address changed: %q", got)
	}
}

func TestOpenErrors(t *testing.T) {
	for _, addr := range []string{"", "nothing", "milestone:http://h", "folder:", "mediamtx:http://u:pw123@[bad"} {
		_, err := Open(context.Background(), addr)
		if err == nil {
			t.Errorf("Open(%q) succeeded", addr)
			continue
		}
		if strings.Contains(err.Error(), "pw123") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("mediamtx:http://user:s3cret@host:9996?api=http://u2:p4ss@host:9997")
	f.Add("frigate:https://x@y")
	f.Fuzz(func(t *testing.T, s string) { _ = Redact(s) })
}
