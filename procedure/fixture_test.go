package procedure

import (
	"context"
	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
	"sync"
	"testing"
	"time"

	"mileo.tech/extract/vms"
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
	admin, op, rs, del, dpo *account.Session
}

func openStore(t testing.TB, dir string, c *clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, register.Options{Now: c.Now, Software: "test"})
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
	if err := f.s.Accounts.Init(f.ctx, account.InitParams{Site: "Entrepôt Sud — Créteil", Admin: "admin", Password: adminPW}); err != nil {
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

func (f *fixture) login(name, pw string) *account.Session {
	f.t.Helper()
	s, err := f.s.Login(f.ctx, name, pw)
	if err != nil {
		f.t.Fatalf("login %s: %v", name, err)
	}
	return s
}

// addUser creates an account, then logs in with its one-time password and
// sets pw, as the person does at their first login (R-KEY-1).
func (f *fixture) addUser(name string, r register.Role, pw string) {
	f.t.Helper()
	_, otp, err := f.s.Accounts.AddUser(f.ctx, f.admin, name, r)
	if err != nil {
		f.t.Fatalf("add user %s: %v", name, err)
	}
	sess := f.login(name, otp)
	if err := f.s.Accounts.SetPassword(f.ctx, sess, pw); err != nil {
		f.t.Fatalf("first password of %s: %v", name, err)
	}
	sess.Close()
}

func (f *fixture) request(reason Reason) Request {
	r := Request{
		Reason: reason, Detail: "vol à l'étalage",
		Requester:     Party{Name: "Brigadier Léa Durand", Org: "Commissariat de Créteil", Contact: "01 02 03 04 05"},
		Recipient:     "Commissariat de Créteil",
		Received:      t0.Add(-time.Hour),
		Range:         vms.Range{Start: t0.Add(-26 * time.Hour), End: t0.Add(-25 * time.Hour)},
		Cameras:       []string{"cam1", "cam2"},
		Justification: "Vol signalé à l'accueil ; images nécessaires à l'enquête.",
	}
	switch reason {
	case ReasonJudicial:
		r.RequisitionRef = "PV 2026/00123"
		r.Detail = "réquisition judiciaire"
	case ReasonAccess:
		r.Requester = Party{Name: "Jean Dupont", Contact: "jean@example.org"}
		r.Recipient = "Jean Dupont"
		r.Identity = &IdentityCheck{Method: "carte d'identité présentée à l'accueil", CheckedBy: "o.martin", Legitimacy: "présent sur les lieux le jour dit"}
	case ReasonIncident:
		r.Internal = true
		r.Recipient = "Service sécurité interne"
	case ReasonInsurance:
		r.Recipient = "Assureur AXA, dossier 42"
	}
	return r
}

// newCase files and confirms a request.
func (f *fixture) newCase(reason Reason) *Case {
	f.t.Helper()
	c, err := f.s.Cases.New(f.ctx, f.op, f.request(reason))
	if err != nil {
		f.t.Fatal(err)
	}
	c, err = f.s.Cases.Confirm(f.ctx, f.op, c.Number, ConfirmInput{How: "téléphone", With: "le demandeur"})
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) verify(opt register.VerifyOptions) *register.Report {
	f.t.Helper()
	rep, err := f.s.Verify(f.ctx, opt)
	if err != nil {
		f.t.Fatalf("verify: %v", err)
	}
	return rep
}

func countActions(t *testing.T, f *fixture, action string) int {
	t.Helper()
	var n int
	if err := f.s.ReadDB().QueryRow(`SELECT COUNT(*) FROM entries WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
