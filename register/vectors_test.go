package register

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// Vectors are the test vectors of SPEC.md: deterministic keys, three
// entries, a personal-data commitment and a checkpoint.
type Vectors struct {
	Comment    string         `json:"comment"`
	SiteSeed   string         `json:"site_key_seed_hex"`
	SiteSigner string         `json:"site_signer_key"`
	SiteVKey   string         `json:"site_verifier_key"`
	UserSeed   string         `json:"user_key_seed_hex"`
	UserPublic string         `json:"user_public_key_base64"`
	Entries    []VectorEntry  `json:"entries"`
	Personal   VectorPersonal `json:"personal"`
	// Credentials is a row of table users and its commitment (SPEC.md §3);
	// package account's tests check that it commits the same way.
	Credentials VectorCredentials `json:"credentials"`
	Checkpoint  string            `json:"checkpoint_note"`
}

type VectorCredentials struct {
	Name      string `json:"name"`
	Password  string `json:"password"`
	KeyKDF    string `json:"key_kdf"`
	KeyBox    string `json:"key_box_hex"`
	PublicKey string `json:"public_key_base64"`
	Commit    string `json:"commit_hex"`
}

// credentialsCommit computes the commitment of SPEC.md §3 from its text.
func credentialsCommit(c VectorCredentials, box, pub []byte) string {
	buf := lp(nil, []byte("mileo-register/v1/credentials"))
	for _, b := range [][]byte{[]byte(c.Name), []byte(c.Password), []byte(c.KeyKDF), box, pub} {
		buf = lp(buf, b)
	}
	h := sha256.Sum256(buf)
	return hex.EncodeToString(h[:])
}

type VectorEntry struct {
	Seq    int64  `json:"seq"`
	Prev   string `json:"prev_hex"`
	Body   string `json:"body"`
	Hash   string `json:"hash_hex"`
	Signer string `json:"signed_by"`
	Sig    string `json:"sig_hex"`
}

type VectorPersonal struct {
	Salt   string `json:"salt_hex"`
	Data   string `json:"data"`
	Commit string `json:"commit_hex"`
}

func seed(b byte) []byte { return bytes.Repeat([]byte{b}, ed25519.SeedSize) }

// siteKeyFromSeed builds a site key deterministically.
func siteKeyFromSeed(t testing.TB, s []byte, id string) (*siteKey, string) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(s)
	vkey, err := note.NewEd25519VerifierKey(siteKeyName(id), priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(vkey, "+", 3)
	skey := "PRIVATE+KEY+" + parts[0] + "+" + parts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, s...))
	k, err := parseSiteKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	return k, skey
}

