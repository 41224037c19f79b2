package vectors

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"mileo.tech/extract/register"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors-broken")

// brokenDir holds the broken variants, one file each.
var brokenDir = filepath.Join(testdata, "vectors-broken")

// variant is a broken variant of the vectors: one change that breaks one
// property verify promises (SPEC.md §7), and the entry verify must name.
type variant struct {
	name   string
	why    string // the property broken
	change string // what was changed, in one line
	entry  int64
	kind   error // register.ErrTampered or register.ErrTruncated
	reason string
	derive func(t *testing.T, v *vectors, k keyring)
}

// R-REG-2, R-KEY-1: each property the register's verify promises (SPEC.md
// §7) has a broken variant of the test vectors, derived from them by one
// documented change — re-signed with the keys of the vectors where the
// change is one a holder of keys would make, so that nothing else is
// wrong — and the program's verify rejects each one, naming the entry
// concerned, with the right kind of error. The variants are kept in
// testdata/vectors-broken (-update rewrites them) for other verifiers.
func TestVectorsBroken(t *testing.T) {
	files := map[string]bool{}
	if ents, err := os.ReadDir(brokenDir); err == nil {
		for _, e := range ents {
			files[e.Name()] = true
		}
	}
	if *update {
		if err := os.MkdirAll(brokenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range variants {
		t.Run(tc.name, func(t *testing.T) {
			v := readVectors(t, "vectors.json")
			k := keyringOf(t, v)
			tc.derive(t, v, k)
			kind := "tampered"
			if tc.kind == register.ErrTruncated {
				kind = "truncated"
			}
			// What an outsider needs: the rows, the site verifier key and
			// what to expect; not the secrets.
			v.Comment = "A broken variant of vectors.json (SPEC.md §10): verify must reject it at the entry expected. Written by go test ./register/vectors -update."
			v.Why, v.Change, v.Expect = tc.why, tc.change, &expect{Entry: tc.entry, Kind: kind, Reason: tc.reason}
			v.Site, v.People, v.Checkpoint, v.Credentials = nil, nil, "", nil
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, '\n')
			path := filepath.Join(brokenDir, tc.name+".json")
			delete(files, tc.name+".json")
			if *update {
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(b, want) {
				t.Fatalf("%s differs from its derivation (run with -update): %v", path, err)
			}

			dir := t.TempDir()
			load(t, readVectors(t, filepath.Join("vectors-broken", tc.name+".json")), dir)
			rep, err := verify(t, v, dir)
			var ve *register.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("verify accepts %s (%s): %v", tc.name, tc.change, err)
			}
			if ve.Seq != tc.entry || !errors.Is(err, tc.kind) || (tc.kind != register.ErrTruncated && errors.Is(err, register.ErrTruncated)) {
				t.Fatalf("verify names entry %d (%v), want entry %d (%v): %v", ve.Seq, ve.Kind, tc.entry, tc.kind, rep.Problems)
			}
			t.Logf("%s: %v", tc.change, rep.Problems)
			found := false
			for _, p := range rep.Problems {
				found = found || (p.Seq == tc.entry && strings.Contains(p.Msg, tc.reason))
			}
			if !found {
				t.Fatalf("no problem at entry %d says %q: %v", tc.entry, tc.reason, rep.Problems)
			}
		})
	}
	if len(files) > 0 && !t.Failed() {
		t.Errorf("%s holds files no variant writes: %v", brokenDir, files)
	}
}

var variants = []variant{
	// Order and numbering (§2, §7).
	{name: "numbering-gap", why: "entries are numbered 1, 2, 3… without gap", change: "entry 12 deleted",
		entry: 12, kind: register.ErrTampered, reason: "missing (deleted)",
		derive: func(t *testing.T, v *vectors, k keyring) { v.remove(12) }},
	{name: "reordered", why: "entries keep their place", change: "entries 15 and 16 exchanged, each with its bytes, taking the other's number",
		entry: 15, kind: register.ErrTampered, reason: "not chained",
		derive: func(t *testing.T, v *vectors, k keyring) {
			a, b := v.Entries[14], v.Entries[15]
			a.Seq, b.Seq = 16, 15
			v.Entries[14], v.Entries[15] = b, a
		}},
	// The chain (§2.2).
	{name: "prev-relinked", why: "prev is the previous entry's hash", change: "entry 12's prev set to entry 10's hash, then hashed and signed again by its signer",
		entry: 12, kind: register.ErrTampered, reason: "not chained to entry 11",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.Entries[11].Prev = v.Entries[9].Hash
			k.seal(t, v, 12)
		}},
	{name: "body-edited", why: "the stored body hashes to the stored hash", change: `entry 7's body: camera "cam-05" changed to "cam-06"`,
		entry: 7, kind: register.ErrTampered, reason: "does not match its hash",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.Entries[6].Body = strings.Replace(v.Entries[6].Body, "cam-05", "cam-06", 1)
		}},
	// Canonical bodies (§2.1).
	{name: "body-space", why: "a body has no insignificant white space", change: `entry 12's body written with a space after "actor":, then hashed and signed again`,
		entry: 12, kind: register.ErrTampered, reason: "canonical",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.Entries[11].Body = strings.Replace(v.Entries[11].Body, `"actor":`, `"actor": `, 1)
			k.rechain(t, v, 12, true)
		}},
	{name: "body-escape", why: "strings are escaped as SPEC.md §2.1 says, no more", change: `entry 8's "téléphone" written "t\u00e9l\u00e9phone", then hashed and signed again`,
		entry: 8, kind: register.ErrTampered, reason: "canonical",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.Entries[7].Body = strings.Replace(v.Entries[7].Body, "téléphone", `t\u00e9l\u00e9phone`, 1)
			k.rechain(t, v, 8, true)
		}},
	{name: "indexed-column", why: "the columns time, actor, action and subject copy the body", change: "entry 11's actor column set to a.durand",
		entry: 11, kind: register.ErrTampered, reason: "indexed columns",
		derive: func(t *testing.T, v *vectors, k keyring) { v.Entries[10].Actor = "a.durand" }},
	// Signatures and keys (§2.3, §3).
	{name: "signature", why: "each entry is signed by the key its body names", change: "entry 11's signature: first byte changed",
		entry: 11, kind: register.ErrTampered, reason: "bad signature",
		derive: func(t *testing.T, v *vectors, k keyring) {
			sig := mustHex(t, v.Entries[10].Sig)
			sig[0] ^= 1
			v.Entries[10].Sig = hex.EncodeToString(sig)
		}},
	{name: "unknown-key", why: "the signer's key was published in the register (R-KEY-1)", change: "entry 11 signed by a key the register never published (seed 99…99), as s.bernard",
		entry: 11, kind: register.ErrTampered, reason: "unknown key",
		derive: func(t *testing.T, v *vectors, k keyring) {
			stranger := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x99}, 32))
			k.signAs(t, v, 11, "s.bernard", register.RoleSecurityManager, k.add(stranger))
		}},
	{name: "role", why: "the signer's role may take the action", change: "entry 11 (case.authorize) signed by o.martin, an operator, with his key",
		entry: 11, kind: register.ErrTampered, reason: "may not authorize",
		derive: func(t *testing.T, v *vectors, k keyring) {
			k.signAs(t, v, 11, "o.martin", register.RoleOperator, v.key(t, "o.martin", 0))
		}},
	{name: "revoked-key", why: "a key signs until the entry that revokes it (R-KEY-1)", change: "entry 23 signed by o.martin's first key, which entry 21 revoked",
		entry: 23, kind: register.ErrTampered, reason: "revoked at entry 21",
		derive: func(t *testing.T, v *vectors, k keyring) {
			k.signAs(t, v, 23, "o.martin", register.RoleOperator, v.key(t, "o.martin", 0))
		}},
	{name: "second-key", why: "a user.key only for an account awaiting its key (R-KEY-1)", change: "a second user.key of o.martin, with a new key (seed 03…03), inserted after entry 6",
		entry: 7, kind: register.ErrTampered, reason: "second key for o.martin",
		derive: func(t *testing.T, v *vectors, k keyring) {
			priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x03}, 32))
			pub := priv.Public().(ed25519.PublicKey)
			e := v.Entries[5]
			e.Seq = 0 // numbered by renumber
			v.Entries = append(v.Entries[:6], append([]entry{e}, v.Entries[6:]...)...)
			v.edit(t, 7, func(b *register.Body, d map[string]any) {
				b.Time = "2026-01-05T09:03:00.000000000Z"
				d["public_key"], d["fingerprint"] = base64.StdEncoding.EncodeToString(pub), k.add(priv)
				b.Signer = register.Fingerprint(pub)
			})
			v.renumber()
			k.rechain(t, v, 7, true)
		}},
	// The site key (§3).
	{name: "site-key-authorize", why: "the site key never signs a person's act", change: "entry 11 (case.authorize) signed by the site key, as system",
		entry: 11, kind: register.ErrTampered, reason: "signed by the site key",
		derive: func(t *testing.T, v *vectors, k keyring) {
			k.signAs(t, v, 11, register.SystemActor, register.RoleSystem, k.site)
		}},
	{name: "site-key-purge", why: "the site key purges only the working folders of crashed jobs", change: "entry 23 (copy.purge of the export CP-0001) signed by the site key, as system",
		entry: 23, kind: register.ErrTampered, reason: "site key signed the purge of copy CP-0001",
		derive: func(t *testing.T, v *vectors, k keyring) {
			k.signAs(t, v, 23, register.SystemActor, register.RoleSystem, k.site)
		}},
	{name: "site-key-user-add", why: "the site key adds only the first administrator, entry 2", change: "entry 4 (user.add of s.bernard) signed by the site key, as system",
		entry: 4, kind: register.ErrTampered, reason: "only the first administrator",
		derive: func(t *testing.T, v *vectors, k keyring) {
			k.signAs(t, v, 4, register.SystemActor, register.RoleSystem, k.site)
		}},
	// The procedure of each case (§7).
	{name: "authorize-before-confirm", why: "a case is confirmed before it is authorized", change: "entry 8 (case.confirm) moved after entry 11 (case.authorize), the chain rebuilt",
		entry: 10, kind: register.ErrTampered, reason: "authorized before range and cameras were confirmed",
		derive: func(t *testing.T, v *vectors, k keyring) {
			confirm := v.Entries[7]
			v.Entries = append(v.Entries[:7], append(append([]entry{}, v.Entries[8:11]...), append([]entry{confirm}, v.Entries[11:]...)...)...)
			v.renumber()
			k.rechain(t, v, 8, true)
		}},
	{name: "export-unauthorized", why: "no export starts without an authorization or a declared emergency", change: "entry 11 (case.authorize) deleted, the chain rebuilt",
		entry: 12, kind: register.ErrTampered, reason: "without authorization nor emergency",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.remove(11)
			v.renumber()
			k.rechain(t, v, 11, true)
		}},
	// Personal data and attachments (§4).
	{name: "personal-edited", why: "personal data match their commitment", change: `the personal data of entry 7: "Léa Moreau" changed to "Léo Moreau"`,
		entry: 7, kind: register.ErrTampered, reason: "do not match their commitment",
		derive: func(t *testing.T, v *vectors, k keyring) {
			p := v.personalOf(t, 7)
			d := strings.Replace(*p.Data, "Léa Moreau", "Léo Moreau", 1)
			p.Data = &d
		}},
	{name: "personal-erased", why: "personal data are erased only by a personal.erase entry after their retention", change: "the personal data of entry 17 set to NULL (salt and data)",
		entry: 17, kind: register.ErrTampered, reason: "erased without a personal.erase entry",
		derive: func(t *testing.T, v *vectors, k keyring) {
			p := v.personalOf(t, 17)
			p.Salt, p.Data = nil, nil
		}},
	{name: "attachment-edited", why: "an attachment matches the SHA-256 its entry names", change: "the attachment of entry 18: its first byte changed",
		entry: 18, kind: register.ErrTampered, reason: "was edited",
		derive: func(t *testing.T, v *vectors, k keyring) {
			data, err := base64.StdEncoding.DecodeString(*v.Attachments[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			data[0] ^= 1
			s := base64.StdEncoding.EncodeToString(data)
			v.Attachments[0].Data = &s
		}},
	{name: "attachment-until", why: "an attachment is kept until its entry's time plus 5 years", change: "the until of entry 18's attachment moved 5 years earlier, to the entry's time",
		entry: 18, kind: register.ErrTampered, reason: "retention date of attachment",
		derive: func(t *testing.T, v *vectors, k keyring) { v.Attachments[0].Until = v.Entries[17].Time }},
	// Table users (§3, R-KEY-1).
	{name: "users-row-edited", why: "table users matches the credentials the register committed to (R-KEY-1)", change: "s.bernard's password hash in table users replaced by a.durand's",
		entry: 10, kind: register.ErrTampered, reason: "credentials of s.bernard",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.user(t, "s.bernard").Password = v.user(t, "a.durand").Password
		}},
	// Checkpoints (§5).
	{name: "checkpoint-mismatch", why: "each checkpoint matches the entry of its size", change: `entry 15's "complete" set to false and the chain after it rebuilt with every key; checkpoint 24 kept`,
		entry: 24, kind: register.ErrTampered, reason: "differs from",
		derive: func(t *testing.T, v *vectors, k keyring) {
			v.edit(t, 15, func(b *register.Body, d map[string]any) { d["complete"] = false })
			k.rechain(t, v, 15, false)
		}},
	{name: "checkpoint-signature", why: "each checkpoint is signed by the site key of entry 1", change: "checkpoint 24's signature: one character changed",
		entry: 24, kind: register.ErrTampered, reason: "does not verify with the site key",
		derive: func(t *testing.T, v *vectors, k keyring) {
			c := &v.Checkpoints[len(v.Checkpoints)-1]
			i := len(c.Note) - 10
			ch := byte('A')
			if c.Note[i] == 'A' {
				ch = 'B'
			}
			c.Note = c.Note[:i] + string(ch) + c.Note[i+1:]
		}},
	{name: "truncated", why: "a checkpoint larger than the register proves truncation", change: "entries 23 and 24 deleted; checkpoint 24 kept",
		entry: 23, kind: register.ErrTruncated, reason: "truncated after entry 22",
		derive: func(t *testing.T, v *vectors, k keyring) { v.remove(24); v.remove(23) }},
}

