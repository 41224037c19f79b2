package account

import (
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// verifyAll verifies the register with the check of table users, as
// procedure.Store.Verify does.
func (f *fixture) verifyAll() (*register.Report, error) {
	return f.log.Verify(f.ctx, register.VerifyOptions{Checks: []register.Check{f.a.Check()}})
}

// entries returns the entries of action, oldest first.
func (f *fixture) entries(action string) []*register.Entry {
	f.t.Helper()
	rows, err := f.log.ReadDB().QueryContext(f.ctx, `SELECT `+register.EntryCols+` FROM entries WHERE action = ? ORDER BY seq`, action)
	if err != nil {
		f.t.Fatal(err)
	}
	es, err := register.ScanEntries(rows)
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

// incident appends an entry signed by sess, as the procedure does.
func (f *fixture) incident(sess *Session) (*register.Entry, error) {
	var e *register.Entry
	err := f.log.Write(f.ctx, func(tx *sql.Tx) error {
		sg, err := f.a.SignerTx(f.ctx, tx, sess, register.OpLogin)
		if err != nil {
			return err
		}
		e, err = f.log.AppendTx(f.ctx, tx, sg, register.Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": "x"}})
		return err
	})
	return e, err
}

// R-KEY-1: the one-time password an administrator gets for a new account
// opens a session that can sign nothing — no authorization, no user
// management, not even a listing — until the person sets their own
// password; the refusal is a catalogue message, in French first.
func TestOneTimePasswordSignsNothing(t *testing.T) {
	f := newFixture(t)
	u, otp, err := f.a.AddUser(f.ctx, f.admin, "rs.neuf", register.RoleSecurityManager)
	if err != nil {
		t.Fatal(err)
	}
	if !u.OneTime || u.PublicKey != nil || len(otp) != OneTimeLength {
		t.Fatalf("new account %+v, one-time password %q", u, otp)
	}
	if err := CheckPasswordStrength("rs.neuf", otp); err != nil {
		t.Fatalf("one-time password %q: %v", otp, err)
	}
	// The administrator, who knows it, logs in with it: a session without a
	// key, which may only set a password.
	sess := f.login("rs.neuf", otp)
	if !sess.OneTime() || sess.priv != nil || sess.Fingerprint != "" {
		t.Fatalf("one-time session %+v", sess)
	}
	for _, op := range []string{register.OpAuthorize, register.OpFile, register.OpHandle, register.OpLogin, register.OpReadAll} {
		err := f.log.Write(f.ctx, func(tx *sql.Tx) error {
			_, err := f.a.SignerTx(f.ctx, tx, sess, op)
			return err
		})
		if !errors.Is(err, register.ErrPasswordChange) {
			t.Fatalf("%s with a one-time session: %v", op, err)
		}
	}
	if _, err := f.a.Users(f.ctx, sess); !errors.Is(err, register.ErrPasswordChange) {
		t.Fatalf("list with a one-time session: %v", err)
	}
	if _, err := f.incident(sess); !errors.Is(err, register.ErrPasswordChange) {
		t.Fatalf("incident with a one-time session: %v", err)
	}
	var e *register.Error
	if _, err := f.incident(sess); !errors.As(err, &e) || e.Code != "password_change" || e.Key != "err.user.set_own_password_first" {
		t.Fatalf("error %#v", e)
	}
	if msg := i18n.New("fr").Err(e); !strings.Contains(msg, "usage unique") || !strings.Contains(msg, "rs.neuf") {
		t.Fatalf("French message %q", msg)
	}
	// Nothing was signed for the account, and the register verifies.
	if es := f.entries("auth.login"); es[len(es)-1].Actor == "rs.neuf" {
		t.Fatal("a one-time login was recorded as a login")
	}
	if _, err := f.verifyAll(); err != nil {
		t.Fatal(err)
	}
}

// R-KEY-1: at the first login the person sets their own password (not the
// one-time one, not a weak one); their signing key is made then, sealed
// under it, published in a user.key entry signed by that key; the one-time
// password opens nothing afterwards.
func TestFirstLoginSetsPasswordAndKey(t *testing.T) {
	f := newFixture(t)
	_, otp, err := f.a.AddUser(f.ctx, f.admin, "o.neuf", register.RoleOperator)
	if err != nil {
		t.Fatal(err)
	}
	sess := f.login("o.neuf", otp)
	if err := f.a.SetPassword(f.ctx, sess, "court"); !errors.Is(err, register.ErrWeakPassword) {
		t.Fatalf("weak password: %v", err)
	}
	if err := f.a.SetPassword(f.ctx, sess, otp); !errors.Is(err, register.ErrWeakPassword) {
		t.Fatalf("the one-time password kept: %v", err)
	}
	const own = "Mon-Propre-Secret-7"
	if err := f.a.SetPassword(f.ctx, sess, own); err != nil {
		t.Fatal(err)
	}
	if sess.OneTime() || sess.priv == nil {
		t.Fatal("the session did not get its key")
	}
	if err := f.a.SetPassword(f.ctx, sess, "Encore-Un-Autre-8"); !errors.Is(err, register.ErrState) {
		t.Fatalf("second first password: %v", err)
	}
	keys := f.entries("user.key")
	k := keys[len(keys)-1]
	var d register.UserData
	if err := k.Decode(&d); err != nil || k.Actor != "o.neuf" || k.Role != register.RoleOperator || d.Fingerprint != sess.Fingerprint || k.Signer != sess.Fingerprint {
		t.Fatalf("user.key entry %+v %+v %v", k.Body, d, err)
	}
	if _, err := f.incident(sess); err != nil {
		t.Fatalf("the person signs after setting their password: %v", err)
	}
	if _, err := f.a.Login(f.ctx, "o.neuf", otp); !errors.Is(err, register.ErrLogin) {
		t.Fatalf("one-time password after use: %v", err)
	}
	again := f.login("o.neuf", own)
	if again.OneTime() || again.Fingerprint != sess.Fingerprint {
		t.Fatalf("login with the own password: %+v", again)
	}
	users, err := f.a.Users(f.ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.OneTime {
			t.Errorf("%s still awaits its password", u.Name)
		}
	}
	if _, err := f.verifyAll(); err != nil {
		t.Fatal(err)
	}
}

// R-KEY-1: a reset by the administrator revokes the person's key and
// records it (user.reset names the revoked key); the entries the old key
// signed still verify, the new key made at the next first login signs from
// then on, and an administrator cannot reset their own account.
func TestResetRotatesKeyOldEntriesVerify(t *testing.T) {
	f := newFixture(t)
	before, err := f.incident(f.op)
	if err != nil {
		t.Fatal(err)
	}
	oldFP := f.op.Fingerprint
	if _, err := f.a.ResetUser(f.ctx, f.op, "rs.bernard"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator resets: %v", err)
	}
	if _, err := f.a.ResetUser(f.ctx, f.admin, "admin"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("administrator resets themselves: %v", err)
	}
	otp, err := f.a.ResetUser(f.ctx, f.admin, "o.martin")
	if err != nil {
		t.Fatal(err)
	}
	resets := f.entries("user.reset")
	var d register.UserData
	if len(resets) != 1 || resets[0].Decode(&d) != nil || d.User != "o.martin" || d.Revoked != oldFP || resets[0].Actor != "admin" {
		t.Fatalf("reset entry %+v %+v", resets, d)
	}
	// The open session of the old key signs nothing more; the old password
	// opens nothing.
	if _, err := f.incident(f.op); !errors.Is(err, register.ErrLogin) {
		t.Fatalf("old session after reset: %v", err)
	}
	if _, err := f.a.Login(f.ctx, "o.martin", opPW); !errors.Is(err, register.ErrLogin) {
		t.Fatalf("old password after reset: %v", err)
	}
	f.firstLogin("o.martin", otp, "Nouveau-Depart-2027")
	op := f.login("o.martin", "Nouveau-Depart-2027")
	if op.Fingerprint == oldFP {
		t.Fatal("the key was not rotated")
	}
	after, err := f.incident(op)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifyAll(); err != nil {
		t.Fatalf("verify after rotation: %v", err)
	}
	// A case's entries are checked with the key valid when each was signed.
	if err := f.log.CheckEntries(f.ctx, f.log.ReadDB(), []*register.Entry{before, after}); err != nil {
		t.Fatalf("check entries signed before and after the rotation: %v", err)
	}
	r, err := register.ReadRoster(f.ctx, f.log.ReadDB(), "o.martin")
	if err != nil {
		t.Fatal(err)
	}
	if sg := r.Signatory("o.martin"); len(sg.Keys) != 2 || sg.Keys[0].Revoked != resets[0].Seq || sg.Keys[1].Revoked != 0 {
		t.Fatalf("keys %+v", sg.Keys)
	}
}

// R-KEY-1: a revoked key cannot sign new entries: an insider who kept the
// old key (here through the register's own API) signs after the reset,
// and verify names that entry; a case read with it is refused too.
func TestRevokedKeyCannotSign(t *testing.T) {
	f := newFixture(t)
	oldKey := f.op.TestPrivateKey()
	otp, err := f.a.ResetUser(f.ctx, f.admin, "o.martin")
	if err != nil {
		t.Fatal(err)
	}
	f.firstLogin("o.martin", otp, "Nouveau-Depart-2027")
	forged, err := f.log.AppendOne(f.ctx, register.NewSigner("o.martin", register.RoleOperator, oldKey),
		register.Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": "signé avec l'ancienne clé"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.verifyAll()
	var ve *register.VerifyError
	if !errors.As(err, &ve) || ve.Seq != forged.Seq || !strings.Contains(ve.Msg, "revoked") {
		t.Fatalf("verify: %v; want the entry %d signed by a revoked key", err, forged.Seq)
	}
	if err := f.log.CheckEntries(f.ctx, f.log.ReadDB(), []*register.Entry{forged}); !errors.Is(err, register.ErrTampered) {
		t.Fatalf("check entries: %v", err)
	}
}

// R-KEY-1: the person changes their own password given the current one;
// the key stays (sealed under the new password) and the change is an
// entry.
func TestChangePassword(t *testing.T) {
	f := newFixture(t)
	const next = "Autre-Secret-2027!"
	if err := f.a.ChangePassword(f.ctx, f.op, "Pas-Le-Bon-1234", next); !errors.Is(err, register.ErrLogin) {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := f.a.ChangePassword(f.ctx, f.op, opPW, opPW); !errors.Is(err, register.ErrWeakPassword) {
		t.Fatalf("same password: %v", err)
	}
	if err := f.a.ChangePassword(f.ctx, f.op, opPW, next); err != nil {
		t.Fatal(err)
	}
	if es := f.entries("user.passwd"); len(es) != 1 || es[0].Actor != "o.martin" || es[0].Signer != f.op.Fingerprint {
		t.Fatalf("user.passwd entries %+v", es)
	}
	if _, err := f.a.Login(f.ctx, "o.martin", opPW); !errors.Is(err, register.ErrLogin) {
		t.Fatalf("old password: %v", err)
	}
	if s := f.login("o.martin", next); s.Fingerprint != f.op.Fingerprint {
		t.Fatal("the key changed with the password")
	}
	if _, err := f.verifyAll(); err != nil {
		t.Fatal(err)
	}
}

// Editing table users with SQL — a password hash, a sealed key or a public
// key swapped, a row deleted or added — is reported by verify (naming the
// entry it contradicts) and refused at login with a clear error (issue 16
// point 6, R-KEY-1).
func TestUsersTableEditDetected(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  string
		login string // user whose login is refused, with rsPW
	}{
		{"password hash swapped", `UPDATE users SET password = (SELECT password FROM users WHERE name = 'rs.bernard') WHERE name = 'o.martin'`, "o.martin"},
		{"sealed key and hash swapped", `UPDATE users SET password = (SELECT password FROM users WHERE name = 'rs.bernard'),
			key_kdf = (SELECT key_kdf FROM users WHERE name = 'rs.bernard'), key_box = (SELECT key_box FROM users WHERE name = 'rs.bernard') WHERE name = 'o.martin'`, "o.martin"},
		{"public key swapped", `UPDATE users SET public_key = (SELECT public_key FROM users WHERE name = 'o.martin') WHERE name = 'rs.bernard'`, "rs.bernard"},
		{"row deleted", `DELETE FROM users WHERE name = 'd.petit'`, ""},
		{"row added", `INSERT INTO users SELECT 'x.intrus', password, key_kdf, key_box, public_key, created FROM users WHERE name = 'rs.bernard'`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if _, err := f.verifyAll(); err != nil {
				t.Fatal(err)
			}
			mustExec(t, rawDB(t, f.dir), tc.edit)
			_, err := f.verifyAll()
			if !errors.Is(err, register.ErrTampered) || !strings.Contains(err.Error(), "table users") {
				t.Fatalf("verify: %v", err)
			}
			t.Logf("detected: %v", err)
			// The register alone (entries, checkpoints) is intact.
			if _, err := f.log.Verify(f.ctx, register.VerifyOptions{}); err != nil {
				t.Fatalf("verify of the log alone: %v", err)
			}
			if tc.login == "" {
				return
			}
			_, err = f.a.Login(f.ctx, tc.login, rsPW)
			var e *register.Error
			if !errors.As(err, &e) || (tc.login == "o.martin" && e.Key != "err.user.credentials_edited") {
				t.Fatalf("login after the edit: %v", err)
			}
		})
	}
}

// An account can be reset even when its row was lost (the reset writes a
// new one), and the register then verifies again.
func TestResetRepairsLostRow(t *testing.T) {
	f := newFixture(t)
	mustExec(t, rawDB(t, f.dir), `DELETE FROM users WHERE name = 'd.petit'`)
	otp, err := f.a.ResetUser(f.ctx, f.admin, "d.petit")
	if err != nil {
		t.Fatal(err)
	}
	f.firstLogin("d.petit", otp, "Retour-De-Conge-9")
	if _, err := f.verifyAll(); err != nil {
		t.Fatal(err)
	}
}

// The commitment to a row of table users is the one SPEC.md §3 gives: the
// test vectors, computed from the spec's text by package register's tests,
// match it.
func TestCredentialsVector(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "register", "testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Credentials struct {
			Name      string `json:"name"`
			Password  string `json:"password"`
			KeyKDF    string `json:"key_kdf"`
			KeyBox    string `json:"key_box_hex"`
			PublicKey string `json:"public_key_base64"`
			Commit    string `json:"commit_hex"`
		} `json:"credentials"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	vc := v.Credentials
	box, err := hex.DecodeString(vc.KeyBox)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := base64.StdEncoding.DecodeString(vc.PublicKey)
	if err != nil || vc.Commit == "" {
		t.Fatalf("vector %+v: %v", vc, err)
	}
	c := &credentials{name: vc.Name, phc: vc.Password, kdf: vc.KeyKDF, box: box, pub: pub}
	if got := c.commit(); got != vc.Commit {
		t.Fatalf("commit %s, vector %s", got, vc.Commit)
	}
}
