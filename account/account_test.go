package account

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"mileo.tech/extract/register"
	"time"
)

func TestInit(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	_, a := openStore(t, dir, &clock{t: t0})
	if _, err := a.Login(ctx, "admin", "x"); !errors.Is(err, register.ErrNotInitialized) {
		t.Fatalf("login before init: %v", err)
	}
	// Never a default or weak password.
	for _, pw := range []string{"", "short", "alllowercaseletters", "admin-Admin-1234"} {
		if err := a.Init(ctx, InitParams{Site: "Site", Admin: "admin", Password: pw}); !errors.Is(err, register.ErrWeakPassword) {
			t.Errorf("init with %q: %v", pw, err)
		}
	}
	if err := a.Init(ctx, InitParams{Site: "", Admin: "admin", Password: adminPW}); !errors.Is(err, register.ErrInvalid) {
		t.Errorf("init without site: %v", err)
	}
	if err := a.Init(ctx, InitParams{Site: "Site", Admin: "Admin Root", Password: adminPW}); !errors.Is(err, register.ErrInvalid) {
		t.Errorf("init with a bad user name: %v", err)
	}
	if err := a.Init(ctx, InitParams{Site: "Site", Admin: "admin", Password: adminPW}); err != nil {
		t.Fatal(err)
	}
	if err := a.Init(ctx, InitParams{Site: "Site", Admin: "admin2", Password: adminPW}); !errors.Is(err, register.ErrAlreadyInitialized) {
		t.Fatalf("second init: %v", err)
	}
	st, err := os.Stat(filepath.Join(dir, register.SiteKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("site key file: %v %v", st.Mode(), err)
	}
	// A second process (here a second Store) sees the initialized register.
	s2, a2 := openStore(t, dir, &clock{t: t0})
	if !s2.Initialized() {
		t.Fatal("not initialized in a second store")
	}
	if err := a2.Init(ctx, InitParams{Site: "Site", Admin: "admin2", Password: adminPW}); !errors.Is(err, register.ErrAlreadyInitialized) {
		t.Fatalf("second init from another store: %v", err)
	}
	sess, err := a2.Login(ctx, "admin", adminPW)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Role != register.RoleAdmin {
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
	f.log.Close()
	db, err := os.ReadFile(filepath.Join(f.dir, register.DBName))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(f.dir, register.DBName+"-wal"))
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

func TestLockoutWindowAndUnlock(t *testing.T) {
	f := newFixture(t)
	fail := func(n int) error {
		var err error
		for i := 0; i < n; i++ {
			_, err = f.a.Login(f.ctx, "rs.bernard", "nope-Nope-Nope-1")
		}
		return err
	}
	// 4 + 4 failures more than 15 minutes apart do not lock.
	fail(4)
	f.clock.Advance(FailWindow + time.Minute)
	if err := fail(4); !errors.Is(err, register.ErrLogin) {
		t.Fatalf("spread failures: %v", err)
	}
	if err := fail(1); !errors.Is(err, register.ErrLocked) {
		t.Fatalf("5th failure within the window: %v", err)
	}
	// The operator cannot unlock; the administrator can.
	if err := f.a.UnlockUser(f.ctx, f.op, "rs.bernard"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator unlock: %v", err)
	}
	if err := f.a.UnlockUser(f.ctx, f.admin, "rs.bernard"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Login(f.ctx, "rs.bernard", rsPW); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestUnknownUserNotRecorded(t *testing.T) {
	f := newFixture(t)
	typed := "Mon-Mot-De-Passe-42" // a password typed in the user field
	if _, err := f.a.Login(f.ctx, typed, "x"); !errors.Is(err, register.ErrLogin) {
		t.Fatal(err)
	}
	rows, err := f.log.ReadDB().Query(`SELECT body FROM entries WHERE action = 'auth.fail'`)
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

// Editing the credentials table cannot give someone else's key or role.
func TestTamperedCredentialsRefused(t *testing.T) {
	f := newFixture(t)
	db := rawDB(t, f.dir)
	// Give the operator the security manager's sealed key and password.
	mustExec(t, db, `UPDATE users SET password = (SELECT password FROM users WHERE name = 'rs.bernard'),
		key_kdf = (SELECT key_kdf FROM users WHERE name = 'rs.bernard'), key_box = (SELECT key_box FROM users WHERE name = 'rs.bernard')
		WHERE name = 'o.martin'`)
	if _, err := f.a.Login(f.ctx, "o.martin", rsPW); !errors.Is(err, register.ErrTampered) {
		t.Fatalf("login with a swapped key: %v", err)
	}
}

// Parallel guesses on one account are checked one at a time: no more than
// MaxFailedLogins wrong passwords are tried before the lock, and the right
// password after it opens nothing (R-REG-1, R-INC-1; issue 16).
func TestParallelGuessesLockOut(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.a.Login(f.ctx, "o.martin", fmt.Sprintf("Mauvais-Mot-%02d!", i)); err == nil {
				t.Error("a wrong password opened a session")
			}
		}()
	}
	wg.Wait()
	rows, err := f.log.ReadDB().Query(`SELECT body FROM entries WHERE action = 'auth.fail' AND subject = 'user:o.martin'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), `"bad_password"`) {
			checked++
		}
	}
	if checked > MaxFailedLogins {
		t.Fatalf("%d wrong passwords were checked, want at most %d before the lock", checked, MaxFailedLogins)
	}
	if _, err := f.a.Login(f.ctx, "o.martin", opPW); !errors.Is(err, register.ErrLocked) {
		t.Fatalf("the right password after the lock: %v", err)
	}
}

// A login with an unknown name does the same password work as a wrong
// password: its time does not tell whether the name exists (issue 16).
func TestUnknownUserCostsAPasswordCheck(t *testing.T) {
	f := newFixture(t)
	work := func(name string) int64 {
		before := passwordChecks.Load()
		if _, err := f.a.Login(f.ctx, name, "Pas-Le-Bon-77!"); !errors.Is(err, register.ErrLogin) {
			t.Fatalf("login %s: %v", name, err)
		}
		return passwordChecks.Load() - before
	}
	if known, unknown := work("o.martin"), work("personne"); known != unknown || known == 0 {
		t.Fatalf("password checks: %d for a known name, %d for an unknown one", known, unknown)
	}
}
