package register

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestInit(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s := openStore(t, dir, &clock{t: t0})
	if _, err := s.Login(ctx, "admin", "x"); !errors.Is(err, ErrNotInitialized) {
		t.Fatalf("login before init: %v", err)
	}
	// Never a default or weak password.
	for _, pw := range []string{"", "short", "alllowercaseletters", "admin-Admin-1234"} {
		if err := s.Init(ctx, InitParams{Site: "Site", Admin: "admin", Password: pw}); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("init with %q: %v", pw, err)
		}
	}
	if err := s.Init(ctx, InitParams{Site: "", Admin: "admin", Password: adminPW}); !errors.Is(err, ErrInvalid) {
		t.Errorf("init without site: %v", err)
	}
	if err := s.Init(ctx, InitParams{Site: "Site", Admin: "Admin Root", Password: adminPW}); !errors.Is(err, ErrInvalid) {
		t.Errorf("init with a bad user name: %v", err)
	}
	if err := s.Init(ctx, InitParams{Site: "Site", Admin: "admin", Password: adminPW}); err != nil {
		t.Fatal(err)
	}
	if err := s.Init(ctx, InitParams{Site: "Site", Admin: "admin2", Password: adminPW}); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("second init: %v", err)
	}
	st, err := os.Stat(filepath.Join(dir, SiteKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("site key file: %v %v", st.Mode(), err)
	}
	// A second process (here a second Store) sees the initialized register.
	s2 := openStore(t, dir, &clock{t: t0})
	if !s2.Initialized() {
		t.Fatal("not initialized in a second store")
	}
	if err := s2.Init(ctx, InitParams{Site: "Site", Admin: "admin2", Password: adminPW}); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("second init from another store: %v", err)
	}
	sess, err := s2.Login(ctx, "admin", adminPW)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Role != RoleAdmin {
		t.Fatalf("role %s", sess.Role)
	}
}

func TestPasswordStorage(t *testing.T) {
	// Production parameters (the tests of this package use cheaper ones).
	phc, err := hashPassword("Correct-Horse-9!", productionKDF)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Fatalf("PHC string %q", phc)
	}
	p, salt, hash, err := parsePHC(phc, true)
	if err != nil || p != productionKDF || len(salt) != 16 || len(hash) != 32 {
		t.Fatalf("parse %q: %+v %d %d %v", phc, p, len(salt), len(hash), err)
	}
	if ok, _ := checkPassword(phc, "Correct-Horse-9!"); !ok {
		t.Fatal("right password refused")
	}
	if ok, _ := checkPassword(phc, "Correct-Horse-9?"); ok {
		t.Fatal("wrong password accepted")
	}

	f := newFixture(t)
	f.s.Close()
	db, err := os.ReadFile(filepath.Join(f.dir, DBName))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(f.dir, DBName+"-wal"))
	for _, pw := range []string{adminPW, opPW, rsPW, delPW, dpoPW} {
		if bytes.Contains(db, []byte(pw)) || bytes.Contains(wal, []byte(pw)) {
			t.Fatalf("password %q stored in clear", pw)
		}
	}
	seed := f.op.priv.Seed()
	if bytes.Contains(db, seed) || bytes.Contains(wal, seed) {
		t.Fatal("signing key stored in clear")
	}
}

func TestCheckPasswordStrength(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"Ab1!", false},
		{"abcdefghijkl", false},
		{"abcdefghij12", false},
		{"abcdefghi1!x", true},
		{"Abcdefghijk1", true},
		{"Élève-école-12", true},
		{"xxm.dupontxx1!", false}, // contains the user name
	}
	for _, tt := range tests {
		err := CheckPasswordStrength("m.dupont", tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v", tt.pw, err)
		}
	}
}

// R-REG-1: logins and failed logins are entries. Five failures within 15
// minutes lock the account; a locked user cannot act.
func TestLockout(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 4; i++ {
		if _, err := f.s.Login(f.ctx, "o.martin", "wrong-Password-1"); !errors.Is(err, ErrLogin) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, err := f.s.Login(f.ctx, "o.martin", "wrong-Password-1")
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("5th failure: %v", err)
	}
	if _, err := f.s.Login(f.ctx, "o.martin", opPW); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	// The session opened before the lock cannot act either.
	if _, err := f.s.NewCase(f.ctx, f.op, f.request(ReasonInsurance)); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked user acted: %v", err)
	}
	users, err := f.s.Users(f.ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if (u.Name == "o.martin") == u.LockedUntil.IsZero() {
			t.Fatalf("user %s locked until %v", u.Name, u.LockedUntil)
		}
	}
	f.clock.Advance(LockDuration + time.Second)
	if _, err := f.s.Login(f.ctx, "o.martin", opPW); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if _, err := f.s.NewCase(f.ctx, f.op, f.request(ReasonInsurance)); err != nil {
		t.Fatalf("old session after the lock: %v", err)
	}
	n := countActions(t, f, "auth.fail")
	if n != 6 || countActions(t, f, "auth.lock") != 1 {
		t.Fatalf("%d auth.fail, want 6", n)
	}
	f.verify(VerifyOptions{})
}