// keyring holds the private keys of the vectors, by fingerprint, to sign
// a changed entry again as its signer (or anyone holding keys) would.
type keyring struct {
	keys   map[string]ed25519.PrivateKey
	site   ed25519.PrivateKey
	signer note.Signer
	origin string
}

func keyringOf(t *testing.T, v *vectors) keyring {
	k := keyring{keys: map[string]ed25519.PrivateKey{}, origin: "mileo-extract register " + v.Site.ID}
	k.site = ed25519.NewKeyFromSeed(mustHex(t, v.Site.Seed))
	k.add(k.site)
	for _, p := range v.People {
		for _, pk := range p.Keys {
			k.add(ed25519.NewKeyFromSeed(mustHex(t, pk.Seed)))
		}
	}
	var err error
	if k.signer, err = note.NewSigner(v.Site.SignerKey); err != nil {
		t.Fatal(err)
	}
	return k
}

// add keeps priv and returns its fingerprint.
func (k keyring) add(priv ed25519.PrivateKey) string {
	fp := register.Fingerprint(priv.Public().(ed25519.PublicKey))
	k.keys[fp] = priv
	return fp
}

// seal hashes entry seq (1-based) over its prev and signs it with the key
// its body names.
func (k keyring) seal(t *testing.T, v *vectors, seq int64) {
	t.Helper()
	e := &v.Entries[seq-1]
	var body struct {
		Signer string `json:"signer"`
	}
	if err := json.Unmarshal([]byte(e.Body), &body); err != nil {
		t.Fatal(err)
	}
	priv := k.keys[body.Signer]
	if priv == nil {
		t.Fatalf("entry %d: no key %s", seq, body.Signer)
	}
	h := register.EntryHash(e.Seq, mustHex(t, e.Prev), []byte(e.Body))
	e.Hash, e.Sig = hex.EncodeToString(h), hex.EncodeToString(ed25519.Sign(priv, register.SigMessage(h)))
}

