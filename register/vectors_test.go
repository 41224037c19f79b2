package register

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/mod/sumdb/note"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// Vectors is testdata/vectors.json (SPEC.md §10): a small, complete and
// valid register — every row of every table, the site key and each
// person's keys and passwords — built from fixed seeds, so that anyone can
// load it, verify it and compute it again from SPEC.md alone. Package
// register/vectors loads it into a data folder and runs the program's own
// verify on it and on its broken variants.
type Vectors struct {
	Comment string `json:"comment"`
	// SiteVKey is the site verifier key, as printed on every sheet: the
	// --key of `register verify`.
	SiteVKey string         `json:"site_verifier_key"`
	Site     VectorSite     `json:"site"`
	People   []VectorPerson `json:"people"`
	// The rows of the tables of SPEC.md §1.1, in key order.
	Migrations  []VectorMigration   `json:"schema_migrations"`
	Entries     []VectorEntry       `json:"entries"`
	Personal    []VectorPersonal    `json:"personal"`
	Attachments []VectorAttachment  `json:"attachments"`
	Checkpoints []VectorCheckpoint  `json:"checkpoints"`
	Users       []VectorCredentials `json:"users"`
	// Checkpoint is the newest checkpoint note, as kept outside the data
	// folder (a witness: --checkpoint).
	Checkpoint string `json:"checkpoint_note"`
	// Credentials is one row of table users with its commitment, the
	// worked example of SPEC.md §3 (package account's tests read it).
	Credentials VectorCredentials `json:"credentials"`
}

// VectorSite is the site key (SPEC.md §3, §5).
type VectorSite struct {
	ID          string `json:"id"`
	Seed        string `json:"seed_hex"`
	SignerKey   string `json:"signer_key"` // the content of site.key
	Fingerprint string `json:"fingerprint"`
}

// VectorPerson is an account's secrets: what only its owner knows, given
// here so that the vectors can be checked to the last byte (and logged
// into).
type VectorPerson struct {
	Name     string      `json:"name"`
	Role     Role        `json:"role"`
	Password string      `json:"password"`                     // their own, chosen at their last first login: it opens their current key
	OneTime  []string    `json:"one_time_passwords,omitempty"` // those an administrator gave them, in order
	Keys     []VectorKey `json:"keys"`
}

// VectorKey is one of a person's signing keys and the entries between
// which it signs.
type VectorKey struct {
	Seed        string `json:"seed_hex"`
	PublicKey   string `json:"public_key_base64"`
	Fingerprint string `json:"fingerprint"`
	Password    string `json:"password"` // the password it was sealed under
	Published   int64  `json:"published"`
	Revoked     int64  `json:"revoked,omitempty"`
}

// VectorMigration is a row of schema_migrations.
type VectorMigration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Applied string `json:"applied"`
}

// VectorEntry is a row of table entries: body is the text of the BLOB
// (UTF-8), the other blobs are in hex.
type VectorEntry struct {
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

// VectorPersonal is a row of table personal; nil salt and data are NULL
// (erased).
type VectorPersonal struct {
	Seq   int64   `json:"seq"`
	Salt  *string `json:"salt_hex"`
	Data  *string `json:"data"`
	Until string  `json:"until"`
}

// VectorAttachment is a row of table attachments; nil data is NULL.
type VectorAttachment struct {
	SHA256 string  `json:"sha256_hex"`
	Seq    int64   `json:"seq"`
	Name   string  `json:"name"`
	Data   *string `json:"data_base64"`
	Until  string  `json:"until"`
}

// VectorCheckpoint is a row of table checkpoints.
type VectorCheckpoint struct {
	Size int64  `json:"size"`
	Hash string `json:"hash_hex"`
	Time string `json:"time"`
	Note string `json:"note"`
}

// VectorCredentials is a row of table users and its commitment (SPEC.md
// §3).
type VectorCredentials struct {
	Name      string `json:"name"`
	Password  string `json:"password"`
	KeyKDF    string `json:"key_kdf"`
	KeyBox    string `json:"key_box_hex"`
	PublicKey string `json:"public_key_base64"`
	Created   string `json:"created,omitempty"`
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

func seed(b byte) []byte { return bytes.Repeat([]byte{b}, ed25519.SeedSize) }

// det derives fixed bytes (salts, nonces, file contents) from a label.
func det(n int, label ...string) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("mileo-vectors/%d/%s", i, strings.Join(label, "/"))))
		out = append(out, h[:]...)
	}
	return out[:n]
}

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

