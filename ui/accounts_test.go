package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/settings"
	"mileo.tech/extract/vms/connect"
)

// Helpers of the account, delegate and witness tests.

// oneTimeShown returns the one-time password the settings show in their
// dialog, closes the dialog and checks that the window forgot it.
func (f *fixture) oneTimeShown(st *settings.Screen) string {
	f.t.Helper()
	f.u.Wait()
	if st.OTP == nil || f.win.Canvas().Overlays().Top() == nil {
		f.t.Fatal("no one-time password dialog")
	}
	otp := st.OTP.Text
	if len(otp) < 12 {
		f.t.Fatalf("one-time password %q", otp)
	}
	f.tapButton(f.u.t("common.close"))
	if st.OTP.Text != "" || f.win.Canvas().Overlays().Top() != nil {
		f.t.Fatal("the one-time password stays on screen")
	}
	return otp
}

// loginWith types name and password in the login screen.
func (f *fixture) loginWith(name, pw string) {
	f.t.Helper()
	u := f.u
	if u.sess != nil {
		test.Tap(u.header.logout)
	}
	ls, ok := u.current.(*loginScreen)
	if !ok {
		f.t.Fatalf("login screen expected, got %T", u.current)
	}
	ls.user.SetText(name)
	ls.pass.SetText(pw)
	test.Tap(ls.login)
	u.Wait()
}

// addUser creates an account in the administrator's settings and returns
// its one-time password.
func (f *fixture) addUser(name string, role register.Role) string {
	f.t.Helper()
	u := f.u
	st := u.showSettings()
	u.Wait()
	st.UserName.SetText(name)
	st.UserRole.SetSelected(u.roleTitle(role))
	test.Tap(st.AddUser)
	return f.oneTimeShown(st)
}

// restart closes the window and opens the register again as main does,
// with the witness folder saved in Settings, then shows a new window.
func (f *fixture) restart() {
	f.t.Helper()
	f.u.Close()
	witness := SavedWitnessDir(f.app)
	data := filepath.Join(f.dir, "data")
	s, err := procedure.Open(context.Background(), data, register.Options{Software: "test", WitnessDir: witness})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	f.store = s
	f.win = test.NewTempWindow(f.t, nil)
	f.win.Resize(fyne.NewSize(1280, 800))
	f.u = New(f.app, f.win, Deps{Store: s, OpenSource: connect.Open, Sources: []string{"folder:" + f.demo}, DataDir: data, WitnessDir: witness})
	f.t.Cleanup(f.u.Close)
	f.u.Wait()
}

const newOpPW = "Nouvelle-Camera-58!"

// R-KEY-1: a person logged in with the one-time password the administrator
// handed over sees only « Choisissez votre mot de passe »; nothing can be
// signed before; the password they choose makes their key and opens the
// window, and is theirs at the next login.
func TestFirstLoginSetsPassword(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("admin")
	otp := f.addUser("c.durand", register.RoleOperator)
	st := screenAs[*settings.Screen](t, u)
	u.Wait()
	// The list shows who still waits for their first login.
	if r := st.UserRows["c.durand"]; r == nil || !strings.Contains(r.Label.Text, u.t("settings.users.awaiting")) || r.Label.Importance != widget.WarningImportance {
		t.Fatalf("c.durand's row does not say it awaits its first login: %+v", r)
	}
	if r := st.UserRows["o.martin"]; r == nil || strings.Contains(r.Label.Text, u.t("settings.users.awaiting")) {
		t.Fatal("o.martin's row says it awaits its first login")
	}

	// Cancel goes back to the login screen.
	f.loginWith("c.durand", otp)
	ps := screenAs[*passwordScreen](t, u)
	test.Tap(ps.cancel)
	screenAs[*loginScreen](t, u)
	if u.sess != nil || ps.sess != nil {
		t.Fatal("the one-time session outlived the cancel")
	}

	f.loginWith("c.durand", otp)
	ps = screenAs[*passwordScreen](t, u)
	if !ps.first || ps.current != nil || ps.sess == nil || !ps.sess.OneTime() {
		t.Fatal("not the first-login screen")
	}
	// The window offers nothing else: no session, no header, no navigation.
	if u.sess != nil || u.header != nil || u.nav != nil {
		t.Fatal("the window opened with a one-time password")
	}
	// And the register refuses every act of that session.
	if err := f.store.Incidents.Report(context.Background(), ps.sess, "", "essai"); !errors.Is(err, register.ErrPasswordChange) {
		t.Fatalf("an act signed with the one-time password: %v", err)
	}
	// Mismatch, weak password (which rule), the one-time password again.
	test.Type(ps.next, newOpPW)
	test.Type(ps.confirm, newOpPW+"x")
	test.Tap(ps.save)
	if ps.message.Text != u.t("firstrun.mismatch") || ps.message.Importance != widget.DangerImportance {
		t.Fatalf("mismatch: %q", ps.message.Text)
	}
	for _, c := range []struct{ pw, want string }{
		{"court", u.t("err.password.password_have_at", "Min", 12)},
		{"C.Durand-2026-ok", u.t("err.password.password_contain_user")},
		{otp, u.t("err.user.one_time_reused")},
	} {
		ps.next.SetText(c.pw)
		ps.confirm.SetText(c.pw)
		test.Tap(ps.save)
		u.Wait()
		if ps.message.Text != c.want || u.sess != nil {
			t.Fatalf("password %q: %q, want %q", c.pw, ps.message.Text, c.want)
		}
	}
	ps.next.SetText(newOpPW)
	ps.confirm.SetText(newOpPW)
	test.Tap(ps.save)
	u.Wait()
	screenAs[*dashboardScreen](t, u)
	if u.sess == nil || u.sess.User != "c.durand" || u.sess.OneTime() || u.nav.item("new") == nil {
		t.Fatal("not logged in with the new password")
	}
	// The person signs with their own key.
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	c := f.caseOf(number)
	if e := c.Entries[0]; c.FiledBy != "c.durand" || e.Actor != "c.durand" || e.Signer != u.sess.Fingerprint {
		t.Fatalf("request filed by %s, signed by %s with %s", c.FiledBy, e.Actor, e.Signer)
	}
	// The one-time password is spent; the new one logs in.
	f.loginWith("c.durand", otp)
	if u.sess != nil {
		t.Fatal("the one-time password still logs in")
	}
	f.loginWith("c.durand", newOpPW)
	if u.sess == nil || u.sess.User != "c.durand" {
		t.Fatal("the chosen password does not log in")
	}
	screenAs[*dashboardScreen](t, u)
}

