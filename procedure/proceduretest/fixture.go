package proceduretest

import (
	"context"
	"sync"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// Tests use cheap argon2id parameters; production uses the register's.
func init() { account.UseTestKDF() }

// Clock is an injectable clock for tests, strictly increasing.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock set at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the time, one millisecond after the last one given.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // strictly increasing
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// T0 is when a fixture's clock starts.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// The passwords of the fixture's users.
const (
	AdminPW = "Gestion-Comptes-9!"
	OpPW    = "Camera-Salle-42!"
	RSPW    = "Secur1ty-Chef-77!"
	DelPW   = "Remplace-RS-2026!"
	DPOPW   = "Prot3ction-Donnees!"
)

// Fixture is a register in a temporary folder with the procedure on it and
// one user per role, all logged in: admin, o.martin (operator), rs.bernard
// (security manager), d.petit (delegate), dpo.leroy (DPO).
type Fixture struct {
	T     testing.TB
	Dir   string
	Store *procedure.Store
	Clock *Clock
	Ctx   context.Context

	Admin, Op, RS, Del, DPO *account.Session
}

// Open opens the register in dir with the procedure on it, on clock c, and
// closes it when the test ends.
func Open(t testing.TB, dir string, c *Clock) *procedure.Store {
	t.Helper()
	s, err := procedure.Open(context.Background(), dir, register.Options{Now: c.Now, Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// New creates a register in a temporary folder with one user per role, all
// logged in.
func New(t testing.TB) *Fixture {
	t.Helper()
	f := &Fixture{T: t, Dir: t.TempDir(), Clock: NewClock(T0), Ctx: context.Background()}
	f.Store = Open(t, f.Dir, f.Clock)
	if err := f.Store.Accounts.Init(f.Ctx, account.InitParams{Site: "Entrepôt Sud — Créteil", Admin: "admin", Password: AdminPW}); err != nil {
		t.Fatal(err)
	}
	f.Admin = f.Login("admin", AdminPW)
	f.AddUser("o.martin", register.RoleOperator, OpPW)
	f.AddUser("rs.bernard", register.RoleSecurityManager, RSPW)
	f.AddUser("d.petit", register.RoleDelegate, DelPW)
	f.AddUser("dpo.leroy", register.RoleDPO, DPOPW)
	f.Op = f.Login("o.martin", OpPW)
	f.RS = f.Login("rs.bernard", RSPW)
	f.Del = f.Login("d.petit", DelPW)
	f.DPO = f.Login("dpo.leroy", DPOPW)
	return f
}

// Login logs a user in through the procedure (which checks the overdue
// purges and deadlines).
func (f *Fixture) Login(name, pw string) *account.Session {
	f.T.Helper()
	s, err := f.Store.Login(f.Ctx, name, pw)
	if err != nil {
		f.T.Fatalf("login %s: %v", name, err)
	}
	return s
}

// AddUser adds a user, as the administrator, then logs in with the
// one-time password and sets pw, as the person does at their first login
// (R-KEY-1).
func (f *Fixture) AddUser(name string, r register.Role, pw string) {
	f.T.Helper()
	_, otp, err := f.Store.Accounts.AddUser(f.Ctx, f.Admin, name, r)
	if err != nil {
		f.T.Fatalf("add user %s: %v", name, err)
	}
	sess := f.Login(name, otp)
	if err := f.Store.Accounts.SetPassword(f.Ctx, sess, pw); err != nil {
		f.T.Fatalf("first password of %s: %v", name, err)
	}
	sess.Close()
}

// Request is a complete written request for the reason: a judicial one
// carries a requisition reference, an access request its identity check,
// an incident is internal.
func (f *Fixture) Request(reason procedure.Reason) procedure.Request {
	r := procedure.Request{
		Reason: reason, Detail: "vol à l'étalage",
		Requester:     procedure.Party{Name: "Brigadier Léa Durand", Org: "Commissariat de Créteil", Contact: "01 02 03 04 05"},
		Recipient:     "Commissariat de Créteil",
		Received:      T0.Add(-time.Hour),
		Range:         vms.Range{Start: T0.Add(-26 * time.Hour), End: T0.Add(-25 * time.Hour)},
		Cameras:       []string{"cam1", "cam2"},
		Justification: "Vol signalé à l'accueil ; images nécessaires à l'enquête.",
	}
	switch reason {
	case procedure.ReasonJudicial:
		r.RequisitionRef = "PV 2026/00123"
		r.Detail = "réquisition judiciaire"
	case procedure.ReasonAccess:
		r.Requester = procedure.Party{Name: "Jean Dupont", Contact: "jean@example.org"}
		r.Recipient = "Jean Dupont"
		r.Identity = &procedure.IdentityCheck{Method: "carte d'identité présentée à l'accueil", CheckedBy: "o.martin", Legitimacy: "présent sur les lieux le jour dit"}
	case procedure.ReasonIncident:
		r.Internal = true
		r.Recipient = "Service sécurité interne"
	case procedure.ReasonInsurance:
		r.Recipient = "Assureur AXA, dossier 42"
	}
	return r
}

// NewCase files and confirms a request, as the operator.
func (f *Fixture) NewCase(reason procedure.Reason) *procedure.Case {
	f.T.Helper()
	c, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(reason))
	if err != nil {
		f.T.Fatal(err)
	}
	c, err = f.Store.Cases.Confirm(f.Ctx, f.Op, c.Number, procedure.ConfirmInput{How: "téléphone", With: "le demandeur"})
	if err != nil {
		f.T.Fatal(err)
	}
	return c
}

// Verify verifies the register and fails the test on any error.
func (f *Fixture) Verify(opt register.VerifyOptions) *register.Report {
	f.T.Helper()
	rep, err := f.Store.Verify(f.Ctx, opt)
	if err != nil {
		f.T.Fatalf("verify: %v", err)
	}
	return rep
}

// CountActions counts the entries of an action.
func (f *Fixture) CountActions(action string) int {
	f.T.Helper()
	var n int
	if err := f.Store.ReadDB().QueryRow(`SELECT COUNT(*) FROM entries WHERE action = ?`, action).Scan(&n); err != nil {
		f.T.Fatal(err)
	}
	return n
}

// Designate has the security manager designate a delegate (R-AUTH-1).
func (f *Fixture) Designate(name string) {
	f.T.Helper()
	if err := f.Store.Delegates.Designate(f.Ctx, f.RS, name); err != nil {
		f.T.Fatalf("designate %s: %v", name, err)
	}
}