// The vectors' passwords are hashed with cheap argon2id parameters, so
// that they are quick to check; the program writes m=65536,t=3,p=4. The
// parameters travel in each string.
const vectorKDF = "$argon2id$v=19$m=64,t=1,p=1"

func vectorArgon(password string, salt []byte) []byte {
	return argon2.IDKey([]byte(password), salt, 1, 64, 1, 32)
}

// vectorPHC is the PHC string of password (SPEC.md §3).
func vectorPHC(password string, salt []byte) string {
	return vectorKDF + "$" + base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(vectorArgon(password, salt))
}

// vectorSeal seals an Ed25519 seed under password (SPEC.md §3): key_kdf
// and key_box.
func vectorSeal(t testing.TB, name, password string, s, salt, nonce []byte) (string, []byte) {
	block, err := aes.NewCipher(vectorArgon(password, salt))
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	box := gcm.Seal(append([]byte{}, nonce...), nonce, s, []byte("mileo-register/v1/user-key\x00"+name))
	return vectorKDF + "$" + base64.RawStdEncoding.EncodeToString(salt), box
}

// vectorBuilder appends the entries of the vectors one by one, as the
// program would, with fixed times, keys, salts and nonces.
type vectorBuilder struct {
	t      testing.TB
	v      *Vectors
	site   *siteKey
	prev   []byte
	users  map[string]*VectorCredentials // table users as it stands
	people map[string]*VectorPerson
	keys   map[string]ed25519.PrivateKey // each person's current key
}

func (b *vectorBuilder) signer(name string) *Signer {
	if name == SystemActor {
		return b.site.entrySigner()
	}
	return NewSigner(name, b.people[name].Role, b.keys[name])
}

