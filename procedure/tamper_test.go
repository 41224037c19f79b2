package procedure_test

import (
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// tamperFixture builds a register with a few cases and returns it with a
// copy of its last checkpoint "on paper".
func tamperFixture(t *testing.T) (*proceduretest.Fixture, []byte, int64) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	f.NewCase(ReasonIncident)
	cp, err := f.Store.WriteCheckpoint(f.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	paper := append([]byte(nil), cp.Note...)
	f.NewCase(ReasonJudicial)
	f.Verify(register.VerifyOptions{}) // clean before tampering
	return f, paper, cp.Size
}

func wantVerifyError(t *testing.T, f *proceduretest.Fixture, opt register.VerifyOptions, seq int64, kind error) {
	t.Helper()
	_, err := f.Store.Verify(f.Ctx, opt)
	if err == nil {
		t.Fatal("verify found nothing")
	}
	var ve *register.VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, kind) {
		t.Fatalf("verify: %v (%T), want %v", err, err, kind)
	}
	if ve.Seq != seq || !strings.Contains(err.Error(), fmt.Sprintf("entry %d", seq)) {
		t.Fatalf("verify: %v; want the error to name entry %d", err, seq)
	}
	t.Logf("detected: %v", err)
}

// R-REG-2: every kind of change to past entries is detected by verify,
// which names the entry.
func TestTamperDetected(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 // returns the entry verify must name
		kind   error
		paper  bool
	}{
		{"edit body", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			seq := caseNewSeq(t, db)
			proceduretest.MustExec(t, db, `UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'cam2', 'cam9') AS BLOB) WHERE seq = ?`, seq)
			return seq
		}, register.ErrTampered, false},
		{"edit indexed column", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			proceduretest.MustExec(t, db, `UPDATE entries SET actor = 'rs.bernard' WHERE seq = 10`)
			return 10
		}, register.ErrTampered, false},
		{"delete", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			proceduretest.MustExec(t, db, `DELETE FROM entries WHERE seq = 12`)
			return 12
		}, register.ErrTampered, false},
		{"reorder", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			proceduretest.MustExec(t, db, `UPDATE entries SET seq = -1 WHERE seq = 14`)
			proceduretest.MustExec(t, db, `UPDATE entries SET seq = 14 WHERE seq = 15`)
			proceduretest.MustExec(t, db, `UPDATE entries SET seq = 15 WHERE seq = -1`)
			return 14
		}, register.ErrTampered, false},
		{"insert in the middle", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			proceduretest.MustExec(t, db, `UPDATE entries SET seq = seq + 1000000 WHERE seq >= 9`)
			proceduretest.MustExec(t, db, `UPDATE entries SET seq = seq - 999999 WHERE seq >= 1000000`)
			// A copy of entry 8, re-chained to entry 8 with a fresh hash.
			var body, hash []byte
			db.QueryRow(`SELECT body, hash FROM entries WHERE seq = 8`).Scan(&body, &hash)
			h := register.EntryHash(9, hash, body)
			_, priv, _ := ed25519.GenerateKey(nil)
			proceduretest.MustExec(t, db, `INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) SELECT 9, time, actor, action, subject, body, ?, ?, ? FROM entries WHERE seq = 8`,
				hash, h, ed25519.Sign(priv, register.SigMessage(h)))
			return 9
		}, register.ErrTampered, false},
		{"forged authorization appended with the site key", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			// The site key is on the disk: it still cannot sign user actions.
			k, _ := f.Store.TestSiteKey()
			n := appendForged(t, db, k, register.Body{V: 1, Actor: register.SystemActor, Role: register.RoleSystem, Action: "case.authorize",
				Subject: "EXT-2026-0002", Signer: register.Fingerprint(k.Public().(ed25519.PublicKey)), Data: []byte(`{"basis":"authorization"}`)})
			return n
		}, register.ErrTampered, false},
		// The site key signs no person's act (R-REG-2 rev.; issue 16): not
		// the purge of a live export, nor an incident of another kind, nor
		// a task or a copy.
		{"export copy purged with the site key", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			k, _ := f.Store.TestSiteKey()
			return appendForged(t, db, k, register.Body{V: 1, Actor: register.SystemActor, Role: register.RoleSystem, Action: "copy.purge",
				Subject: "EXT-2026-0001", Signer: register.Fingerprint(k.Public().(ed25519.PublicKey)), Data: []byte(`{"copy":"C-0001","method":"crypto-erase","verified":true}`)})
		}, register.ErrTampered, false},
		{"incident of another kind signed with the site key", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			k, _ := f.Store.TestSiteKey()
			return appendForged(t, db, k, register.Body{V: 1, Actor: register.SystemActor, Role: register.RoleSystem, Action: "incident",
				Subject: "EXT-2026-0001", Signer: register.Fingerprint(k.Public().(ed25519.PublicKey)), Data: []byte(`{"detail":"x","kind":"other"}`)})
		}, register.ErrTampered, false},
		{"task signed with the site key", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			k, _ := f.Store.TestSiteKey()
			return appendForged(t, db, k, register.Body{V: 1, Actor: register.SystemActor, Role: register.RoleSystem, Action: "task.notify",
				Subject: "EXT-2026-0001", Signer: register.Fingerprint(k.Public().(ed25519.PublicKey)), Data: []byte(`{"task":"x"}`)})
		}, register.ErrTampered, false},
		{"forged authorization with a stranger's key", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			pub, priv, _ := ed25519.GenerateKey(nil)
			return appendForged(t, db, priv, register.Body{V: 1, Actor: "rs.bernard", Role: register.RoleSecurityManager, Action: "case.authorize",
				Subject: "EXT-2026-0002", Signer: register.Fingerprint(pub), Data: []byte(`{"basis":"authorization"}`)})
		}, register.ErrTampered, false},
		{"operator signs an authorization", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			// R-AUTH-1 holds in verify too: a key holder cannot exceed their role.
			return appendForged(t, db, f.Op.TestPrivateKey(), register.Body{V: 1, Actor: "o.martin", Role: register.RoleOperator, Action: "case.authorize",
				Subject: "EXT-2026-0002", Signer: f.Op.Fingerprint, Data: []byte(`{"basis":"authorization"}`)})
		}, register.ErrTampered, false},
		{"operator bypasses the program to export without authorization", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			// Correctly signed with the operator's own key: the procedure
			// check of verify still catches it (case 2 is confirmed only).
			return appendForged(t, db, f.Op.TestPrivateKey(), register.Body{V: 1, Actor: "o.martin", Role: register.RoleOperator, Action: "case.export.start",
				Subject: "EXT-2026-0002", Signer: f.Op.Fingerprint, Data: []byte(`{"cameras":["cam1"],"copy":"CP-9","out_dir":"/tmp/x"}`)})
		}, register.ErrTampered, false},
		{"broken signature", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			proceduretest.MustExec(t, db, `UPDATE entries SET sig = zeroblob(64) WHERE seq = 11`)
			return 11
		}, register.ErrTampered, false},
		{"personal data edited", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			seq := caseNewSeq(t, db)
			proceduretest.MustExec(t, db, `UPDATE personal SET data = CAST(replace(CAST(data AS TEXT), 'Durand', 'Martin') AS BLOB) WHERE seq = ?`, seq)
			return seq
		}, register.ErrTampered, false},
		{"personal data erased before retention", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			seq := caseNewSeq(t, db)
			proceduretest.MustExec(t, db, `UPDATE personal SET data = NULL, salt = NULL WHERE seq = ?`, seq)
			return seq
		}, register.ErrTampered, false},
		{"truncate after a checkpoint, traces removed", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			keep := size - 3
			proceduretest.MustExec(t, db, `DELETE FROM entries WHERE seq > ?`, keep)
			proceduretest.MustExec(t, db, `DELETE FROM personal WHERE seq > ?`, keep)
			proceduretest.MustExec(t, db, `DELETE FROM checkpoints`)
			os.RemoveAll(filepath.Join(f.Dir, register.CheckpointDir))
			return keep + 1
		}, register.ErrTruncated, true},
		{"truncate and re-append with the site key", func(t *testing.T, db *sql.DB, f *proceduretest.Fixture, size int64) int64 {
			// Same size as the paper checkpoint, different history.
			proceduretest.MustExec(t, db, `DELETE FROM entries WHERE seq >= ?`, size)
			proceduretest.MustExec(t, db, `DELETE FROM personal WHERE seq >= ?`, size)
			proceduretest.MustExec(t, db, `DELETE FROM checkpoints`)
			os.RemoveAll(filepath.Join(f.Dir, register.CheckpointDir))
			k, _ := f.Store.TestSiteKey()
			appendForged(t, db, k, register.Body{V: 1, Actor: register.SystemActor, Role: register.RoleSystem, Action: "auth.fail", Signer: register.Fingerprint(k.Public().(ed25519.PublicKey)), Data: []byte(`{"reason":"unknown_user"}`)})
			return size
		}, register.ErrTampered, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, paper, size := tamperFixture(t)
			db := proceduretest.RawDB(t, f.Dir)
			seq := tt.tamper(t, db, f, size)
			opt := register.VerifyOptions{}
			if tt.paper {
				opt.Checkpoints = [][]byte{paper}
			}
			wantVerifyError(t, f, opt, seq, tt.kind)
		})
	}
}

