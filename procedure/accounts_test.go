package procedure_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/papers"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// R-REG-1: logins and failed logins are entries. Five failures within 15
// minutes lock the account; a locked user cannot act.
func TestLockout(t *testing.T) {
	f := proceduretest.New(t)
	for i := 1; i <= 4; i++ {
		if _, err := f.Store.Login(f.Ctx, "o.martin", "wrong-Password-1"); !errors.Is(err, register.ErrLogin) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, err := f.Store.Login(f.Ctx, "o.martin", "wrong-Password-1")
	if !errors.Is(err, register.ErrLocked) {
		t.Fatalf("5th failure: %v", err)
	}
	if _, err := f.Store.Login(f.Ctx, "o.martin", proceduretest.OpPW); !errors.Is(err, register.ErrLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	// The session opened before the lock cannot act either.
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonInsurance)); !errors.Is(err, register.ErrLocked) {
		t.Fatalf("locked user acted: %v", err)
	}
	users, err := f.Store.Accounts.Users(f.Ctx, f.Admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if (u.Name == "o.martin") == u.LockedUntil.IsZero() {
			t.Fatalf("user %s locked until %v", u.Name, u.LockedUntil)
		}
	}
	f.Clock.Advance(account.LockDuration + time.Second)
	if _, err := f.Store.Login(f.Ctx, "o.martin", proceduretest.OpPW); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonInsurance)); err != nil {
		t.Fatalf("old session after the lock: %v", err)
	}
	n := f.CountActions("auth.fail")
	if n != 6 || f.CountActions("auth.lock") != 1 {
		t.Fatalf("%d auth.fail, want 6", n)
	}
	f.Verify(register.VerifyOptions{})
}

func TestDisabledUser(t *testing.T) {
	f := proceduretest.New(t)
	if err := f.Store.Accounts.DisableUser(f.Ctx, f.Op, "d.petit", "départ"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator disables: %v", err)
	}
	if err := f.Store.Accounts.DisableUser(f.Ctx, f.Admin, "admin", "x"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("admin disables self: %v", err)
	}
	if err := f.Store.Accounts.DisableUser(f.Ctx, f.Admin, "d.petit", "départ"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Login(f.Ctx, "d.petit", proceduretest.DelPW); !errors.Is(err, register.ErrDisabled) {
		t.Fatalf("disabled login: %v", err)
	}
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.Del, c.Number, ""); !errors.Is(err, register.ErrDisabled) {
		t.Fatalf("disabled user acted: %v", err)
	}
	f.Verify(register.VerifyOptions{})
}

// register.Role tests: an operator cannot authorize (R-AUTH-1), an administrator
// cannot authorize nor erase history, only the administrator manages
// accounts.
func TestRoles(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	type op struct {
		name string
		do   func(s *account.Session) error
	}
	ops := []op{
		{"authorize", func(s *account.Session) error { _, err := f.Store.Cases.Authorize(f.Ctx, s, c.Number, ""); return err }},
		{"refuse", func(s *account.Session) error { _, err := f.Store.Cases.Refuse(f.Ctx, s, c.Number, "non"); return err }},
		{"add user", func(s *account.Session) error {
			_, _, err := f.Store.Accounts.AddUser(f.Ctx, s, "x.new", register.RoleOperator)
			return err
		}},
		{"new case", func(s *account.Session) error {
			_, err := f.Store.Cases.New(f.Ctx, s, f.Request(ReasonIncident))
			return err
		}},
		{"erase personal data", func(s *account.Session) error { _, err := f.Store.Purges.ErasePersonal(f.Ctx, s); return err }},
		{"export register", func(s *account.Session) error {
			return papers.New(f.Store).ExportRegister(f.Ctx, s, "csv", &bytes.Buffer{}, papers.PrintOptions{})
		}},
		{"change settings", func(s *account.Session) error { return f.Store.Settings.Set(f.Ctx, s, "print.language", "fr") }},
	}
	forbidden := map[string][]string{
		"authorize":           {"o.martin", "admin", "dpo.leroy"},
		"refuse":              {"o.martin", "admin", "dpo.leroy"},
		"add user":            {"o.martin", "rs.bernard", "d.petit", "dpo.leroy"},
		"new case":            {"admin"},
		"erase personal data": {"o.martin", "admin", "rs.bernard", "d.petit"},
		"export register":     {"o.martin", "admin"},
		"change settings":     {"o.martin", "rs.bernard", "d.petit", "dpo.leroy"},
	}
	for _, o := range ops {
		for _, s := range []*account.Session{f.Op, f.Admin, f.DPO} {
			want := false
			for _, n := range forbidden[o.name] {
				want = want || n == s.User
			}
			err := o.do(s)
			if want != errors.Is(err, register.ErrForbidden) {
				t.Errorf("%s by %s: %v (forbidden: %v)", o.name, s.User, err, want)
			}
		}
	}
	// R-KEY-1: the one-time password the administrator got for a security
	// manager opens a session that takes none of these acts — not even
	// the authorization the role allows — until the person sets their own
	// password.
	_, otp, err := f.Store.Accounts.AddUser(f.Ctx, f.Admin, "rs.neuf", register.RoleSecurityManager)
	if err != nil {
		t.Fatal(err)
	}
	oneTime := f.Login("rs.neuf", otp)
	for _, o := range ops {
		if err := o.do(oneTime); !errors.Is(err, register.ErrPasswordChange) {
			t.Errorf("%s with a one-time password: %v", o.name, err)
		}
	}
	if err := f.Store.Accounts.SetPassword(f.Ctx, oneTime, "Mon-Propre-Secret-7"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Cases.Authorize(f.Ctx, oneTime, c.Number, ""); err != nil {
		t.Fatalf("authorize once the password is set: %v", err)
	}
	f.Verify(register.VerifyOptions{})
}