func TestLockoutWindowAndUnlock(t *testing.T) {
	f := newFixture(t)
	fail := func(n int) error {
		var err error
		for i := 0; i < n; i++ {
			_, err = f.s.Login(f.ctx, "rs.bernard", "nope-Nope-Nope-1")
		}
		return err
	}
	// 4 + 4 failures more than 15 minutes apart do not lock.
	fail(4)
	f.clock.Advance(FailWindow + time.Minute)
	if err := fail(4); !errors.Is(err, ErrLogin) {
		t.Fatalf("spread failures: %v", err)
	}
	if err := fail(1); !errors.Is(err, ErrLocked) {
		t.Fatalf("5th failure within the window: %v", err)
	}
	// The operator cannot unlock; the administrator can.
	if err := f.s.UnlockUser(f.ctx, f.op, "rs.bernard"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("operator unlock: %v", err)
	}
	if err := f.s.UnlockUser(f.ctx, f.admin, "rs.bernard"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Login(f.ctx, "rs.bernard", rsPW); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestUnknownUserNotRecorded(t *testing.T) {
	f := newFixture(t)
	typed := "Mon-Mot-De-Passe-42" // a password typed in the user field
	if _, err := f.s.Login(f.ctx, typed, "x"); !errors.Is(err, ErrLogin) {
		t.Fatal(err)
	}
	rows, err := f.s.rdb.Query(`SELECT body FROM entries WHERE action = 'auth.fail'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var b []byte
		rows.Scan(&b)
		n++
		if bytes.Contains(b, []byte(typed)) {
			t.Fatal("the typed user name was recorded")
		}
	}
	if n != 1 {
		t.Fatalf("%d auth.fail entries", n)
	}
}

func TestDisabledUser(t *testing.T) {
	f := newFixture(t)
	if err := f.s.DisableUser(f.ctx, f.op, "d.petit", "départ"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("operator disables: %v", err)
	}
	if err := f.s.DisableUser(f.ctx, f.admin, "admin", "x"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("admin disables self: %v", err)
	}
	if err := f.s.DisableUser(f.ctx, f.admin, "d.petit", "départ"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Login(f.ctx, "d.petit", delPW); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled login: %v", err)
	}
	c := f.newCase(ReasonInsurance)
	if _, err := f.s.Authorize(f.ctx, f.del, c.Number, ""); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled user acted: %v", err)
	}
	f.verify(VerifyOptions{})
}

// Role tests: an operator cannot authorize (R-AUTH-1), an administrator
// cannot authorize nor erase history, only the administrator manages
// accounts.
func TestRoles(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	type op struct {
		name string
		do   func(s *Session) error
	}
	ops := []op{
		{"authorize", func(s *Session) error { _, err := f.s.Authorize(f.ctx, s, c.Number, ""); return err }},
		{"refuse", func(s *Session) error { _, err := f.s.Refuse(f.ctx, s, c.Number, "non"); return err }},
		{"add user", func(s *Session) error {
			_, err := f.s.AddUser(f.ctx, s, "x.new", RoleOperator, "Nouveau-Compte-1!")
			return err
		}},
		{"new case", func(s *Session) error { _, err := f.s.NewCase(f.ctx, s, f.request(ReasonIncident)); return err }},
		{"erase personal data", func(s *Session) error { _, err := f.s.ErasePersonal(f.ctx, s); return err }},
		{"export register", func(s *Session) error { return f.s.ExportRegister(f.ctx, s, "csv", &bytes.Buffer{}, PrintOptions{}) }},
		{"change settings", func(s *Session) error { return f.s.SetSetting(f.ctx, s, "print.language", "fr") }},
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
		for _, s := range []*Session{f.op, f.admin, f.dpo} {
			want := false
			for _, n := range forbidden[o.name] {
				want = want || n == s.User
			}
			err := o.do(s)
			if want != errors.Is(err, ErrForbidden) {
				t.Errorf("%s by %s: %v (forbidden: %v)", o.name, s.User, err, want)
			}
		}
	}
	f.verify(VerifyOptions{})
}

// Editing the credentials table cannot give someone else's key or role.
func TestTamperedCredentialsRefused(t *testing.T) {
	f := newFixture(t)
	db := rawDB(t, f.dir)
	// Give the operator the security manager's sealed key and password.
	mustExec(t, db, `UPDATE users SET password = (SELECT password FROM users WHERE name = 'rs.bernard'),
		key_kdf = (SELECT key_kdf FROM users WHERE name = 'rs.bernard'), key_box = (SELECT key_box FROM users WHERE name = 'rs.bernard')
		WHERE name = 'o.martin'`)
	if _, err := f.s.Login(f.ctx, "o.martin", rsPW); err == nil {
		t.Fatal("login with a swapped key accepted")
	}
}

func countActions(t *testing.T, f *fixture, action string) int {
	t.Helper()
	var n int
	if err := f.s.rdb.QueryRow(`SELECT COUNT(*) FROM entries WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