// rechain links, hashes and signs again the entries from seq on, as
// someone holding every key would; with checkpoints, it also signs again
// the checkpoints that cover them.
func (k keyring) rechain(t *testing.T, v *vectors, seq int64, checkpoints bool) {
	t.Helper()
	for i := seq - 1; i < int64(len(v.Entries)); i++ {
		prev := strings.Repeat("0", 64)
		if i > 0 {
			prev = v.Entries[i-1].Hash
		}
		v.Entries[i].Prev = prev
		k.seal(t, v, i+1)
	}
	if !checkpoints {
		return
	}
	for i := range v.Checkpoints {
		c := &v.Checkpoints[i]
		if c.Size < seq || c.Size > int64(len(v.Entries)) {
			continue
		}
		tm, err := register.ParseTime(c.Time)
		if err != nil {
			t.Fatal(err)
		}
		h := mustHex(t, v.Entries[c.Size-1].Hash)
		text := (&register.Checkpoint{Origin: k.origin, Size: c.Size, Hash: h, Time: tm}).Text()
		n, err := note.Sign(&note.Note{Text: text}, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		c.Hash, c.Note = hex.EncodeToString(h), string(n)
	}
}

// signAs makes entry seq the act of actor in role signed with the key of
// fingerprint fp, and rebuilds the chain from it.
func (k keyring) signAs(t *testing.T, v *vectors, seq int64, actor string, role register.Role, fp any) {
	t.Helper()
	var f string
	switch x := fp.(type) {
	case string:
		f = x
	case ed25519.PrivateKey:
		f = k.add(x)
	}
	v.edit(t, seq, func(b *register.Body, _ map[string]any) { b.Actor, b.Role, b.Signer = actor, role, f })
	k.rechain(t, v, seq, true)
}

// key returns the n-th key of a person of the vectors.
func (v *vectors) key(t *testing.T, name string, n int) ed25519.PrivateKey {
	for _, p := range v.People {
		if p.Name == name {
			return ed25519.NewKeyFromSeed(mustHex(t, p.Keys[n].Seed))
		}
	}
	t.Fatalf("no %s in the vectors", name)
	return nil
}

// edit decodes entry seq's body, lets fn change it and its data, and
// encodes it again canonically with its indexed columns. It neither
// hashes nor signs it.
func (v *vectors) edit(t *testing.T, seq int64, fn func(b *register.Body, data map[string]any)) {
	t.Helper()
	e := &v.Entries[seq-1]
	b, err := register.DecodeBody([]byte(e.Body))
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{}
	if len(b.Data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(b.Data))
		dec.UseNumber()
		if err := dec.Decode(&data); err != nil {
			t.Fatal(err)
		}
	}
	fn(b, data)
	if b.Data, err = canonical(data); err != nil {
		t.Fatal(err)
	}
	raw, err := register.EncodeBody(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := register.DecodeBody(raw); err != nil {
		t.Fatalf("entry %d edited: %v", seq, err)
	}
	e.Body, e.Time, e.Actor, e.Action, e.Subject = string(raw), b.Time, b.Actor, b.Action, b.Subject
}

// canonical encodes a JSON object as SPEC.md §2.1 says: keys sorted, no
// space, no HTML escaping.
func canonical(v map[string]any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// remove deletes entry seq with its personal data and attachment,
// without renumbering the others.
func (v *vectors) remove(seq int64) {
	keep := v.Entries[:0]
	for _, e := range v.Entries {
		if e.Seq != seq {
			keep = append(keep, e)
		}
	}
	v.Entries = keep
	ps := v.Personal[:0]
	for _, p := range v.Personal {
		if p.Seq != seq {
			ps = append(ps, p)
		}
	}
	v.Personal = ps
	as := v.Attachments[:0]
	for _, a := range v.Attachments {
		if a.Seq != seq {
			as = append(as, a)
		}
	}
	v.Attachments = as
}

// renumber numbers the entries 1, 2, 3… in their order, their personal
// data and attachments with them (an inserted entry has number 0).
func (v *vectors) renumber() {
	moved := map[int64]int64{}
	for i := range v.Entries {
		if v.Entries[i].Seq != 0 {
			moved[v.Entries[i].Seq] = int64(i + 1)
		}
		v.Entries[i].Seq = int64(i + 1)
	}
	for i := range v.Personal {
		v.Personal[i].Seq = moved[v.Personal[i].Seq]
	}
	sort.Slice(v.Personal, func(i, j int) bool { return v.Personal[i].Seq < v.Personal[j].Seq })
	for i := range v.Attachments {
		v.Attachments[i].Seq = moved[v.Attachments[i].Seq]
	}
}

func (v *vectors) personalOf(t *testing.T, seq int64) *personal {
	for i := range v.Personal {
		if v.Personal[i].Seq == seq {
			return &v.Personal[i]
		}
	}
	t.Fatalf("entry %d has no personal data", seq)
	return nil
}

func (v *vectors) user(t *testing.T, name string) *credentials {
	for i := range v.Users {
		if v.Users[i].Name == name {
			return &v.Users[i]
		}
	}
	t.Fatalf("no row of %s in table users", name)
	return nil
}
