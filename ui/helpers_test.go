package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/connect"
)

// Passwords of the test accounts (test registers only).
const (
	adminPW = "Gestion-Comptes-9!"
	opPW    = "Camera-Salle-42!"
	rsPW    = "Secur1ty-Chef-77!"
	dpoPW   = "Prot3ction-Donnees!"
	delPW   = "D3legue-Securite-5!"
)

// The acts of the case view, as package casework keys its buttons.
const (
	actConfirm   = string(procedure.ActConfirm)
	actAuthorize = string(procedure.ActAuthorize)
	actAck       = string(procedure.ActAcknowledge)
	actPreview   = string(procedure.ActPreview)
	actReview    = string(procedure.ActReview)
	actExport    = string(procedure.ActExport)
	actEmergency = string(procedure.ActEmergency)
	actDeliver   = string(procedure.ActDeliver)
	actAttach    = string(procedure.ActAttach)
	actSheet     = string(procedure.ActSheet)
	actClose     = string(procedure.ActClose)
)

var testPasswords = map[string]string{"admin": adminPW, "o.martin": opPW, "rs.bernard": rsPW, "dpo.leroy": dpoPW, "d.petit": delPW}

// fixture is a window on a real register (SQLite in a temporary folder)
// and the short demo archive as VMS source, driven by Fyne's test driver
// without a display.
type fixture struct {
	t     *testing.T
	app   fyne.App
	win   fyne.Window
	store *procedure.Store
	dir   string
	demo  string
	u     *UI
}

// newFixture opens a register with one account per role and shows the
// window.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := newAccountsFixture(t)
	f.start()
	return f
}

// newAccountsFixture opens a register with one account per role; start
// shows the window.
func newAccountsFixture(t *testing.T) *fixture {
	t.Helper()
	f := newEmptyFixture(t)
	ctx := context.Background()
	if err := f.store.Accounts.Init(ctx, account.InitParams{Site: "Entrepôt Sud — Créteil", Admin: "admin", Password: adminPW}); err != nil {
		t.Fatal(err)
	}
	admin, err := f.store.Login(ctx, "admin", adminPW)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for _, a := range []struct {
		name string
		role register.Role
	}{{"o.martin", register.RoleOperator}, {"rs.bernard", register.RoleSecurityManager}, {"dpo.leroy", register.RoleDPO}} {
		_, otp, err := f.store.Accounts.AddUser(ctx, admin, a.name, a.role)
		if err != nil {
			t.Fatal(err)
		}
		setOwnPassword(t, f, a.name, otp)
	}
	return f
}

// addDelegate creates the delegate account d.petit (R-AUTH-1), enrolled
// through its first login, and has the security manager designate it
// when designate is true.
func (f *fixture) addDelegate(designate bool) {
	f.t.Helper()
	ctx := context.Background()
	admin, err := f.store.Login(ctx, "admin", adminPW)
	if err != nil {
		f.t.Fatal(err)
	}
	defer admin.Close()
	_, otp, err := f.store.Accounts.AddUser(ctx, admin, "d.petit", register.RoleDelegate)
	if err != nil {
		f.t.Fatal(err)
	}
	setOwnPassword(f.t, f, "d.petit", otp)
	if designate {
		f.designate("d.petit")
	}
}

// designate records the security manager's designation of a delegate.
func (f *fixture) designate(name string) {
	f.t.Helper()
	ctx := context.Background()
	rs, err := f.store.Login(ctx, "rs.bernard", rsPW)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rs.Close()
	if err := f.store.Delegates.Designate(ctx, rs, name); err != nil {
		f.t.Fatal(err)
	}
}

// setOwnPassword is the person's first login (R-KEY-1), through the
// core: the one-time password sets their test password.
func setOwnPassword(t *testing.T, f *fixture, name, otp string) {
	t.Helper()
	ctx := context.Background()
	sess, err := f.store.Accounts.Login(ctx, name, otp)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := f.store.Accounts.SetPassword(ctx, sess, testPasswords[name]); err != nil {
		t.Fatal(err)
	}
}

