package register

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is an injectable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // strictly increasing
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testUser is an account of a test register: its key, which the tests
// hold directly (package account, which seals keys under passwords, is
// built on this package).
type testUser struct {
	name string
	role Role
	priv ed25519.PrivateKey
}

// testKey is the key of a test account, derived from its name so that a
// child process can sign as the same user.
func testKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("register test key\x00" + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

func newTestUser(name string, r Role) *testUser {
	return &testUser{name: name, role: r, priv: testKey(name)}
}

func (u *testUser) signer() *Signer { return NewSigner(u.name, u.role, u.priv) }

// addData is the data of the user.add entry of u with its key: only the
// first administrator's (entry 2) carries one.
func (u *testUser) addData() UserData {
	pub := u.priv.Public().(ed25519.PublicKey)
	return UserData{User: u.name, Role: u.role, PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: Fingerprint(pub)}
}

// keyData is the data of the user.key entry of u: the key it makes at its
// first login (R-KEY-1).
func (u *testUser) keyData() UserData {
	d := u.addData()
	d.Role = ""
	return d
}

type fixture struct {
	t                       testing.TB
	dir                     string
	s                       *Store
	clock                   *clock
	ctx                     context.Context
	admin, op, rs, del, dpo *testUser
}

func openStore(t testing.TB, dir string, c *clock) *Store {
	t.Helper()
	return openStoreURL(t, dir, "", c)
}

// openStoreURL opens the register at url (a PostgreSQL register) or, for
// "", the SQLite file in dir.
func openStoreURL(t testing.TB, dir, url string, c *clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{Now: c.Now, Software: "test", URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newFixture creates a register in a temporary folder with one user per
// role, all logged in.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureURL(t, "")
}

// newFixtureURL is newFixture on the PostgreSQL register at url.
func newFixtureURL(t testing.TB, url string) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), clock: &clock{t: t0}, ctx: context.Background()}
	f.s = openStoreURL(t, f.dir, url, f.clock)
	f.admin = initStore(t, f.s, "Entrepôt Sud — Créteil")
	f.op = f.addUser("o.martin", RoleOperator)
	f.rs = f.addUser("rs.bernard", RoleSecurityManager)
	f.del = f.addUser("d.petit", RoleDelegate)
	f.dpo = f.addUser("dpo.leroy", RoleDPO)
	return f
}

// initStore creates the register with its first administrator, "admin",
// as package account does (entry 2, signed by the site key).
func initStore(t testing.TB, s *Store, site string) *testUser {
	t.Helper()
	admin := newTestUser("admin", RoleAdmin)
	err := s.Init(context.Background(), site, func(tx *sql.Tx, sys *Signer) error {
		_, err := s.AppendTx(context.Background(), tx, sys, Record{Action: "user.add", Subject: UserSubject(admin.name), Data: admin.addData()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return admin
}

// addUser publishes an account, signed by the administrator.
func (f *fixture) addUser(name string, r Role) *testUser {
	f.t.Helper()
	u := newTestUser(name, r)
	if _, err := f.s.AppendOne(f.ctx, f.admin.signer(), Record{Action: "user.add", Subject: UserSubject(name), Data: UserData{User: name, Role: r}}); err != nil {
		f.t.Fatalf("add user %s: %v", name, err)
	}
	if _, err := f.s.AppendOne(f.ctx, u.signer(), Record{Action: "user.key", Subject: UserSubject(name), Data: u.keyData()}); err != nil {
		f.t.Fatalf("key of user %s: %v", name, err)
	}
	return u
}

func (f *fixture) verify(opt VerifyOptions) *Report {
	f.t.Helper()
	rep, err := f.s.Verify(f.ctx, opt)
	if err != nil {
		f.t.Fatalf("verify: %v", err)
	}
	return rep
}

// appendIncident appends an incident entry signed by u, as the
// procedure's ReportIncident does.
func appendIncident(ctx context.Context, s *Store, u *testUser, detail string) error {
	_, err := s.AppendOne(ctx, u.signer(), Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": detail}})
	return err
}

// rawDB opens the register file through a second, plain connection, the way
// someone with the file and the sqlite3 tool would, and drops the
// triggers that refuse UPDATE and DELETE.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, DBName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, tr := range []string{"entries_no_update", "entries_no_delete", "entries_in_order",
		"personal_no_delete", "personal_erase_only", "checkpoints_no_update", "checkpoints_no_delete"} {
		if _, err := db.Exec("DROP TRIGGER " + tr); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func wantVerifyError(t *testing.T, f *fixture, opt VerifyOptions, seq int64, kind error) {
	t.Helper()
	_, err := f.s.Verify(f.ctx, opt)
	if err == nil {
		t.Fatal("verify found nothing")
	}
	var ve *VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, kind) {
		t.Fatalf("verify: %v (%T), want %v", err, err, kind)
	}
	if ve.Seq != seq || !strings.Contains(err.Error(), fmt.Sprintf("entry %d", seq)) {
		t.Fatalf("verify: %v; want the error to name entry %d", err, seq)
	}
	t.Logf("detected: %v", err)
}
