package registertest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"mileo.tech/extract/register"
)

// Target is a new, empty register of the store under test.
type Target struct {
	// Dir is the data folder (site key, checkpoint files).
	Dir string
	// URL is the PostgreSQL register's URL ([register.Options].URL), empty
	// for SQLite.
	URL string
	// Tamper runs a statement the way an insider who bypasses the
	// database's refusals would (the SQLite file with the triggers
	// dropped, PostgreSQL's owner with the triggers disabled). The
	// statement holds no placeholder.
	Tamper func(t *testing.T, stmt string)
	// Guarded are plain connections to the register, by name, that must
	// be refused any change of the log.
	Guarded map[string]*sql.DB
}

// Run runs the suite; newTarget makes a new empty register for each test.
func Run(t *testing.T, newTarget func(t *testing.T) *Target) {
	t.Run("Append", func(t *testing.T) { testAppend(t, newFixture(t, newTarget(t))) })
	t.Run("Checkpoints", func(t *testing.T) { testCheckpoints(t, newFixture(t, newTarget(t))) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newFixture(t, newTarget(t))) })
	t.Run("Tamper", func(t *testing.T) { testTamper(t, newTarget) })
	t.Run("Erase", func(t *testing.T) { testErase(t, newFixture(t, newTarget(t))) })
	t.Run("Refusals", func(t *testing.T) { testRefusals(t, newFixture(t, newTarget(t))) })
}

// clock is a strictly increasing clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// User is an account of a test register with its key.
type User struct {
	Name string
	Role register.Role
	Key  ed25519.PrivateKey
}

// NewUser makes an account whose key derives from its name, so that
// another process can sign as the same user.
func NewUser(name string, r register.Role) *User {
	seed := sha256.Sum256([]byte("registertest key\x00" + name))
	return &User{Name: name, Role: r, Key: ed25519.NewKeyFromSeed(seed[:])}
}

// Signer is the user's signer.
func (u *User) Signer() *register.Signer { return register.NewSigner(u.Name, u.Role, u.Key) }

func (u *User) data() register.UserData {
	pub := u.Key.Public().(ed25519.PublicKey)
	return register.UserData{User: u.Name, Role: u.Role, PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: register.Fingerprint(pub)}
}

// Users of every test register.
var (
	Admin = NewUser("admin", register.RoleAdmin)
	Op    = NewUser("o.martin", register.RoleOperator)
	DPO   = NewUser("dpo.leroy", register.RoleDPO)
)

// Init creates the register (entry 1), its administrator (entry 2) and
// the other users of the suite (entries 3 to 6: each added, then its key).
func Init(ctx context.Context, s *register.Store) error {
	err := s.Init(ctx, "Entrepôt Sud — Créteil", func(tx *sql.Tx, sys *register.Signer) error {
		_, err := s.AppendTx(ctx, tx, sys, register.Record{Action: "user.add", Subject: register.UserSubject(Admin.Name), Data: Admin.data()})
		return err
	})
	if err != nil {
		return err
	}
	for _, u := range []*User{Op, DPO} {
		// Added without a key, which the person makes at their first
		// login (R-KEY-1).
		if _, err := s.AppendOne(ctx, Admin.Signer(), register.Record{Action: "user.add", Subject: register.UserSubject(u.Name),
			Data: register.UserData{User: u.Name, Role: u.Role}}); err != nil {
			return err
		}
		d := u.data()
		d.Role = ""
		if _, err := s.AppendOne(ctx, u.Signer(), register.Record{Action: "user.key", Subject: register.UserSubject(u.Name), Data: d}); err != nil {
			return err
		}
	}
	return nil
}