func mustCanonical(t testing.TB, v any) json.RawMessage {
	t.Helper()
	raw, err := canonicalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// add appends an entry signed by who ("system" for the site key) at time
// at; personal and attach, when given, are stored beside it. It returns
// the entry's number.
func (b *vectorBuilder) add(at, who, action, subject string, data, personal any, attach *Document) int64 {
	t := b.t
	t.Helper()
	sg := b.signer(who)
	now, err := ParseTime(at)
	if err != nil {
		t.Fatal(err)
	}
	seq := int64(len(b.v.Entries) + 1)
	body := Body{V: BodyVersion, Time: at, Actor: sg.actor, Role: sg.role, Action: action, Subject: subject, Signer: sg.fp}
	if data != nil {
		body.Data = mustCanonical(t, data)
	}
	until := FormatTime(now.AddDate(RetentionYears, 0, 0))
	if personal != nil {
		pdata := mustCanonical(t, personal)
		salt := det(16, "personal", fmt.Sprint(seq))
		body.Personal = &PersonalRef{Commit: PersonalCommit(salt, pdata), Until: until}
		s, d := hex.EncodeToString(salt), string(pdata)
		b.v.Personal = append(b.v.Personal, VectorPersonal{Seq: seq, Salt: &s, Data: &d, Until: until})
	}
	if attach != nil {
		d := base64.StdEncoding.EncodeToString(attach.Data)
		b.v.Attachments = append(b.v.Attachments, VectorAttachment{SHA256: hex.EncodeToString(attach.Sum[:]), Seq: seq,
			Name: attach.Name, Data: &d, Until: until})
	}
	raw, err := EncodeBody(&body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeBody(raw); err != nil {
		t.Fatalf("entry %d is not canonical: %v", seq, err)
	}
	h := EntryHash(seq, b.prev, raw)
	b.v.Entries = append(b.v.Entries, VectorEntry{Seq: seq, Time: at, Actor: sg.actor, Action: action, Subject: subject,
		Body: string(raw), Prev: hex.EncodeToString(b.prev), Hash: hex.EncodeToString(h),
		Sig: hex.EncodeToString(ed25519.Sign(sg.priv, SigMessage(h)))})
	b.prev = h
	return seq
}

// checkpoint signs a checkpoint of the register as it stands.
func (b *vectorBuilder) checkpoint(at string) {
	t := b.t
	tm, err := ParseTime(at)
	if err != nil {
		t.Fatal(err)
	}
	cp := &Checkpoint{Origin: checkpointOrigin + b.site.id, Size: int64(len(b.v.Entries)), Hash: b.prev, Time: tm}
	msg, err := signNote(cp, b.site)
	if err != nil {
		t.Fatal(err)
	}
	b.v.Checkpoints = append(b.v.Checkpoints, VectorCheckpoint{Size: cp.Size, Hash: hex.EncodeToString(cp.Hash), Time: at, Note: string(msg)})
	b.v.Checkpoint = string(msg)
}

// credentials stores name's row of table users and returns its
// commitment: with the key of seed s sealed under password, or, when s is
// nil, the one-time password's hash and no key.
func (b *vectorBuilder) credentials(at, name, password string, s []byte, n int) string {
	salt := det(16, "password", name, fmt.Sprint(n))
	row := &VectorCredentials{Name: name, Password: vectorPHC(password, salt), Created: at}
	var box, pub []byte
	if s != nil {
		var kdf string
		kdf, box = b.sealFor(name, password, s, n)
		pub = ed25519.NewKeyFromSeed(s).Public().(ed25519.PublicKey)
		row.KeyKDF, row.KeyBox, row.PublicKey = kdf, hex.EncodeToString(box), base64.StdEncoding.EncodeToString(pub)
	}
	row.Commit = credentialsCommit(*row, box, pub)
	if old := b.users[name]; old != nil {
		row.Created = old.Created // the row is updated, not created again
	}
	b.users[name] = row
	return row.Commit
}

func (b *vectorBuilder) sealFor(name, password string, s []byte, n int) (string, []byte) {
	return vectorSeal(b.t, name, password, s, det(16, "key-salt", name, fmt.Sprint(n)), det(12, "key-nonce", name, fmt.Sprint(n)))
}

// newKey makes name's key of seed s, sealed under password, for the next
// entry to publish.
func (b *vectorBuilder) newKey(name, password string, s []byte) UserData {
	priv := ed25519.NewKeyFromSeed(s)
	pub := priv.Public().(ed25519.PublicKey)
	p := b.people[name]
	if n := len(p.Keys); n > 0 && p.Keys[n-1].Revoked == 0 {
		b.t.Fatalf("%s already has a key", name)
	}
	p.Keys = append(p.Keys, VectorKey{Seed: hex.EncodeToString(s), PublicKey: base64.StdEncoding.EncodeToString(pub),
		Fingerprint: Fingerprint(pub), Password: password, Published: int64(len(b.v.Entries) + 1)})
	b.keys[name] = priv
	return UserData{User: name, PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: Fingerprint(pub)}
}

// The case of the vectors: a police request for two cameras, confirmed,
// authorized by the security manager, exported encrypted, handed over on
// a sealed USB key against a signed receipt, closed, and its export
// purged.
const (
	vecCase  = "EXT-2026-0001"
	vecOut   = "/srv/mileo/exports/EXT-2026-0001"
	vecSrc   = "folder NVR-Quai"
	vecZip   = "EXT-2026-0001.zip"
	vecBasis = "PROC-RGPD-001 §04 : 30 jours après la fin de l'usage légitime"
)

var vecRange = map[string]string{"start": "2026-01-04T21:00:00Z", "end": "2026-01-04T22:30:00Z"}

func makeVectors(t testing.TB) *Vectors {
	site, skey := siteKeyFromSeed(t, seed(0x5e), "0badcafe")
	v := &Vectors{
		Comment: "Test vectors of the Mileo Extract register, format v1: a complete, valid register (SPEC.md §10 says how to load it; " +
			"testdata/vectors-broken/ holds one broken variant per check). Regenerate with go test ./register -run TestVectors -update.",
		SiteVKey:   site.vkey,
		Site:       VectorSite{ID: site.id, Seed: hex.EncodeToString(seed(0x5e)), SignerKey: skey, Fingerprint: site.fingerprint()},
		Migrations: []VectorMigration{{Version: 1, Name: "0001_register.sql", Applied: "2026-01-05T08:29:59.000000000Z"}},
	}
	b := &vectorBuilder{t: t, v: v, site: site, prev: make([]byte, 32), users: map[string]*VectorCredentials{},
		keys: map[string]ed25519.PrivateKey{}, people: map[string]*VectorPerson{
			"a.durand":  {Name: "a.durand", Role: RoleAdmin, Password: "Admin-Entrepot-2026"},
			"s.bernard": {Name: "s.bernard", Role: RoleSecurityManager, Password: "Surete-Quai-3-Nord", OneTime: []string{"Kx7m-Qp2r-Wd9s-Lb4t"}},
			"o.martin":  {Name: "o.martin", Role: RoleOperator, Password: "Quai-Sud-Fevrier-26", OneTime: []string{"Zt3v-Hn8c-Jf6y-Pe2k", "Mq5w-Rg7x-Ua4b-Nc9h"}},
		}}
	for _, n := range []string{"a.durand", "s.bernard", "o.martin"} {
		v.People = append(v.People, *b.people[n]) // placeholders, filled at the end
	}
	user := func(name string) map[string]string { return map[string]string{"user": name} }

	// Entry 1 and the first administrator (entry 2), signed by the site key.
	b.add("2026-01-05T08:30:00.123456789Z", SystemActor, "register.init", "site",
		InitData{Site: "Entrepôt Sud", SiteID: site.id, SiteKey: site.vkey, Software: "1.0.0"}, nil, nil)
	admin := b.newKey("a.durand", "Admin-Entrepot-2026", seed(0xad))
	admin.Role, admin.Credentials = RoleAdmin, b.credentials("2026-01-05T08:30:00.124000000Z", "a.durand", "Admin-Entrepot-2026", seed(0xad), 0)
	b.add("2026-01-05T08:30:00.125000000Z", SystemActor, "user.add", UserSubject("a.durand"), admin, nil, nil)
	b.checkpoint("2026-01-05T08:30:00.130000000Z")

	// The administrator adds two accounts with one-time passwords.
	b.add("2026-01-05T08:31:12.000000000Z", "a.durand", "auth.login", UserSubject("a.durand"), user("a.durand"), nil, nil)
	b.add("2026-01-05T08:32:40.000000000Z", "a.durand", "user.add", UserSubject("s.bernard"), UserData{User: "s.bernard", Role: RoleSecurityManager,
		Credentials: b.credentials("2026-01-05T08:32:40.000000000Z", "s.bernard", "Kx7m-Qp2r-Wd9s-Lb4t", nil, 0)}, nil, nil)
	b.add("2026-01-05T08:33:05.000000000Z", "a.durand", "user.add", UserSubject("o.martin"), UserData{User: "o.martin", Role: RoleOperator,
		Credentials: b.credentials("2026-01-05T08:33:05.000000000Z", "o.martin", "Zt3v-Hn8c-Jf6y-Pe2k", nil, 0)}, nil, nil)

	// The operator's first login: their own password, their own key.
	k := b.newKey("o.martin", "Ronde-De-Nuit-22h", seed(0x01))
	k.Credentials = b.credentials("2026-01-05T09:02:17.000000000Z", "o.martin", "Ronde-De-Nuit-22h", seed(0x01), 1)
	b.add("2026-01-05T09:02:17.000000000Z", "o.martin", "user.key", UserSubject("o.martin"), k, nil, nil)

	// The request, its confirmation.
	b.add("2026-01-05T09:15:44.000000000Z", "o.martin", "case.new", vecCase,
		map[string]any{"number": vecCase, "reason": "police", "detail": "vol de marchandises sur le quai 3", "received": "2026-01-05T09:10:00Z",
			"range": vecRange, "cameras": []string{"cam-02", "cam-05"}},
		map[string]any{"requester": map[string]string{"name": "Léa Moreau", "org": "Commissariat de Villeurbanne", "contact": "04 72 00 00 00"},
			"recipient": "Commissariat de Villeurbanne", "justification": "Plainte n° 2026/000123 pour vol ; images utiles à l'enquête."}, nil)
	b.add("2026-01-05T09:21:03.000000000Z", "o.martin", "case.confirm", vecCase,
		map[string]any{"range": vecRange, "cameras": []string{"cam-02", "cam-05"}, "how": "téléphone"},
		map[string]string{"with": "Léa Moreau"}, nil)

	// The security manager mistypes, then logs in for the first time and
	// authorizes.
	b.add("2026-01-05T10:47:51.000000000Z", SystemActor, "auth.fail", UserSubject("s.bernard"),
		map[string]string{"user": "s.bernard", "reason": "bad_password"}, nil, nil)
	k = b.newKey("s.bernard", "Surete-Quai-3-Nord", seed(0x5b))
	k.Credentials = b.credentials("2026-01-05T10:48:09.000000000Z", "s.bernard", "Surete-Quai-3-Nord", seed(0x5b), 1)
	b.add("2026-01-05T10:48:09.000000000Z", "s.bernard", "user.key", UserSubject("s.bernard"), k, nil, nil)
	b.add("2026-01-05T10:52:30.000000000Z", "s.bernard", "case.authorize", vecCase,
		map[string]string{"basis": "authorization"}, map[string]string{"note": "Accord : deux caméras, 1 h 30."}, nil)

	// The export, encrypted, and its tracked copy.
	b.add("2026-01-06T07:58:02.000000000Z", "o.martin", "auth.login", UserSubject("o.martin"), user("o.martin"), nil, nil)
	b.add("2026-01-06T08:05:10.000000000Z", "o.martin", "case.export.start", vecCase,
		map[string]any{"out_dir": vecOut, "cameras": []string{"cam-02", "cam-05"}, "range": vecRange, "source": vecSrc,
			"encrypt": true, "anonymize": false, "copy": "CP-0001"}, nil, nil)
	b.add("2026-01-06T08:05:10.000500000Z", "o.martin", "copy.track", vecCase,
		map[string]any{"id": "CP-0001", "case": vecCase, "kind": "export", "location": vecOut, "deadline": "2026-02-05T08:05:10.0005Z", "basis": vecBasis}, nil, nil)
	zipSum := hex.EncodeToString(det(32, "archive"))
	b.add("2026-01-06T08:09:48.000000000Z", "o.martin", "case.export", vecCase,
		map[string]any{"files": []map[string]any{
			{"camera": "cam-02", "name": "EXT-2026-0001_cam-02.mp4", "size": 412316860, "sha256": hex.EncodeToString(det(32, "cam-02")), "codec": "h264", "duration_ms": 5400000, "reencoded": false, "anonymized": false},
			{"camera": "cam-05", "name": "EXT-2026-0001_cam-05.mp4", "size": 398458112, "sha256": hex.EncodeToString(det(32, "cam-05")), "codec": "h264", "duration_ms": 5400000, "reencoded": false, "anonymized": false}},
			"complete": true, "encrypted": true, "archive": vecZip, "out_dir": vecOut, "source": vecSrc, "copy": "CP-0001", "range": vecRange,
			"written": []map[string]any{{"name": vecZip, "sha256": zipSum, "size": 810775604}}}, nil, nil)
	b.add("2026-01-06T08:09:48.000400000Z", "o.martin", "case.encrypt", vecCase,
		map[string]any{"archive": vecZip, "sha256": zipSum, "size": 810775604, "cipher": "AES-256 (ZIP)", "password_stored": false}, nil, nil)

	// Handed over, the signed receipt attached, closed.
	b.add("2026-01-06T14:30:00.000000000Z", "o.martin", "case.deliver", vecCase,
		map[string]any{"support": "usb", "mode": "hand", "date": "2026-01-06T14:30:00Z", "file_channel": "hand", "password_channel": "phone",
			"nature": "Enregistrements de vidéoprotection, caméras cam-02, cam-05, du 04/01/2026 22:00:00 au 04/01/2026 23:30:00 CET", "seal": "SC-0042"},
		map[string]string{"recipient_name": "Léa Moreau", "recipient_id": "RIO 1234567", "recipient_org": "Commissariat de Villeurbanne"}, nil)
	receipt := []byte("%PDF-1.4\n% reçu de remise signé, EXT-2026-0001 (vecteur de test)\n%%EOF\n")
	doc := &Document{Name: "recu-EXT-2026-0001.pdf", Data: receipt, Sum: sha256.Sum256(receipt)}
	b.add("2026-01-06T14:35:12.000000000Z", "o.martin", "case.attach", vecCase,
		AttachData{Name: doc.Name, SHA256: hex.EncodeToString(doc.Sum[:]), Size: int64(len(receipt)), Kind: "receipt_scan"}, nil, doc)
	b.add("2026-01-06T14:36:00.000000000Z", "o.martin", "case.close", vecCase, map[string]string{"from": "delivered"}, map[string]string{}, nil)

	// A month later the operator has forgotten his password: the
	// administrator resets the account (revoking his key), he makes a new
	// key at his next first login and purges the export with it.
	b.add("2026-02-03T09:00:05.000000000Z", "a.durand", "auth.login", UserSubject("a.durand"), user("a.durand"), nil, nil)
	old := b.people["o.martin"].Keys[0].Fingerprint
	b.people["o.martin"].Keys[0].Revoked = int64(len(v.Entries) + 1)
	b.add("2026-02-03T09:01:30.000000000Z", "a.durand", "user.reset", UserSubject("o.martin"), UserData{User: "o.martin", Revoked: old,
		Credentials: b.credentials("2026-02-03T09:01:30.000000000Z", "o.martin", "Mq5w-Rg7x-Ua4b-Nc9h", nil, 2)}, nil, nil)
	k = b.newKey("o.martin", "Quai-Sud-Fevrier-26", seed(0x02))
	k.Credentials = b.credentials("2026-02-03T09:40:11.000000000Z", "o.martin", "Quai-Sud-Fevrier-26", seed(0x02), 3)
	b.add("2026-02-03T09:40:11.000000000Z", "o.martin", "user.key", UserSubject("o.martin"), k, nil, nil)
	b.add("2026-02-03T09:45:27.000000000Z", "o.martin", "copy.purge", vecCase,
		map[string]any{"copy": "CP-0001", "method": "overwrite-delete", "verified": true, "files": 1,
			"standard": "NIST SP 800-88 Rev. 1 — Clear (overwrite; DoD 5220.22-M equivalent)"}, nil, nil)
	b.add("2026-02-03T09:46:03.000000000Z", "o.martin", "case.print", vecCase, map[string]string{"document": "sheet", "format": "pdf"}, nil, nil)
	b.checkpoint("2026-02-03T09:46:03.500000000Z")

	for i := range v.People {
		v.People[i] = *b.people[v.People[i].Name]
	}
	for _, n := range []string{"a.durand", "o.martin", "s.bernard"} {
		v.Users = append(v.Users, *b.users[n])
	}
	v.Credentials = *b.users["s.bernard"]
	v.Credentials.Created = ""
	return v
}

// TestVectors checks that testdata/vectors.json and testdata/vectors.sql
// are what the code writes (-update rewrites them), then computes every
// hash, signature and commitment of the vectors again from SPEC.md's text
// alone, without this package's functions, as an independent verifier
// would (R-REG-2, R-KEY-1). Package register/vectors runs the program's
// verify on them.
func TestVectors(t *testing.T) {
	got := makeVectors(t)
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	sql := vectorsSQL(t, got)
	golden(t, filepath.Join("testdata", "vectors.json"), b)
	golden(t, filepath.Join("testdata", "vectors.sql"), sql)

	var v Vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	checkFromSpec(t, &v)
}

// golden compares got with the file at path, which -update rewrites.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the code: the format changed (bump the version) or run with -update", path)
	}
}

