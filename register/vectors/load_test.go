package vectors

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// The vectors as an outsider reads them: the fields SPEC.md §10 describes,
// declared here again rather than borrowed from package register's tests.
type vectors struct {
	Comment string `json:"comment"`
	// A broken variant says why it must be rejected and where.
	Why         string        `json:"why,omitempty"`
	Change      string        `json:"change,omitempty"`
	Expect      *expect       `json:"expect,omitempty"`
	SiteVKey    string        `json:"site_verifier_key"`
	Site        *site         `json:"site,omitempty"`
	People      []person      `json:"people,omitempty"`
	Migrations  []migration   `json:"schema_migrations"`
	Entries     []entry       `json:"entries"`
	Personal    []personal    `json:"personal"`
	Attachments []attachment  `json:"attachments"`
	Checkpoints []checkpoint  `json:"checkpoints"`
	Users       []credentials `json:"users"`
	Checkpoint  string        `json:"checkpoint_note,omitempty"`
	Credentials *credentials  `json:"credentials,omitempty"`
}

type expect struct {
	Entry  int64  `json:"entry"`
	Kind   string `json:"kind"`   // "tampered" or "truncated"
	Reason string `json:"reason"` // in the program's English message
}

type site struct {
	ID          string `json:"id"`
	Seed        string `json:"seed_hex"`
	SignerKey   string `json:"signer_key"`
	Fingerprint string `json:"fingerprint"`
}

type person struct {
	Name     string        `json:"name"`
	Role     register.Role `json:"role"`
	Password string        `json:"password"`
	OneTime  []string      `json:"one_time_passwords,omitempty"`
	Keys     []key         `json:"keys"`
}

type key struct {
	Seed        string `json:"seed_hex"`
	PublicKey   string `json:"public_key_base64"`
	Fingerprint string `json:"fingerprint"`
	Password    string `json:"password"`
	Published   int64  `json:"published"`
	Revoked     int64  `json:"revoked,omitempty"`
}

type migration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Applied string `json:"applied"`
}

type entry struct {
	Seq     int64  `json:"seq"`
	Time    string `json:"time"`
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Prev    string `json:"prev_hex"`
	Hash    string `json:"hash_hex"`
	Sig     string `json:"sig_hex"`
}

type personal struct {
	Seq   int64   `json:"seq"`
	Salt  *string `json:"salt_hex"`
	Data  *string `json:"data"`
	Until string  `json:"until"`
}

type attachment struct {
	SHA256 string  `json:"sha256_hex"`
	Seq    int64   `json:"seq"`
	Name   string  `json:"name"`
	Data   *string `json:"data_base64"`
	Until  string  `json:"until"`
}

type checkpoint struct {
	Size int64  `json:"size"`
	Hash string `json:"hash_hex"`
	Time string `json:"time"`
	Note string `json:"note"`
}

type credentials struct {
	Name      string `json:"name"`
	Password  string `json:"password"`
	KeyKDF    string `json:"key_kdf"`
	KeyBox    string `json:"key_box_hex"`
	PublicKey string `json:"public_key_base64"`
	Created   string `json:"created,omitempty"`
	Commit    string `json:"commit_hex"`
}

var testdata = filepath.Join("..", "testdata")

// readVectors reads a vectors file of ../testdata.
func readVectors(t *testing.T, name string) *vectors {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &v
}

// specSchema is the SQL of SPEC.md §1.1: its ```sql blocks, in order.
func specSchema(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "SPEC.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllSubmatch(b, -1) {
		out += string(m[1])
	}
	if out == "" {
		t.Fatal("SPEC.md shows no schema")
	}
	return out
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// load builds a data folder from v the way SPEC.md §10 says, from the
// published bytes only: the database from the schema of §1.1 and the
// rows, then site.vkey and the checkpoint files. A broken variant is
// loaded as a tamperer would write it: without the trigger that keeps the
// entries in order.
func load(t *testing.T, v *vectors, dir string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, register.DBName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(specSchema(t))
	if v.Expect != nil {
		exec(`DROP TRIGGER entries_in_order`)
	}
	for _, m := range v.Migrations {
		exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`, m.Version, m.Name, m.Applied)
	}
	for _, e := range v.Entries {
		exec(`INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, e.Time, e.Actor, e.Action, e.Subject, []byte(e.Body), mustHex(t, e.Prev), mustHex(t, e.Hash), mustHex(t, e.Sig))
	}
	for _, p := range v.Personal {
		var salt, data []byte // NULL when erased
		if p.Salt != nil {
			salt = mustHex(t, *p.Salt)
		}
		if p.Data != nil {
			data = []byte(*p.Data)
		}
		exec(`INSERT INTO personal (seq, salt, data, until) VALUES (?, ?, ?, ?)`, p.Seq, salt, data, p.Until)
	}
	for _, a := range v.Attachments {
		var data []byte
		if a.Data != nil {
			if data, err = base64.StdEncoding.DecodeString(*a.Data); err != nil {
				t.Fatal(err)
			}
		}
		exec(`INSERT INTO attachments (sha256, seq, name, data, until) VALUES (?, ?, ?, ?, ?)`, mustHex(t, a.SHA256), a.Seq, a.Name, data, a.Until)
	}
	for _, c := range v.Checkpoints {
		exec(`INSERT INTO checkpoints (size, hash, time, note) VALUES (?, ?, ?, ?)`, c.Size, mustHex(t, c.Hash), c.Time, c.Note)
	}
	for _, u := range v.Users {
		pub, err := base64.StdEncoding.DecodeString(u.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		exec(`INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES (?, ?, ?, ?, ?, ?)`,
			u.Name, u.Password, u.KeyKDF, mustHex(t, u.KeyBox), pub, u.Created)
	}
	if err := os.WriteFile(filepath.Join(dir, register.SiteVerifierFile), []byte(v.SiteVKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cps := filepath.Join(dir, register.CheckpointDir)
	if err := os.MkdirAll(cps, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range v.Checkpoints {
		if err := os.WriteFile(filepath.Join(cps, fmt.Sprintf("%012d.note", c.Size)), []byte(c.Note), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// verify runs the program's `register verify` on the data folder dir:
// opened read-only, with the procedure's and the accounts' checks, the
// site key as printed on paper (--key) and the outside checkpoint, if v
// has one (--checkpoint).
func verify(t *testing.T, v *vectors, dir string) (*register.Report, error) {
	t.Helper()
	ctx := context.Background()
	st, err := procedure.Open(ctx, dir, register.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	opt := register.VerifyOptions{SiteKey: v.SiteVKey}
	if v.Checkpoint != "" {
		opt.Checkpoints = [][]byte{[]byte(v.Checkpoint)}
	}
	return st.Verify(ctx, opt)
}
