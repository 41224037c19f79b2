package register

import (
	"context"
	"database/sql"
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
	s                       *Store
	clock                   *clock
	ctx                     context.Context
	admin, op, rs, del, dpo *Session
}

func openStore(t testing.TB, dir string, c *clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{Now: c.Now, Software: "test"})
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
	f := &fixture{t: t, dir: t.TempDir(), clock: &clock{t: t0}, ctx: context.Background()}
	f.s = openStore(t, f.dir, f.clock)
	if err := f.s.Init(f.ctx, InitParams{Site: "Entrepôt Sud — Créteil", Admin: "admin", Password: adminPW}); err != nil {
		t.Fatal(err)
	}
	f.admin = f.login("admin", adminPW)
	f.addUser("o.martin", RoleOperator, opPW)
	f.addUser("rs.bernard", RoleSecurityManager, rsPW)
	f.addUser("d.petit", RoleDelegate, delPW)
	f.addUser("dpo.leroy", RoleDPO, dpoPW)
	f.op = f.login("o.martin", opPW)
	f.rs = f.login("rs.bernard", rsPW)
	f.del = f.login("d.petit", delPW)
	f.dpo = f.login("dpo.leroy", dpoPW)
	return f
}

func (f *fixture) login(name, pw string) *Session {
	f.t.Helper()
	s, err := f.s.Accounts.Login(f.ctx, name, pw)
	if err != nil {
		f.t.Fatalf("login %s: %v", name, err)
	}
	return s
}

func (f *fixture) addUser(name string, r Role, pw string) {
	f.t.Helper()
	if _, err := f.s.Accounts.AddUser(f.ctx, f.admin, name, r, pw); err != nil {
		f.t.Fatalf("add user %s: %v", name, err)
	}
}

func (f *fixture) verify(opt VerifyOptions) *Report {
	f.t.Helper()
	rep, err := f.s.Verify(f.ctx, opt)
	if err != nil {
		f.t.Fatalf("verify: %v", err)
	}
	return rep
}

// appendIncident appends an incident entry signed by sess, as the
// procedure's ReportIncident does.
func appendIncident(ctx context.Context, s *Store, sess *Session, detail string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, OpLogin)
		if err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sg, Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": detail}})
		return err
	})
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