func makeVectors(t testing.TB) *Vectors {
	site, skey := siteKeyFromSeed(t, seed(0x5e), "0badcafe")
	user := ed25519.NewKeyFromSeed(seed(0x75))
	upub := user.Public().(ed25519.PublicKey)
	v := &Vectors{
		Comment:    "Test vectors of the Mileo Extract register, format v1 (see SPEC.md). Regenerate with go test ./register -run TestVectors -update.",
		SiteSeed:   hex.EncodeToString(seed(0x5e)),
		SiteSigner: skey,
		SiteVKey:   site.vkey,
		UserSeed:   hex.EncodeToString(seed(0x75)),
		UserPublic: base64.StdEncoding.EncodeToString(upub),
	}
	salt := bytes.Repeat([]byte{0xa5}, 16)
	pdata, _ := canonicalJSON(map[string]any{"requester": map[string]string{"name": "Léa Durand", "org": "Commissariat", "contact": "01 02 03 04 05"},
		"recipient": "Commissariat", "justification": "Vol à l'accueil."})
	v.Personal = VectorPersonal{Salt: hex.EncodeToString(salt), Data: string(pdata), Commit: PersonalCommit(salt, pdata)}
	box := bytes.Repeat([]byte{0x42}, 12+32+16)
	v.Credentials = VectorCredentials{Name: "o.martin",
		Password:  "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		KeyKDF:    "$argon2id$v=19$m=65536,t=3,p=4$a2V5c2FsdGtleXNhbHRrZXk",
		KeyBox:    hex.EncodeToString(box),
		PublicKey: v.UserPublic}
	v.Credentials.Commit = credentialsCommit(v.Credentials, box, upub)
	at := time.Date(2026, 1, 5, 8, 30, 0, 123456789, time.UTC)
	type step struct {
		sg   *Signer
		who  string
		body Body
	}
	usg := &Signer{actor: "o.martin", role: RoleOperator, fp: Fingerprint(upub), priv: user}
	mk := func(v any) json.RawMessage { b, _ := canonicalJSON(v); return b }
	steps := []step{
		{site.entrySigner(), "site", Body{Action: "register.init", Subject: "site",
			Data: mk(InitData{Site: "Entrepôt Sud", SiteID: site.id, SiteKey: site.vkey, Software: "1.0.0"})}},
		{site.entrySigner(), "site", Body{Action: "user.add", Subject: "user:o.martin",
			Data: mk(UserData{User: "o.martin", Role: RoleOperator, PublicKey: v.UserPublic, Fingerprint: Fingerprint(upub)})}},
		{usg, "user", Body{Action: "auth.login", Subject: "user:o.martin", Data: mk(map[string]string{"user": "o.martin"})}},
		{usg, "user", Body{Action: "case.new", Subject: "EXT-2026-0001",
			Data:     mk(map[string]any{"number": "EXT-2026-0001", "reason": "judicial", "cameras": []string{"cam1"}}),
			Personal: &PersonalRef{Commit: v.Personal.Commit, Until: FormatTime(at.AddDate(5, 0, 0))}}},
	}
	prev := make([]byte, 32)
	for i, st := range steps {
		b := st.body
		b.V, b.Time, b.Actor, b.Role, b.Signer = BodyVersion, FormatTime(at.Add(time.Duration(i)*time.Second)), st.sg.actor, st.sg.role, st.sg.fp
		raw, err := EncodeBody(&b)
		if err != nil {
			t.Fatal(err)
		}
		seq := int64(i + 1)
		h := EntryHash(seq, prev, raw)
		sig := ed25519.Sign(st.sg.priv, SigMessage(h))
		v.Entries = append(v.Entries, VectorEntry{Seq: seq, Prev: hex.EncodeToString(prev), Body: string(raw),
			Hash: hex.EncodeToString(h), Signer: st.who, Sig: hex.EncodeToString(sig)})
		prev = h
	}
	cp := &Checkpoint{Origin: checkpointOrigin + site.id, Size: int64(len(steps)), Hash: prev, Time: at.Add(time.Minute)}
	msg, err := signNote(cp, site)
	if err != nil {
		t.Fatal(err)
	}
	v.Checkpoint = string(msg)
	return v
}

// TestVectors checks the golden vectors of SPEC.md, then re-verifies them
// from their JSON alone, as an independent implementation would.
func TestVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	got := makeVectors(t)
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("%s differs from the code: the format changed (bump the version) or run with -update", path)
	}

	var v Vectors
	if err := json.Unmarshal(want, &v); err != nil {
		t.Fatal(err)
	}
	sitePub := ed25519.NewKeyFromSeed(mustHex(t, v.SiteSeed)).Public().(ed25519.PublicKey)
	userPub := ed25519.NewKeyFromSeed(mustHex(t, v.UserSeed)).Public().(ed25519.PublicKey)
	prev := make([]byte, 32)
	for _, e := range v.Entries {
		if !bytes.Equal(mustHex(t, e.Prev), prev) {
			t.Fatalf("entry %d: prev", e.Seq)
		}
		if _, err := DecodeBody([]byte(e.Body)); err != nil {
			t.Fatalf("entry %d: %v", e.Seq, err)
		}
		h := EntryHash(e.Seq, prev, []byte(e.Body))
		if hex.EncodeToString(h) != e.Hash {
			t.Fatalf("entry %d: hash", e.Seq)
		}
		pub := sitePub
		if e.Signer == "user" {
			pub = userPub
		}
		if !ed25519.Verify(pub, SigMessage(h), mustHex(t, e.Sig)) {
			t.Fatalf("entry %d: signature", e.Seq)
		}
		prev = h
	}
	if PersonalCommit(mustHex(t, v.Personal.Salt), []byte(v.Personal.Data)) != v.Personal.Commit {
		t.Fatal("personal commitment")
	}
	if credentialsCommit(v.Credentials, mustHex(t, v.Credentials.KeyBox), userPub) != v.Credentials.Commit {
		t.Fatal("credentials commitment")
	}
	cp, err := OpenCheckpoint([]byte(v.Checkpoint), v.SiteVKey)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Size != int64(len(v.Entries)) || !bytes.Equal(cp.Hash, prev) {
		t.Fatal("checkpoint does not cover the entries")
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