// checkFromSpec recomputes the vectors with the formulas of SPEC.md §2–§5
// written out here (SHA-256, Ed25519, the note format), not with the
// package's functions.
func checkFromSpec(t *testing.T, v *Vectors) {
	lpSpec := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = binary.BigEndian.AppendUint64(out, uint64(len(p)))
			out = append(out, p...)
		}
		return out
	}
	sha := func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }
	fingerprint := func(pub []byte) string { return hex.EncodeToString(sha(pub)[:16]) }

	// §5: the verifier key is name+hex(keyhash)+base64(0x01 ‖ key), with
	// keyhash the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key).
	sitePriv := ed25519.NewKeyFromSeed(mustHex(t, v.Site.Seed))
	sitePub := sitePriv.Public().(ed25519.PublicKey)
	name := "mileo-extract-" + v.Site.ID
	alg := append([]byte{1}, sitePub...)
	keyHash := sha(append([]byte(name+"\n"), alg...))[:4]
	if want := name + "+" + hex.EncodeToString(keyHash) + "+" + base64.StdEncoding.EncodeToString(alg); v.SiteVKey != want {
		t.Fatalf("site verifier key %s, SPEC.md gives %s", v.SiteVKey, want)
	}
	if want := "PRIVATE+KEY+" + name + "+" + hex.EncodeToString(keyHash) + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, mustHex(t, v.Site.Seed)...)); v.Site.SignerKey != want {
		t.Fatalf("site signer key %s, SPEC.md gives %s", v.Site.SignerKey, want)
	}
	if v.Site.Fingerprint != fingerprint(sitePub) {
		t.Fatal("site key fingerprint")
	}

	keys := map[string]ed25519.PublicKey{fingerprint(sitePub): sitePub}
	for _, p := range v.People {
		for _, k := range p.Keys {
			pub := ed25519.NewKeyFromSeed(mustHex(t, k.Seed)).Public().(ed25519.PublicKey)
			if base64.StdEncoding.EncodeToString(pub) != k.PublicKey || fingerprint(pub) != k.Fingerprint {
				t.Fatalf("key of %s published at %d", p.Name, k.Published)
			}
			keys[k.Fingerprint] = pub
		}
	}
	// §2.2, §2.3.
	prev := make([]byte, 32)
	for _, e := range v.Entries {
		if !bytes.Equal(mustHex(t, e.Prev), prev) {
			t.Fatalf("entry %d: prev", e.Seq)
		}
		h := sha(lpSpec([]byte("mileo-register/v1"), binary.BigEndian.AppendUint64(nil, uint64(e.Seq)), prev, []byte(e.Body)))
		if hex.EncodeToString(h) != e.Hash {
			t.Fatalf("entry %d: hash", e.Seq)
		}
		var body struct {
			Signer string `json:"signer"`
		}
		if err := json.Unmarshal([]byte(e.Body), &body); err != nil {
			t.Fatal(err)
		}
		if !ed25519.Verify(keys[body.Signer], lpSpec([]byte("mileo-register/v1/signature"), h), mustHex(t, e.Sig)) {
			t.Fatalf("entry %d: signature", e.Seq)
		}
		prev = h
	}
	// §4: personal data and attachments.
	for _, p := range v.Personal {
		var body struct {
			Personal struct{ Commit, Until string } `json:"personal"`
		}
		if err := json.Unmarshal([]byte(v.Entries[p.Seq-1].Body), &body); err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(sha(lpSpec([]byte("mileo-register/v1/personal"), mustHex(t, *p.Salt), []byte(*p.Data)))) != body.Personal.Commit || p.Until != body.Personal.Until {
			t.Fatalf("personal data of entry %d", p.Seq)
		}
	}
	for _, a := range v.Attachments {
		data, err := base64.StdEncoding.DecodeString(*a.Data)
		if err != nil || hex.EncodeToString(sha(data)) != a.SHA256 {
			t.Fatalf("attachment of entry %d", a.Seq)
		}
	}
	// §3: credentials, and each password opens the key the register
	// published.
	pubOf := map[string]string{}
	for _, p := range v.People {
		pubOf[p.Name] = p.Keys[len(p.Keys)-1].PublicKey
	}
	for _, u := range append([]VectorCredentials{v.Credentials}, v.Users...) {
		pub, _ := base64.StdEncoding.DecodeString(u.PublicKey)
		if c := hex.EncodeToString(sha(lpSpec([]byte("mileo-register/v1/credentials"), []byte(u.Name), []byte(u.Password), []byte(u.KeyKDF),
			mustHex(t, u.KeyBox), pub))); c != u.Commit {
			t.Fatalf("credentials of %s: %s, vector %s", u.Name, c, u.Commit)
		}
		if u.PublicKey != pubOf[u.Name] {
			t.Fatalf("table users: %s does not hold their current key", u.Name)
		}
	}
	for _, p := range v.People {
		var row VectorCredentials
		for _, u := range v.Users {
			if u.Name == p.Name {
				row = u
			}
		}
		phc := strings.Split(row.Password, "$")
		salt, _ := base64.RawStdEncoding.DecodeString(phc[4])
		if k := p.Keys[len(p.Keys)-1]; k.Password != p.Password {
			t.Fatalf("%s: their current key is not sealed under their password", p.Name)
		}
		if base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte(p.Password), salt, 1, 64, 1, 32)) != phc[5] {
			t.Fatalf("the password of %s does not match their row", p.Name)
		}
		kdf := strings.Split(row.KeyKDF, "$")
		ksalt, _ := base64.RawStdEncoding.DecodeString(kdf[4])
		block, _ := aes.NewCipher(argon2.IDKey([]byte(p.Password), ksalt, 1, 64, 1, 32))
		gcm, _ := cipher.NewGCM(block)
		box := mustHex(t, row.KeyBox)
		s, err := gcm.Open(nil, box[:12], box[12:], []byte("mileo-register/v1/user-key\x00"+p.Name))
		if err != nil || hex.EncodeToString(s) != p.Keys[len(p.Keys)-1].Seed {
			t.Fatalf("the sealed key of %s: %v", p.Name, err)
		}
	}
	// §5: each checkpoint note, signed by hand.
	for _, c := range v.Checkpoints {
		text := fmt.Sprintf("mileo-extract register %s\n%d\n%s\ntime %s\n", v.Site.ID, c.Size,
			base64.StdEncoding.EncodeToString(mustHex(t, v.Entries[c.Size-1].Hash)), c.Time)
		sig := ed25519.Sign(sitePriv, []byte(text))
		want := text + "\n— " + name + " " + base64.StdEncoding.EncodeToString(append(append([]byte{}, keyHash...), sig...)) + "\n"
		if c.Note != want || c.Hash != v.Entries[c.Size-1].Hash {
			t.Fatalf("checkpoint %d:\n%s\nSPEC.md gives\n%s", c.Size, c.Note, want)
		}
	}
	if v.Checkpoint != v.Checkpoints[len(v.Checkpoints)-1].Note {
		t.Fatal("checkpoint_note is not the newest checkpoint")
	}
}