// R-KEY-1: every role changes their own password from the header, given
// the current one; the key stays.
func TestChangePassword(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("admin")
	if u.header.password == nil {
		t.Fatal("the administrator cannot change their password")
	}
	f.login("o.martin")
	key := u.sess.Fingerprint
	test.Tap(u.header.password)
	ps := screenAs[*passwordScreen](t, u)
	if ps.first || ps.current == nil {
		t.Fatal("not the change-password screen")
	}
	test.Type(ps.current, "pas-le-bon-Mot-2026")
	test.Type(ps.next, newOpPW)
	test.Type(ps.confirm, newOpPW)
	test.Tap(ps.save)
	u.Wait()
	if ps.message.Text != u.t("err.user.wrong_current_password") || ps.message.Importance != widget.DangerImportance {
		t.Fatalf("wrong current password: %q", ps.message.Text)
	}
	ps.current.SetText(opPW)
	ps.next.SetText(newOpPW)
	ps.confirm.SetText(newOpPW)
	test.Tap(ps.save)
	u.Wait()
	if ps.message.Text != u.t("passwd.changed") || ps.message.Importance != widget.SuccessImportance {
		t.Fatalf("change: %q", ps.message.Text)
	}
	if ps.current.Text != "" || ps.next.Text != "" {
		t.Fatal("the passwords stay in the entries")
	}
	f.loginWith("o.martin", opPW)
	if u.sess != nil {
		t.Fatal("the old password still logs in")
	}
	f.loginWith("o.martin", newOpPW)
	if u.sess == nil || u.sess.Fingerprint != key {
		t.Fatal("the new password does not log in, or the key changed")
	}
}

// R-KEY-1: the administrator resets a forgotten password after a
// confirmation: a one-time password shown once, the old password no longer
// logs in, and the person chooses a new one at the next login. Nobody
// resets their own account nor a disabled one.
func TestAdminResetsAccount(t *testing.T) {
	f := newFixture(t)
	u := f.u
	ctx := context.Background()
	f.login("admin")
	if err := f.store.Accounts.DisableUser(ctx, u.sess, "dpo.leroy", "départ"); err != nil {
		t.Fatal(err)
	}
	st := u.showSettings()
	u.Wait()
	if !st.UserRows["admin"].Reset.Disabled() || !st.UserRows["dpo.leroy"].Reset.Disabled() {
		t.Fatal("reset offered for oneself or a disabled account")
	}
	test.Tap(st.UserRows["o.martin"].Reset)
	if f.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no confirmation before the reset")
	}
	f.tapButton(u.t("common.cancel"))
	if _, err := f.store.Login(ctx, "o.martin", opPW); err != nil {
		t.Fatalf("cancelled reset: %v", err)
	}
	test.Tap(st.UserRows["o.martin"].Reset)
	f.tapButton(u.t("settings.users.reset")) // the dialog's, on top
	otp := f.oneTimeShown(st)
	if st.UsersMsg.Text != u.t("settings.users.reset.done", "Name", "o.martin") || st.UsersMsg.Importance != widget.SuccessImportance {
		t.Fatalf("reset: %q", st.UsersMsg.Text)
	}
	u.Wait()
	if r := st.UserRows["o.martin"]; !strings.Contains(r.Label.Text, u.t("settings.users.awaiting")) {
		t.Fatalf("o.martin after the reset: %q", r.Label.Text)
	}
	f.loginWith("o.martin", opPW)
	if u.sess != nil {
		t.Fatal("the old password still logs in")
	}
	f.loginWith("o.martin", otp)
	ps := screenAs[*passwordScreen](t, u)
	test.Type(ps.next, newOpPW)
	test.Type(ps.confirm, newOpPW)
	test.Tap(ps.save)
	u.Wait()
	if u.sess == nil || u.sess.User != "o.martin" {
		t.Fatalf("first login after the reset: %q", ps.message.Text)
	}
}

