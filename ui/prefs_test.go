package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Issue #5: a source's credentials are used for the session but never
// written to the preferences file.
func TestSourceCredentialsStayInMemory(t *testing.T) {
	app := test.NewTempApp(t)
	s := loadSettings(app.Preferences())
	const addr = "mediamtx:http://cam:S3cr3t-pw@127.0.0.1:9996?api=http://127.0.0.1:9997"
	s.AddSource(addr)
	for _, a := range app.Preferences().StringList(prefSources) {
		if strings.Contains(a, "S3cr3t-pw") {
			t.Fatalf("preferences hold the password: %q", a)
		}
	}
	if got := s.Sources(); len(got) != 1 || got[0] != addr {
		t.Fatalf("this session's sources = %q, want the full address", got)
	}
	// A new session without login reads only the redacted address.
	if got := loadSettings(app.Preferences()).Sources(); len(got) != 1 || strings.Contains(got[0], "S3cr3t-pw") {
		t.Fatalf("next session's sources = %q", got)
	}
	s.RemoveSource(addr)
	if got := s.Sources(); len(got) != 0 {
		t.Fatalf("after removal: %q", got)
	}
}

// Issue #5: credentials are stored encrypted with the user's key: the same
// user finds them after logging in again, another user does not, and the
// preferences never hold them in clear.
func TestSourceCredentialsSealedPerUser(t *testing.T) {
	f := newAccountsFixture(t)
	app, st := f.app, f.store
	alice, err := st.Login(context.Background(), "o.martin", opPW)
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.Login(context.Background(), "dpo.leroy", dpoPW)
	if err != nil {
		t.Fatal(err)
	}
	const addr = "frigate:https://admin:S3cr3t-pw@10.0.0.9:8971"
	s := loadSettings(app.Preferences())
	s.unlock(alice)
	s.AddSource(addr)
	s.lock()
	for _, k := range []string{prefSources, prefSealed + alice.User} {
		for _, v := range app.Preferences().StringList(k) {
			if strings.Contains(v, "S3cr3t-pw") {
				t.Fatalf("preference %s holds the password", k)
			}
		}
	}
	again, err := st.Login(context.Background(), "o.martin", opPW)
	if err != nil {
		t.Fatal(err)
	}
	s2 := loadSettings(app.Preferences())
	s2.unlock(again)
	if got := s2.Sources(); len(got) != 1 || got[0] != addr {
		t.Fatalf("after a new login: %q", got)
	}
	s3 := loadSettings(app.Preferences())
	s3.unlock(other)
	if got := s3.Sources(); len(got) != 1 || strings.Contains(got[0], "S3cr3t-pw") {
		t.Fatalf("another user sees %q", got)
	}
}
