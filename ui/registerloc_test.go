package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/internal/pgserver"
	"mileo.tech/extract/ui/settings"
)

// #21: the administrator chooses where the register lives. An address
// that is not postgres://, or that carries a password, is refused with
// what to do; a server that does not answer is a clear error and nothing
// is kept; a real PostgreSQL server (started by the test) answers, and the
// address is kept for the next start.
func TestRegisterLocationSetting(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("admin")
	test.Tap(u.nav.item("settings"))
	s := screenAs[*settings.Screen](t, u)
	if s.RegisterURL == nil {
		t.Fatal("no register location in the admin's settings")
	}
	try := func(addr string, b *widget.Button) string {
		t.Helper()
		s.RegisterURL.SetText(addr)
		test.Tap(b)
		u.Wait()
		return s.RegisterMsg.Text
	}
	testBtn, useBtn := s.TestRegister, s.UseRegister
	if m := try("mysql://x", testBtn); !strings.Contains(m, "postgres://") {
		t.Fatalf("bad address: %q", m)
	}
	if m := try("postgres://app:secret@db.example/mileo?sslmode=verify-full", useBtn); !strings.Contains(m, "~/.pgpass") {
		t.Fatalf("password in the address: %q", m)
	}
	if m := try("postgres://app@127.0.0.1:1/mileo?sslmode=disable", useBtn); !strings.Contains(m, "injoignable") {
		t.Fatalf("server down: %q", m)
	}
	if got := u.set.Register(); got != "" {
		t.Fatalf("an address that did not answer was kept: %q", got)
	}
	srv, err := pgserver.Start(context.Background(), pgserver.Options{})
	if errors.Is(err, pgserver.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	d, err := srv.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m := try(d.AppURL, testBtn); m != u.t("settings.register.ok") {
		t.Fatalf("test on a real server: %q", m)
	}
	if m := try(d.AppURL, useBtn); m != u.t("settings.register.restart") || u.set.Register() != d.AppURL {
		t.Fatalf("use: %q, kept %q", m, u.set.Register())
	}
}