// R-AUTH-1: the security manager designates the delegate account the
// administrator created, with a confirmation, and revokes it; those who
// read cases see who is designated; the administrator is offered nothing
// and the core refuses them.
func TestDelegateDesignation(t *testing.T) {
	f := newFixture(t)
	u := f.u
	ctx := context.Background()
	f.login("admin")
	otp := f.addUser("d.petit", register.RoleDelegate)
	const delegatePW = "Suppleant-Securite-31!"
	sess, err := f.store.Accounts.Login(ctx, "d.petit", otp)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Accounts.SetPassword(ctx, sess, delegatePW); err != nil {
		t.Fatal(err)
	}
	sess.Close()
	st := screenAs[*settings.Screen](t, u)
	if st.Delegates != nil {
		t.Fatal("the administrator is offered the designation of delegates")
	}
	if err := f.store.Delegates.Designate(ctx, u.sess, "d.petit"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the administrator designated a delegate: %v", err)
	}

	f.login("rs.bernard")
	st = u.showSettings()
	u.Wait()
	b := st.DelegateBtns["d.petit"]
	if b == nil || b.Text != u.t("settings.delegates.designate") {
		t.Fatalf("no designate button for d.petit: %v", st.DelegateBtns)
	}
	test.Tap(b)
	f.tapButton(u.t("common.cancel"))
	if len(st.DelegateNames) != 0 {
		t.Fatal("designated without confirmation")
	}
	test.Tap(b)
	f.tapButton(u.t("settings.delegates.designate")) // the dialog's, on top
	u.Wait()
	if st.DelegatesMsg.Importance != widget.SuccessImportance || len(st.DelegateNames) != 1 {
		t.Fatalf("designation: %q %v", st.DelegatesMsg.Text, st.DelegateNames)
	}
	list, err := f.store.Delegates.List(ctx, u.sess)
	if err != nil || len(list) != 1 || list[0].User != "d.petit" || list[0].By != "rs.bernard" {
		t.Fatalf("designations %+v %v", list, err)
	}

	// The operator sees who is designated, and cannot designate.
	f.login("o.martin")
	st = u.showSettings()
	u.Wait()
	if len(st.DelegateNames) != 1 || len(st.DelegateBtns) != 0 {
		t.Fatalf("operator's view of the delegates: %v %v", st.DelegateNames, st.DelegateBtns)
	}
	shown := false
	for _, o := range st.Delegates.Objects {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "d.petit") && strings.Contains(l.Text, "rs.bernard") {
			shown = true
		}
	}
	if !shown {
		t.Fatal("the operator does not see who designated d.petit")
	}

	f.login("rs.bernard")
	st = u.showSettings()
	u.Wait()
	test.Tap(st.DelegateBtns["d.petit"])
	f.tapButton(u.t("settings.delegates.revoke"))
	u.Wait()
	if len(st.DelegateNames) != 0 || st.DelegateBtns["d.petit"].Text != u.t("settings.delegates.designate") {
		t.Fatalf("after the revocation: %v", st.DelegateNames)
	}
	// A confirmation left open does not outlive the session.
	test.Tap(st.DelegateBtns["d.petit"])
	test.Tap(u.header.logout)
	if f.win.Canvas().Overlays().Top() != nil {
		t.Fatal("a dialog of the session stays after the logout")
	}
}

