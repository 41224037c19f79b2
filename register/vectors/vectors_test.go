package vectors

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// R-REG-2, R-KEY-1: the test vectors of SPEC.md are a valid register.
// Loaded from their published bytes as SPEC.md §10 says, the program's own
// `register verify` — read-only, with the procedure's and the accounts'
// checks, the site key given as on paper and the newest checkpoint as an
// outside witness — accepts them, every entry and checkpoint counted.
func TestVectorsVerify(t *testing.T) {
	v := readVectors(t, "vectors.json")
	dir := t.TempDir()
	load(t, v, dir)
	rep, err := verify(t, v, dir)
	if err != nil {
		t.Fatalf("verify rejects the test vectors: %v (%v)", err, rep.Problems)
	}
	last := v.Checkpoints[len(v.Checkpoints)-1]
	switch {
	case rep.Entries != int64(len(v.Entries)) || rep.SiteKey != v.SiteVKey || rep.Site != "Entrepôt Sud":
		t.Fatalf("report %+v", rep)
	case rep.Checkpoints != len(v.Checkpoints) || rep.Largest != last.Size:
		t.Fatalf("%d checkpoints up to %d, want %d up to %d", rep.Checkpoints, rep.Largest, len(v.Checkpoints), last.Size)
	case rep.Witness == nil || rep.Witness.Size != last.Size:
		t.Fatalf("outside witness %+v, want checkpoint %d", rep.Witness, last.Size)
	}
	// The people's keys are the ones the entries they sign name, valid
	// between the entries the vectors say (R-KEY-1).
	for _, p := range v.People {
		for _, k := range p.Keys {
			if e := v.Entries[k.Published-1]; !strings.Contains(e.Body, `"public_key":"`+k.PublicKey+`"`) {
				t.Errorf("entry %d does not publish the key of %s", k.Published, p.Name)
			}
			if k.Revoked != 0 && !strings.Contains(v.Entries[k.Revoked-1].Body, `"revoked":"`+k.Fingerprint+`"`) {
				t.Errorf("entry %d does not revoke the key of %s", k.Revoked, p.Name)
			}
		}
	}
}

// R-REG-2: testdata/vectors.sql, the same register as SQL, loads with
// sqlite3's plain reading of statements and verifies too.
func TestVectorsSQL(t *testing.T) {
	v := readVectors(t, "vectors.json")
	script, err := os.ReadFile(filepath.Join(testdata, "vectors.sql"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, register.DBName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(string(script)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if rep, err := verify(t, v, dir); err != nil || rep.Entries != int64(len(v.Entries)) {
		t.Fatalf("verify of vectors.sql: %v (%+v)", err, rep)
	}
}

// R-KEY-1: the rows of table users in the vectors are genuine: with the
// site key file given back, each person logs in with their password, which
// opens the key the register published for them, and the program reads
// the case and signs with it; a one-time password that was replaced opens
// nothing, and the register still verifies.
func TestVectorsProgramUsesThem(t *testing.T) {
	v := readVectors(t, "vectors.json")
	dir := t.TempDir()
	load(t, v, dir)
	if err := os.WriteFile(filepath.Join(dir, register.SiteKeyFile), []byte(v.Site.SignerKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 2, 4, 8, 0, 0, 0, time.UTC)
	st, err := procedure.Open(ctx, dir, register.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range v.People {
		sess, err := st.Login(ctx, p.Name, p.Password)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if sess.OneTime() || sess.Fingerprint != p.Keys[len(p.Keys)-1].Fingerprint {
			t.Fatalf("%s logged in with key %s, want their current key", p.Name, sess.Fingerprint)
		}
		if p.Role == register.RoleAdmin {
			continue
		}
		c, err := st.Cases.Get(ctx, sess, "EXT-2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		if c.State != procedure.StateClosed || c.Authorization == nil || c.Authorization.By != "s.bernard" ||
			len(c.Exports) != 1 || len(c.Deliveries) != 1 || len(c.Attachments) != 1 || c.Requester.Name != "Léa Moreau" {
			t.Fatalf("case as the program reads it: %+v", c)
		}
	}
	for _, p := range v.People {
		for _, otp := range p.OneTime {
			if _, err := st.Login(ctx, p.Name, otp); !errors.Is(err, register.ErrLogin) {
				t.Fatalf("%s logged in with a used one-time password: %v", p.Name, err)
			}
		}
	}
	if rep, err := st.Verify(ctx, register.VerifyOptions{SiteKey: v.SiteVKey}); err != nil || rep.Entries <= int64(len(v.Entries)) {
		t.Fatalf("after the logins: %v (%+v)", err, rep)
	}
}

// R-REG-2: the schema SPEC.md §1.1 shows is the program's: a database
// built from it has the tables, indexes and triggers of one the program
// creates.
func TestSpecSchema(t *testing.T) {
	ctx := context.Background()
	fromSpec := filepath.Join(t.TempDir(), register.DBName)
	db, err := sql.Open("sqlite", fromSpec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(specSchema(t)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dir := t.TempDir()
	st, err := register.Open(ctx, dir, register.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	want, got := schemaOf(t, filepath.Join(dir, register.DBName)), schemaOf(t, fromSpec)
	if got != want {
		t.Fatalf("SPEC.md §1.1 shows\n%s\nthe program creates\n%s", got, want)
	}
}

// schemaOf lists a database's objects and their SQL, white space
// normalized.
func schemaOf(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	space := regexp.MustCompile(`\s+`)
	var out strings.Builder
	for rows.Next() {
		var typ, name, tbl, q string
		if err := rows.Scan(&typ, &name, &tbl, &q); err != nil {
			t.Fatal(err)
		}
		q = strings.ReplaceAll(space.ReplaceAllString(q, " "), "( ", "(")
		out.WriteString(typ + " " + name + " " + tbl + ": " + q + "\n")
	}
	return out.String()
}