func caseNewSeq(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var seq int64
	if err := db.QueryRow(`SELECT seq FROM entries WHERE action = 'case.new' ORDER BY seq LIMIT 1`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// appendForged appends a well-chained entry signed with priv and returns
// its number.
func appendForged(t *testing.T, db *sql.DB, priv ed25519.PrivateKey, b register.Body) int64 {
	t.Helper()
	var seq int64
	var prev []byte
	if err := db.QueryRow(`SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev); err != nil {
		t.Fatal(err)
	}
	var last string
	db.QueryRow(`SELECT time FROM entries WHERE seq = ?`, seq).Scan(&last)
	b.Time = last
	raw, err := register.EncodeBody(&b)
	if err != nil {
		t.Fatal(err)
	}
	seq++
	h := register.EntryHash(seq, prev, raw)
	proceduretest.MustExec(t, db, `INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		seq, b.Time, b.Actor, b.Action, b.Subject, raw, prev, h, ed25519.Sign(priv, register.SigMessage(h)))
	return seq
}

// R-REG-1, R-REG-2: the database itself refuses UPDATE and DELETE of
// entries, even through a plain connection, as long as its triggers are
// there; nobody, admin included, can erase history through the program.
func TestTriggersRefuseChanges(t *testing.T) {
	f := proceduretest.New(t)
	f.NewCase(ReasonInsurance)
	db, err := sql.Open("sqlite", filepath.Join(f.Dir, register.DBName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE entries SET actor = 'x' WHERE seq = 3`,
		`DELETE FROM entries WHERE seq = 3`,
		`DELETE FROM entries`,
		`INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (100, '', '', '', '', x'00', zeroblob(32), x'00', x'00')`,
		`INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) SELECT MAX(seq) + 1, '', '', '', '', x'00', zeroblob(32), x'00', x'00' FROM entries`,
		`UPDATE personal SET data = x'00'`,
		`DELETE FROM personal`,
		`DELETE FROM checkpoints`,
		`UPDATE checkpoints SET size = 1`,
	} {
		if _, err := db.Exec(q); err == nil {
			t.Errorf("%s: accepted", q)
		}
	}
	f.Verify(register.VerifyOptions{})
}

// A register wiped entirely (entries, checkpoints, site key) is not
// "intact": it is empty, and a checkpoint kept on paper proves the loss.
func TestWipedRegister(t *testing.T) {
	f, paper, _ := tamperFixture(t)
	db := proceduretest.RawDB(t, f.Dir)
	for _, q := range []string{`DELETE FROM personal`, `DELETE FROM attachments`, `DELETE FROM entries`, `DELETE FROM checkpoints`} {
		proceduretest.MustExec(t, db, q)
	}
	os.RemoveAll(filepath.Join(f.Dir, register.CheckpointDir))
	if _, err := f.Store.Verify(f.Ctx, register.VerifyOptions{}); !errors.Is(err, register.ErrNotInitialized) {
		t.Fatalf("verify of an empty register: %v", err)
	}
	if _, err := f.Store.Verify(f.Ctx, register.VerifyOptions{Checkpoints: [][]byte{paper}}); !errors.Is(err, register.ErrTampered) {
		t.Fatalf("verify of a wiped register against paper: %v", err)
	}
}