// R-REG-2 (rev.): the administrator chooses the witness folder in Settings
// (outside the data folder); from the next start every checkpoint is also
// written there, and the verification says how recent the newest witness
// is, or warns when there is none.
func TestWitnessFolder(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("admin")
	d := screenAs[*dashboardScreen](t, u)
	if !d.witness.Visible() || d.witness.Text != u.t("witness.none") {
		t.Fatalf("no warning without a witness: %q", d.witness.Text)
	}
	st := u.showSettings()
	u.Wait()
	if st.WitnessInfo.Text != u.t("witness.none") || st.WitnessInfo.Importance != widget.WarningImportance {
		t.Fatalf("witness state: %q", st.WitnessInfo.Text)
	}
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(f.dir, "data", "temoin"), u.t("settings.witness.inside")},
		{"temoin", u.t("settings.witness.relative")},
	} {
		st.Witness.SetText(c.dir)
		test.Tap(st.SaveWitness)
		if st.WitnessMsg.Text != c.want || st.WitnessMsg.Importance != widget.DangerImportance || SavedWitnessDir(f.app) != "" {
			t.Fatalf("witness %q: %q", c.dir, st.WitnessMsg.Text)
		}
	}
	witness := filepath.Join(t.TempDir(), "partage", "temoin")
	st.Witness.SetText(witness)
	test.Tap(st.SaveWitness)
	if SavedWitnessDir(f.app) != witness || st.WitnessMsg.Importance != widget.SuccessImportance {
		t.Fatalf("witness not saved: %q", st.WitnessMsg.Text)
	}
	if !strings.Contains(st.WitnessUse.Text, u.t("settings.witness.next", "Path", witness)) {
		t.Fatalf("the folder for the next start is not shown: %q", st.WitnessUse.Text)
	}

	f.restart()
	u = f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	before, _ := filepath.Glob(filepath.Join(witness, "*.note"))
	u.printCase(number, papers.DocSheet, "")
	u.Wait()
	after, _ := filepath.Glob(filepath.Join(witness, "*.note"))
	if len(after) <= len(before) {
		t.Fatalf("no checkpoint written in the witness folder (%d before, %d after)", len(before), len(after))
	}
	f.login("dpo.leroy")
	rs := u.showRegister()
	u.Wait()
	test.Tap(rs.verify)
	u.Wait()
	if u.integrity.witness == nil || !rs.witness.Visible() || rs.witness.Importance != widget.MediumImportance ||
		!strings.Contains(rs.witness.Text, u.t("witness.age", "Entries", u.integrity.witness.Size, "Date", "", "Count", 0)[:30]) {
		t.Fatalf("verification's witness: %q", rs.witness.Text)
	}
	st = u.showSettings()
	u.Wait()
	if st.WitnessUse.Text != u.t("settings.witness.in_use", "Path", witness) || st.WitnessInfo.Importance != widget.MediumImportance {
		t.Fatalf("settings' witness: %q / %q", st.WitnessUse.Text, st.WitnessInfo.Text)
	}
	if _, err := os.Stat(witness); err != nil {
		t.Fatal(err)
	}
}

// R-REG-2 (rev.): an old witness is a warning that says its age.
func TestWitnessAge(t *testing.T) {
	f := newFixture(t)
	u := f.u
	now := u.now()
	for _, c := range []struct {
		age  time.Duration
		key  string
		warn bool
	}{
		{2 * 24 * time.Hour, "witness.age", false},
		{10 * 24 * time.Hour, "witness.old", true},
	} {
		u.integrity = integrityState{done: true, witness: &register.Checkpoint{Size: 42, Time: now.Add(-c.age)}}
		text, imp := u.witnessStatus()
		date := now.Add(-c.age).In(u.loc).Format(u.dateLayout() + " 15:04")
		want := u.t(c.key, "Entries", 42, "Date", date, "Count", int(c.age.Hours()/24))
		if text != want || (imp == widget.WarningImportance) != c.warn {
			t.Errorf("age %v: %q (%v), want %q", c.age, text, imp, want)
		}
	}
}

// accountScreenshots renders the screens of accounts, delegates and the
// witness folder (TestScreenshots).
func accountScreenshots(t *testing.T, size fyne.Size, shot func(*fixture, string)) {
	f := newFixture(t)
	f.win.Resize(size)
	u := f.u
	f.login("admin")
	otp := f.addUser("d.petit", register.RoleDelegate)
	st := u.showSettings()
	shot(f, "12-settings-admin")
	st.Scroll.ScrollToBottom()
	shot(f, "12-settings-admin-end")
	st = u.showSettings()
	u.Wait()
	test.Tap(st.UserRows["o.martin"].Reset)
	shot(f, "13-reset-confirm")
	f.tapButton(u.t("settings.users.reset"))
	u.Wait()
	shot(f, "14-one-time-password")
	f.tapButton(u.t("common.close"))
	f.loginWith("d.petit", otp)
	ps := screenAs[*passwordScreen](t, u)
	test.Type(ps.next, "court")
	test.Type(ps.confirm, "court")
	test.Tap(ps.save)
	shot(f, "15-first-password")
	ps.next.SetText("Suppleant-Securite-31!")
	ps.confirm.SetText("Suppleant-Securite-31!")
	test.Tap(ps.save)
	u.Wait()
	f.login("rs.bernard")
	u.showSettings()
	shot(f, "16-settings-security-manager")
	test.Tap(u.header.password)
	shot(f, "17-change-password")
}