// newEmptyFixture opens a register that is not initialized yet; start
// shows the window.
func newEmptyFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), demo: demotest.Archive(t)}
	f.app = test.NewTempApp(t)
	s, err := procedure.Open(context.Background(), filepath.Join(f.dir, "data"), register.Options{Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.store = s
	if m, err := filepath.Abs("../models"); err == nil {
		if _, err := os.Stat(m); err == nil {
			t.Setenv("MILEO_MODELS", m)
		}
	}
	return f
}

func (f *fixture) start() {
	if f.u != nil {
		return
	}
	f.win = test.NewTempWindow(f.t, nil)
	f.win.Resize(fyne.NewSize(1280, 800))
	f.u = New(f.app, f.win, Deps{
		Store:      f.store,
		OpenSource: connect.Open,
		Sources:    []string{"folder:" + f.demo},
		DataDir:    filepath.Join(f.dir, "data"),
	})
	f.t.Cleanup(f.u.Close)
	f.u.Wait()
}

// login logs name in through the login screen.
func (f *fixture) login(name string) {
	f.t.Helper()
	u := f.u
	if u.sess != nil {
		test.Tap(u.header.logout)
	}
	ls, ok := u.current.(*loginScreen)
	if !ok {
		f.t.Fatalf("login screen expected, got %T", u.current)
	}
	test.Type(ls.user, name)
	test.Type(ls.pass, testPasswords[name])
	test.Tap(ls.login)
	u.Wait()
	if u.sess == nil || u.sess.User != name {
		f.t.Fatalf("login %s failed: %q", name, ls.message.Text)
	}
}

// screen returns the current screen as T.
func screenAs[T screen.Screen](t *testing.T, u *UI) T {
	t.Helper()
	u.Wait()
	s, ok := u.current.(T)
	if !ok {
		var zero T
		t.Fatalf("screen %T expected, got %T", zero, u.current)
	}
	return s
}

// objects returns every object of the window, the top dialog first.
func (f *fixture) objects() []fyne.CanvasObject {
	c := f.win.Canvas()
	var out []fyne.CanvasObject
	ov := c.Overlays().List()
	for i := len(ov) - 1; i >= 0; i-- {
		out = append(out, test.LaidOutObjects(ov[i])...)
	}
	return append(out, test.LaidOutObjects(c.Content())...)
}

// button finds a visible button by its text (dialog buttons included).
func (f *fixture) button(text string) *widget.Button {
	f.t.Helper()
	for _, o := range f.objects() {
		var b *widget.Button
		switch w := o.(type) {
		case *widget.Button:
			b = w
		case *screen.ActionButton:
			b = &w.Button
		}
		if b != nil && b.Text == text && b.Visible() {
			return b
		}
	}
	f.t.Fatalf("no button %q", text)
	return nil
}

// tapButton taps the button with text.
func (f *fixture) tapButton(text string) {
	f.t.Helper()
	b := f.button(text)
	if b.Disabled() {
		f.t.Fatalf("button %q is disabled", text)
	}
	test.Tap(b)
	f.u.Wait()
}

// shows reports whether a visible label of the window says text.
func (f *fixture) shows(text string) bool {
	for _, o := range f.objects() {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text == text {
			return true
		}
	}
	return false
}

// entries returns the visible entries of the top dialog.
func (f *fixture) dialogEntries() []*widget.Entry {
	ov := f.win.Canvas().Overlays().Top()
	if ov == nil {
		f.t.Fatal("no dialog")
	}
	var out []*widget.Entry
	for _, o := range test.LaidOutObjects(ov) {
		if e, ok := o.(*widget.Entry); ok && e.Visible() {
			out = append(out, e)
		}
	}
	return out
}

// waitFor polls cond (background work without a completion signal, such
// as the player's goroutine). The deadline only stops a hung test; no
// duration is asserted.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// caseOf reads a case from the register.
func (f *fixture) caseOf(number string) *procedure.Case {
	f.t.Helper()
	ctx := context.Background()
	s, err := f.store.Login(ctx, "dpo.leroy", dpoPW)
	if err != nil {
		f.t.Fatal(err)
	}
	defer s.Close()
	c, err := f.store.Cases.Get(ctx, s, number)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// actions lists the actions of a case entries.
func actions(c *procedure.Case) map[string]int {
	m := map[string]int{}
	for _, e := range c.Entries {
		m[e.Action]++
	}
	return m
}

func rangeOf(from, to time.Time) vms.Range { return vms.Range{Start: from, End: to} }

// exportedCase walks a case to its export as the people do: o.martin files
// an incident request on camera "entree" and confirms it, the security
// manager authorizes it, o.martin exports it. It returns the case's number
// and the export screen, o.martin still logged in.
func (f *fixture) exportedCase() (string, *casework.ExportScreen) {
	f.t.Helper()
	u := f.u
	number := f.authorizedCase()
	es := u.showExport(number, false)
	u.Wait()
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil {
		f.t.Fatal(es.Message.Text)
	}
	return number, es
}

// deliveredThroughScreens walks a case to its handover through the
// screens, as o.martin does: request on camera "entree", confirmation,
// the security manager's authorization, the export from the case, the
// password by phone, a new USB key USB-0007 sealed SC-0007 handed over.
// It returns the case's number and the delivery screen after the handover.
func (f *fixture) deliveredThroughScreens() (string, *casework.DeliveryScreen) {
	t, u := f.t, f.u
	t.Helper()
	number := f.authorizedCase()
	cs := u.showCase(number)
	u.Wait()
	test.Tap(cs.Actions[actExport])
	es := screenAs[*casework.ExportScreen](t, u)
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil {
		t.Fatalf("export failed: %s", es.Message.Text)
	}
	es.PwChannel.SetSelected(u.t("channel.phone"))
	test.Tap(es.ToDelivery)
	ds := screenAs[*casework.DeliveryScreen](t, u)
	test.Tap(ds.AddMedium)
	test.Type(f.dialogEntries()[0], "USB-0007")
	f.tapButton(u.t("common.add"))
	ds = screenAs[*casework.DeliveryScreen](t, u)
	test.Type(ds.Ident, "matricule 123456")
	test.Type(ds.Seal, "SC-0007")
	test.Tap(ds.Deliver)
	u.Wait()
	ds = screenAs[*casework.DeliveryScreen](t, u)
	return number, ds
}

// authorizedCase has o.martin file an incident request on camera "entree"
// and confirm it, and the security manager authorize it; it returns the
// case's number, o.martin logged in again.
func (f *fixture) authorizedCase() string {
	f.t.Helper()
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	f.authorizeAs(number)
	f.login("o.martin")
	return number
}