// vectorsSQL is testdata/vectors.sql: the schema (the migrations, as
// SPEC.md §1.1 shows them) and every row of the vectors, for
// `sqlite3 DIR/register.db < vectors.sql`.
func vectorsSQL(t testing.TB, v *Vectors) []byte {
	var w bytes.Buffer
	w.WriteString("-- The test vectors of SPEC.md §10 (testdata/vectors.json) as SQL, written by TestVectors:\n")
	w.WriteString("--   mkdir d && sqlite3 d/register.db < vectors.sql && mileo-extract register verify --data d\n")
	w.WriteString("BEGIN;\n")
	w.WriteString(schemaMigrationsSQL + "\n")
	ms, err := migrations(sqliteMigrations)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		w.WriteString(m.sql)
	}
	text := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	blob := func(h string) string { return "X'" + h + "'" }
	null := func(s *string, f func(string) string) string {
		if s == nil {
			return "NULL"
		}
		return f(*s)
	}
	for _, m := range v.Migrations {
		fmt.Fprintf(&w, "INSERT INTO schema_migrations (version, name, applied) VALUES (%d, %s, %s);\n", m.Version, text(m.Name), text(m.Applied))
	}
	for _, e := range v.Entries {
		fmt.Fprintf(&w, "INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (%d, %s, %s, %s, %s,\n  CAST(%s AS BLOB),\n  %s, %s,\n  %s);\n",
			e.Seq, text(e.Time), text(e.Actor), text(e.Action), text(e.Subject), text(e.Body), blob(e.Prev), blob(e.Hash), blob(e.Sig))
	}
	for _, p := range v.Personal {
		fmt.Fprintf(&w, "INSERT INTO personal (seq, salt, data, until) VALUES (%d, %s, %s, %s);\n", p.Seq, null(p.Salt, blob),
			null(p.Data, func(s string) string { return "CAST(" + text(s) + " AS BLOB)" }), text(p.Until))
	}
	for _, a := range v.Attachments {
		fmt.Fprintf(&w, "INSERT INTO attachments (sha256, seq, name, data, until) VALUES (%s, %d, %s, %s, %s);\n", blob(a.SHA256), a.Seq, text(a.Name),
			null(a.Data, func(s string) string {
				b, err := base64.StdEncoding.DecodeString(s)
				if err != nil {
					t.Fatal(err)
				}
				return blob(hex.EncodeToString(b))
			}), text(a.Until))
	}
	for _, c := range v.Checkpoints {
		fmt.Fprintf(&w, "INSERT INTO checkpoints (size, hash, time, note) VALUES (%d, %s, %s, %s);\n", c.Size, blob(c.Hash), text(c.Time), text(c.Note))
	}
	for _, u := range v.Users {
		pub, err := base64.StdEncoding.DecodeString(u.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&w, "INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES (%s, %s, %s, %s, %s, %s);\n",
			text(u.Name), text(u.Password), text(u.KeyKDF), blob(u.KeyBox), blob(hex.EncodeToString(pub)), text(u.Created))
	}
	w.WriteString("COMMIT;\n")
	return w.Bytes()
}

// schemaMigrationsSQL is the table of applied migrations, created by
// [Store.migrate] before the first migration (SPEC.md §1.1).
const schemaMigrationsSQL = `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL) STRICT;`

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
