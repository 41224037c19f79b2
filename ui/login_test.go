package ui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/settings"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The first run creates the register and its administrator, refusing weak
// or mistyped passwords with the rule that failed, and keeps the witness
// folder for the next start (R-REG-2 rev.); the administrator then creates
// accounts, each with a one-time password shown once (R-REG-1, R-KEY-1).
func TestFirstRun(t *testing.T) {
	f := newEmptyFixture(t)
	f.start()
	u := f.u
	s := screenAs[*loginScreen](t, u)
	if !s.firstRun || s.site == nil || s.witness == nil {
		t.Fatal("no first-run screen on an empty register")
	}
	test.Type(s.site, "Entrepôt Sud — Créteil")
	test.Type(s.password, adminPW)
	test.Type(s.confirm, adminPW+"x")
	test.Tap(s.create)
	if s.message.Text != u.t("firstrun.mismatch") || s.message.Importance != widget.DangerImportance {
		t.Fatalf("mismatch: %q", s.message.Text)
	}
	// The message says which rule failed.
	for _, pw := range []string{"court", "Admin-Gestion-2026!"} {
		s.password.SetText(pw)
		s.confirm.SetText(pw)
		test.Tap(s.create)
		if want := u.tr.Err(account.CheckPasswordStrength("admin", pw)); s.message.Text != want || want == u.t("error.weak_password") {
			t.Fatalf("weak password %q: %q, want %q", pw, s.message.Text, want)
		}
	}
	// A witness inside the data folder proves nothing.
	s.witness.SetText(filepath.Join(f.dir, "data", "temoin"))
	s.password.SetText(adminPW)
	s.confirm.SetText(adminPW)
	test.Tap(s.create)
	if s.message.Text != u.t("settings.witness.inside") || f.store.Initialized() {
		t.Fatalf("witness inside the data folder: %q", s.message.Text)
	}
	witness := filepath.Join(t.TempDir(), "temoin")
	s.witness.SetText(witness)
	test.Tap(s.create)
	u.Wait()
	if !f.store.Initialized() || u.sess == nil || u.sess.User != "admin" {
		t.Fatalf("not initialized and logged in: %q", s.message.Text)
	}
	if SavedWitnessDir(f.app) != witness {
		t.Fatalf("witness folder kept: %q", SavedWitnessDir(f.app))
	}
	st := screenAs[*settings.Screen](t, u)
	if st.Users == nil {
		t.Fatal("the administrator's settings have no accounts")
	}
	if st.Witness.Text != witness || !strings.Contains(st.WitnessMsg.Text, witness) || st.WitnessMsg.Importance != widget.SuccessImportance {
		t.Fatalf("settings after the first run: witness %q, %q", st.Witness.Text, st.WitnessMsg.Text)
	}
	if st.SiteName.Text != "Entrepôt Sud — Créteil" {
		t.Fatalf("the site name given at first run is not in Settings: %q", st.SiteName.Text)
	}
	// The administrator cannot file nor authorize: no such navigation.
	if u.nav.item("new") != nil || u.nav.item("register") != nil {
		t.Fatal("the administrator may file requests or read the register")
	}
	test.Type(st.UserName, "Bad Name")
	test.Tap(st.AddUser)
	if st.UsersMsg.Text != u.t("settings.users.bad_name") || st.UsersMsg.Importance != widget.DangerImportance {
		t.Fatalf("bad user name: %q", st.UsersMsg.Text)
	}
	st.UserName.SetText("o.martin")
	st.UserRole.SetSelected(u.roleTitle(register.RoleOperator))
	test.Tap(st.AddUser)
	u.Wait()
	// R-KEY-1: the window shows the one-time password once, in a dialog;
	// the person sets their own at the first login.
	otp := f.oneTimeShown(st)
	if st.UsersMsg.Importance != widget.SuccessImportance || !strings.Contains(st.UsersMsg.Text, "o.martin") || strings.Contains(st.UsersMsg.Text, otp) {
		t.Fatalf("add user: %q", st.UsersMsg.Text)
	}
	setOwnPassword(t, f, "o.martin", otp)
	users, err := f.store.Accounts.Users(context.Background(), u.sess)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, us := range users {
		names = append(names, us.Name+":"+string(us.Role))
	}
	if strings.Join(names, ",") != "admin:admin,o.martin:operator" {
		t.Fatalf("users %v", names)
	}
	f.login("o.martin")
}

// Failed logins are refused with a message, and lock the account after
// account.MaxFailedLogins (R-REG-1: failed logins are entries).
func TestLoginLockout(t *testing.T) {
	f := newFixture(t)
	u := f.u
	s := screenAs[*loginScreen](t, u)
	test.Tap(s.login)
	if s.message.Text != u.t("login.error.empty") {
		t.Fatalf("empty login: %q", s.message.Text)
	}
	for i := 0; i < account.MaxFailedLogins; i++ {
		s.user.SetText("o.martin")
		test.Type(s.pass, "mauvais-mot-de-passe")
		test.Tap(s.login)
		u.Wait()
		if u.sess != nil {
			t.Fatal("logged in with a wrong password")
		}
		if i < account.MaxFailedLogins-1 && s.message.Text != u.t("err.user.login_failed") {
			t.Fatalf("failure %d: %q", i+1, s.message.Text)
		}
	}
	if !strings.Contains(s.message.Text, u.t("login.error.locked", "Until", "", "Minutes", 15)[:20]) {
		t.Fatalf("no lock-out message: %q", s.message.Text)
	}
	// Even the right password is refused while locked.
	s.user.SetText("o.martin")
	test.Type(s.pass, opPW)
	test.Tap(s.login)
	u.Wait()
	if u.sess != nil || !strings.Contains(s.message.Text, u.t("login.error.locked", "Until", "", "Minutes", 15)[:20]) {
		t.Fatalf("locked account logged in: %q", s.message.Text)
	}
}

// The language is chosen in the window and kept for the next start;
// Fyne's own words (an entry's menu, default dialog buttons) follow it,
// not the system's (issue #20: dialogs in French).
func TestLanguageSwitch(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	f := newFixture(t)
	u := f.u
	s := screenAs[*loginScreen](t, u)
	if got := lang.L("Paste"); got != "Coller" {
		t.Fatalf("Fyne's words in French: %q", got)
	}
	s.lang.SetSelected("English")
	s = screenAs[*loginScreen](t, u)
	if s.login.Text != "Log in" {
		t.Fatalf("login button %q", s.login.Text)
	}
	if got := lang.L("Paste"); got != "Paste" {
		t.Fatalf("Fyne's words in English: %q", got)
	}
	f.login("dpo.leroy")
	if got := u.nav.item("tasks").Text; got != "My tasks" {
		t.Fatalf("navigation in English: %q", got)
	}
	st := u.showSettings()
	st.Lang.SetSelected("Français")
	if got := u.nav.item("tasks").Text; got != "Mes tâches" {
		t.Fatalf("navigation back in French: %q", got)
	}
	if u.set.Lang() != "fr" {
		t.Fatal("language not saved")
	}
	if _, ok := u.current.(*settings.Screen); !ok {
		t.Fatalf("the settings are not shown again after the switch: %T", u.current)
	}
}

// The login screen's layout is kept as a markup snapshot (go test -update
// rewrites it).
func TestLoginMarkup(t *testing.T) {
	f := newFixture(t)
	golden := filepath.Join("testdata", "login.xml")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(test.RenderToMarkup(f.win.Canvas())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test.AssertRendersToMarkup(t, "login.xml", f.win.Canvas())
}
