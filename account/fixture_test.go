package account

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"mileo.tech/extract/register"
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

const (
	adminPW = "Gestion-Comptes-9!"
	opPW    = "Camera-Salle-42!"
	rsPW    = "Secur1ty-Chef-77!"
	delPW   = "Remplace-RS-2026!"
	dpoPW   = "Prot3ction-Donnees!"
)

type fixture struct {
	t                       testing.TB
	dir                     string
	log                     *register.Store
	a                       *Service
	clock                   *clock
	ctx                     context.Context
	admin, op, rs, del, dpo *Session
}

// openStore opens the register in dir with the accounts service on it.
func openStore(t testing.TB, dir string, c *clock) (*register.Store, *Service) {
	t.Helper()
	s, err := register.Open(context.Background(), dir, register.Options{Now: c.Now, Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, New(s)
}

// newFixture creates a register in a temporary folder with one user per
// role, all logged in.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), clock: &clock{t: t0}, ctx: context.Background()}
	f.log, f.a = openStore(t, f.dir, f.clock)
	if err := f.a.Init(f.ctx, InitParams{Site: "Entrepôt Sud — Créteil", Admin: "admin", Password: adminPW}); err != nil {
		t.Fatal(err)
	}
	f.admin = f.login("admin", adminPW)
	f.addUser("o.martin", register.RoleOperator, opPW)
	f.addUser("rs.bernard", register.RoleSecurityManager, rsPW)
	f.addUser("d.petit", register.RoleDelegate, delPW)
	f.addUser("dpo.leroy", register.RoleDPO, dpoPW)
	f.op = f.login("o.martin", opPW)
	f.rs = f.login("rs.bernard", rsPW)
	f.del = f.login("d.petit", delPW)
	f.dpo = f.login("dpo.leroy", dpoPW)
	return f
}

func (f *fixture) login(name, pw string) *Session {
	f.t.Helper()
	s, err := f.a.Login(f.ctx, name, pw)
	if err != nil {
		f.t.Fatalf("login %s: %v", name, err)
	}
	return s
}

// addUser creates an account and goes through its first login, where the
// person sets pw (R-KEY-1).
func (f *fixture) addUser(name string, r register.Role, pw string) {
	f.t.Helper()
	_, otp, err := f.a.AddUser(f.ctx, f.admin, name, r)
	if err != nil {
		f.t.Fatalf("add user %s: %v", name, err)
	}
	f.firstLogin(name, otp, pw)
}

// firstLogin logs in with a one-time password and sets pw.
func (f *fixture) firstLogin(name, otp, pw string) {
	f.t.Helper()
	sess := f.login(name, otp)
	if !sess.OneTime() {
		f.t.Fatalf("%s: the one-time password opened a full session", name)
	}
	if err := f.a.SetPassword(f.ctx, sess, pw); err != nil {
		f.t.Fatalf("first password of %s: %v", name, err)
	}
	sess.Close()
}

// rawDB opens the register file through a second, plain connection, the way
// someone with the file and the sqlite3 tool would.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, register.DBName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