// Incident appends an incident signed by u.
func Incident(ctx context.Context, s *register.Store, u *User, detail string) (*register.Entry, error) {
	return s.AppendOne(ctx, u.Signer(), register.Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": detail}})
}

type fixture struct {
	t     *testing.T
	ctx   context.Context
	tg    *Target
	clock *clock
	s     *register.Store
}

func newFixture(t *testing.T, tg *Target) *fixture {
	f := &fixture{t: t, ctx: context.Background(), tg: tg, clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	f.s = f.open()
	if err := Init(f.ctx, f.s); err != nil {
		t.Fatal(err)
	}
	return f
}

// open opens another store (its own connection pools) on the register.
func (f *fixture) open() *register.Store {
	f.t.Helper()
	s, err := register.Open(f.ctx, f.tg.Dir, register.Options{Now: f.clock.Now, Software: "registertest", URL: f.tg.URL})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	return s
}

func (f *fixture) verify() *register.Report {
	f.t.Helper()
	rep, err := f.s.Verify(f.ctx, register.VerifyOptions{})
	if err != nil {
		f.t.Fatalf("verify: %v", err)
	}
	return rep
}

// wantTampered checks that verify names entry seq, with kind.
func (f *fixture) wantTampered(seq int64, kind error) {
	f.t.Helper()
	_, err := f.s.Verify(f.ctx, register.VerifyOptions{})
	var ve *register.VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, kind) {
		f.t.Fatalf("verify: %v, want %v", err, kind)
	}
	if ve.Seq != seq {
		f.t.Fatalf("verify: %v; want entry %d named", err, seq)
	}
}

func (f *fixture) count(q string) int64 {
	f.t.Helper()
	var n int64
	if err := f.s.ReadDB().QueryRowContext(f.ctx, q).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// appendPersonal appends an entry with personal data and an attachment,
// signed by the operator.
func (f *fixture) appendPersonal(name string) *register.Entry {
	f.t.Helper()
	doc := []byte("scan of the receipt of " + name)
	sum := sha256.Sum256(doc)
	e, err := f.s.AppendOne(f.ctx, Op.Signer(), register.Record{Action: "case.attach", Subject: "EXT-2026-0001",
		Data:     register.AttachData{Name: "receipt.pdf", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(doc)), Kind: "receipt"},
		Personal: map[string]string{"name": name},
		Attach:   &register.Document{Name: "receipt.pdf", Data: doc, Sum: sum},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

func testAppend(t *testing.T, f *fixture) {
	const n = 20
	for i := 0; i < n; i++ {
		if _, err := Incident(f.ctx, f.s, Op, fmt.Sprintf("incident %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	p := f.appendPersonal("Jeanne Dupont")
	want := int64(6 + n + 1)
	if p.Seq != want {
		t.Fatalf("last entry %d, want %d", p.Seq, want)
	}
	es, err := register.EntriesByAction(f.ctx, f.s.ReadDB(), "incident", "case.attach")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != n+1 || es[0].Seq != 7 || es[n].Seq != want || !es[n].Time.Equal(p.Time) || es[n].HashHex() != p.HashHex() {
		t.Fatalf("read back %d incidents, the last %d %s; want %d, the last %d %s", len(es), es[len(es)-1].Seq, es[len(es)-1].HashHex(), n+1, want, p.HashHex())
	}
	rep := f.verify()
	if rep.Entries != want || hex.EncodeToString(rep.Head) != p.HashHex() {
		t.Fatalf("verified %d entries, head %x; want %d, %s", rep.Entries, rep.Head, want, p.HashHex())
	}
	var data []byte
	if err := f.s.ReadDB().QueryRowContext(f.ctx, `SELECT data FROM attachments WHERE sha256 = ?`, sha256Of("scan of the receipt of Jeanne Dupont")).Scan(&data); err != nil {
		t.Fatalf("attachment by its sum: %v", err)
	}
}

func sha256Of(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func testCheckpoints(t *testing.T, f *fixture) {
	for i := 0; i < 3; i++ {
		if _, err := Incident(f.ctx, f.s, Op, "before a checkpoint"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.WriteCheckpoint(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Writing again at the same head changes nothing.
	if _, err := f.s.WriteCheckpoint(f.ctx); err != nil {
		t.Fatal(err)
	}
	cp, err := f.s.LatestCheckpoint(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Size != 9 {
		t.Fatalf("latest checkpoint of size %d, want 9", cp.Size)
	}
	rep := f.verify()
	if rep.Checkpoints < 4 || rep.Largest != 9 {
		t.Fatalf("verify checked %d checkpoints, largest %d; want ≥ 4 (Init's and 3), 9", rep.Checkpoints, rep.Largest)
	}
}

// testConcurrent: stores with their own pools append at once; the chain
// stays one, none lost.
func testConcurrent(t *testing.T, f *fixture) {
	const stores, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, stores)
	for i := 0; i < stores; i++ {
		s := f.open()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				if _, err := Incident(f.ctx, s, Op, fmt.Sprintf("store %d entry %d", i, j)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := int64(6 + stores*each)
	if n := f.count(`SELECT COUNT(*) FROM entries`); n != want {
		t.Fatalf("%d entries, want %d", n, want)
	}
	if rep := f.verify(); rep.Entries != want {
		t.Fatalf("verified %d entries, want %d", rep.Entries, want)
	}
}

func testTamper(t *testing.T, newTarget func(t *testing.T) *Target) {
	for _, tc := range []struct {
		name  string
		stmt  string
		seq   int64
		kind  error
		check bool // write a checkpoint before tampering
	}{
		{name: "indexed column edited", stmt: `UPDATE entries SET actor = 'dpo.leroy' WHERE seq = 8`, seq: 8, kind: register.ErrTampered},
		{name: "entry deleted", stmt: `DELETE FROM entries WHERE seq = 9`, seq: 9, kind: register.ErrTampered},
		{name: "newest entries deleted after a checkpoint", stmt: `DELETE FROM entries WHERE seq >= 10`, seq: 10, kind: register.ErrTruncated, check: true},
		{name: "personal data edited", stmt: `UPDATE personal SET data = salt WHERE seq = 7`, seq: 7, kind: register.ErrTampered},
		{name: "personal data erased early", stmt: `UPDATE personal SET data = NULL, salt = NULL WHERE seq = 7`, seq: 7, kind: register.ErrTampered},
		{name: "personal data deleted", stmt: `DELETE FROM personal WHERE seq = 7`, seq: 7, kind: register.ErrTampered},
		{name: "attachment edited", stmt: `UPDATE attachments SET data = sha256 WHERE seq = 7`, seq: 7, kind: register.ErrTampered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := newTarget(t)
			f := newFixture(t, tg)
			f.appendPersonal("Jeanne Dupont") // 7
			for i := 0; i < 4; i++ {          // 8..11
				if _, err := Incident(f.ctx, f.s, Op, "incident"); err != nil {
					t.Fatal(err)
				}
			}
			if tc.check {
				if _, err := f.s.WriteCheckpoint(f.ctx); err != nil {
					t.Fatal(err)
				}
			}
			f.verify()
			tg.Tamper(t, tc.stmt)
			f.wantTampered(tc.seq, tc.kind)
		})
	}
}

// testErase erases personal data and an attachment at the end of
// retention, as package retention does, and verifies.
func testErase(t *testing.T, f *fixture) {
	p := f.appendPersonal("Jeanne Dupont")
	f.clock.Advance(time.Duration(register.RetentionYears)*366*24*time.Hour + 24*time.Hour)
	sum := hex.EncodeToString(sha256Of("scan of the receipt of Jeanne Dupont"))
	err := f.s.Write(f.ctx, func(tx *sql.Tx) error {
		if _, err := f.s.AppendTx(f.ctx, tx, DPO.Signer(), register.Record{Action: "personal.erase",
			Data: register.EraseData{Entries: []int64{p.Seq}, Attachments: []string{sum}}}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(f.ctx, `UPDATE personal SET salt = NULL, data = NULL WHERE seq = ?`, p.Seq); err != nil {
			return err
		}
		_, err := tx.ExecContext(f.ctx, `UPDATE attachments SET data = NULL WHERE lower(hex(sha256)) = ?`, sum)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Scrub(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT COUNT(*) FROM personal WHERE data IS NULL AND salt IS NULL`); n != 1 {
		t.Fatalf("%d personal records erased, want 1", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM attachments WHERE data IS NULL`); n != 1 {
		t.Fatalf("%d attachments erased, want 1", n)
	}
	if rep := f.verify(); rep.PersonalErased != 1 {
		t.Fatalf("verify counted %d erased, want 1", rep.PersonalErased)
	}
}

// testRefusals: the database refuses to change the log to every guarded
// connection (R-REG-1).
func testRefusals(t *testing.T, f *fixture) {
	f.appendPersonal("Jeanne Dupont")
	if _, err := f.s.WriteCheckpoint(f.ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.tg.Guarded) == 0 {
		t.Fatal("no guarded connection to test")
	}
	for name, db := range f.tg.Guarded {
		for _, stmt := range []string{
			`UPDATE entries SET actor = 'x' WHERE seq = 3`,
			`DELETE FROM entries WHERE seq = 7`,
			`DELETE FROM entries`,
			`UPDATE checkpoints SET note = 'x'`,
			`DELETE FROM checkpoints`,
			`UPDATE personal SET data = salt WHERE seq = 7`,
			`UPDATE personal SET until = '2000-01-01T00:00:00.000000000Z' WHERE seq = 7`,
			`DELETE FROM personal`,
			`UPDATE attachments SET data = sha256`,
			`DELETE FROM attachments`,
			`INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig)
				SELECT 99, time, actor, action, subject, body, prev, hash, sig FROM entries WHERE seq = 1`,
			`INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig)
				SELECT 8, time, actor, action, subject, body, prev, hash, sig FROM entries WHERE seq = 1`,
		} {
			if _, err := db.ExecContext(f.ctx, stmt); err == nil {
				t.Errorf("%s: %s was allowed", name, stmt)
			}
		}
	}
	if rep := f.verify(); rep.Entries != 7 {
		t.Fatalf("verified %d entries, want 7", rep.Entries)
	}
}
