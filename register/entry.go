package register

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"mileo.tech/extract/internal/i18n"
	"strings"
	"time"
	"unicode/utf8"
)

// Version tags, part of every hash and signature (see SPEC.md).
const (
	hashTag     = "mileo-register/v1"
	sigTag      = "mileo-register/v1/signature"
	personalTag = "mileo-register/v1/personal"
	// BodyVersion is the "v" field of every entry body.
	BodyVersion = 1
)

// Role is what a user may do (REQUIREMENTS "Who uses it").
type Role string

// The roles. RoleSystem signs the entries nobody is logged in for (failed
// logins, start-up sweeps, overdue purges) with the site key.
const (
	RoleOperator        Role = "operator"
	RoleSecurityManager Role = "security_manager"
	RoleDelegate        Role = "delegate"
	RoleDPO             Role = "dpo"
	RoleAdmin           Role = "admin"
	RoleSystem          Role = "system"
)

// Roles lists the roles a user account can have.
var Roles = []Role{RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO, RoleAdmin}

// Title is the French title of the role, as printed.
func (r Role) Title() string {
	if c := i18n.New("fr"); c.Has("title.role." + string(r)) {
		return c.T("title.role." + string(r))
	}
	return string(r)
}

// ParseRole accepts a role name ("operator", "security_manager" or "rs",
// "delegate", "dpo", "admin").
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "operator", "operateur", "opérateur":
		return RoleOperator, nil
	case "security_manager", "security-manager", "rs":
		return RoleSecurityManager, nil
	case "delegate", "delegue", "délégué":
		return RoleDelegate, nil
	case "dpo":
		return RoleDPO, nil
	case "admin", "administrator":
		return RoleAdmin, nil
	}
	return "", errorf(ErrInvalid, "err.role.unknown_role_operator", "Value", s)
}

// SystemActor is the actor name of entries signed by the site key.
const SystemActor = "system"

// Body is the canonical content of an entry: the bytes stored in the
// entries.body column, hashed and signed. Keys appear in this order; Data
// is a JSON object with sorted keys.
type Body struct {
	V        int             `json:"v"`
	Time     string          `json:"time"` // UTC, fixed width: 2006-01-02T15:04:05.000000000Z
	Actor    string          `json:"actor"`
	Role     Role            `json:"role"`
	Action   string          `json:"action"`
	Subject  string          `json:"subject,omitempty"`
	Signer   string          `json:"signer"` // key fingerprint
	Data     json.RawMessage `json:"data,omitempty"`
	Personal *PersonalRef    `json:"personal,omitempty"`
}

// PersonalRef commits to personal data kept outside the chain (R-REG-4).
type PersonalRef struct {
	Commit string `json:"commit"` // hex SHA-256 over tag, salt and data
	Until  string `json:"until"`  // end of retention, same layout as Body.Time
}

// Entry is one register entry as stored.
type Entry struct {
	Seq  int64
	Time time.Time
	Body
	Raw  []byte // the stored body bytes
	Prev []byte
	Hash []byte
	Sig  []byte
}

// HashHex is the entry hash in hex.
func (e *Entry) HashHex() string { return hex.EncodeToString(e.Hash) }

// Decode unmarshals the entry's data into v.
func (e *Entry) Decode(v any) error {
	if len(e.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("entry %d (%s): %w", e.Seq, e.Action, err)
	}
	return nil
}

// lp appends the 8-byte big-endian length of b then b.
func lp(dst, b []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(len(b)))
	return append(dst, b...)
}

// EntryHash is the hash of entry seq chained to prev, over the stored body
// bytes: SHA-256(lp(tag) ‖ lp(be64(seq)) ‖ lp(prev) ‖ lp(body)).
func EntryHash(seq int64, prev, body []byte) []byte {
	buf := make([]byte, 0, 8*4+len(hashTag)+8+len(prev)+len(body))
	buf = lp(buf, []byte(hashTag))
	buf = lp(buf, binary.BigEndian.AppendUint64(nil, uint64(seq)))
	buf = lp(buf, prev)
	buf = lp(buf, body)
	h := sha256.Sum256(buf)
	return h[:]
}

// entryHasher computes [EntryHash] without allocating, for verify.
type entryHasher struct {
	h   hash.Hash
	buf [8]byte
}

func (x *entryHasher) lp(b []byte) {
	binary.BigEndian.PutUint64(x.buf[:], uint64(len(b)))
	x.h.Write(x.buf[:])
	x.h.Write(b)
}

// sum writes the hash of entry seq into dst and returns it.
func (x *entryHasher) sum(dst *[sha256.Size]byte, seq int64, prev, body []byte) []byte {
	if x.h == nil {
		x.h = sha256.New()
	}
	x.h.Reset()
	x.lp([]byte(hashTag))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	x.lp(n[:])
	x.lp(prev)
	x.lp(body)
	return x.h.Sum(dst[:0])
}

// SigMessage is what the actor's key signs: lp(sigTag) ‖ lp(hash).
func SigMessage(hash []byte) []byte {
	return appendSigMessage(make([]byte, 0, 16+len(sigTag)+len(hash)), hash)
}

// sigMessageSize is the length of the signed message of a 32-byte hash.
const sigMessageSize = 16 + len(sigTag) + sha256.Size

func appendSigMessage(dst, hash []byte) []byte {
	dst = lp(dst, []byte(sigTag))
	return lp(dst, hash)
}

// PersonalCommit is the salted commitment to personal data.
func PersonalCommit(salt, data []byte) string {
	buf := lp(nil, []byte(personalTag))
	buf = lp(buf, salt)
	buf = lp(buf, data)
	h := sha256.Sum256(buf)
	return hex.EncodeToString(h[:])
}

// Fingerprint names an Ed25519 public key: the first 16 bytes of its
// SHA-256, in hex.
func Fingerprint(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:16])
}

// FormatFingerprint groups a fingerprint by 4 for printing.
func FormatFingerprint(fp string) string {
	var b strings.Builder
	for i := 0; i < len(fp); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fp[i:min(i+4, len(fp))])
	}
	return b.String()
}

// canonicalJSON marshals v as a JSON value with sorted object keys, no
// insignificant space and no HTML escaping.
func canonicalJSON(v any) ([]byte, error) {
	raw, err := marshalNoHTML(v)
	if err != nil {
		return nil, err
	}
	return canonicalize(raw)
}

func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// canonicalize re-encodes a JSON text through a generic value: maps come out
// with sorted keys, numbers as written.
func canonicalize(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return marshalNoHTML(v)
}

// EncodeBody returns the canonical bytes of b. Data must already be
// canonical (see canonicalJSON).
func EncodeBody(b *Body) ([]byte, error) {
	return marshalNoHTML(b)
}

// maxBody bounds an entry body; larger data go to attachments.
const maxBody = 1 << 20

// DecodeBody parses stored body bytes and checks that they are canonical:
// valid UTF-8, known keys only, every field well formed, and re-encoding
// gives the same bytes. It is the decoder of register rows read from disk.
// The returned Data may share memory with raw.
func DecodeBody(raw []byte) (*Body, error) {
	var b Body
	if scanBody(raw, &b) {
		return &b, nil
	}
	return decodeBodyJSON(raw)
}

// decodeBodyJSON is the reference decoder: encoding/json, then a
// re-encoding compared with raw. [scanBody] must agree with it.
func decodeBodyJSON(raw []byte) (*Body, error) {
	if len(raw) > maxBody {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrBody, len(raw), maxBody)
	}
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrBody)
	}
	var b Body
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBody, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data", ErrBody)
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	if len(b.Data) > 0 {
		c, err := canonicalize(b.Data)
		if err != nil || !bytes.Equal(c, b.Data) {
			return nil, fmt.Errorf("%w: data is not canonical JSON", ErrBody)
		}
	}
	again, err := EncodeBody(&b)
	if err != nil || !bytes.Equal(again, raw) {
		return nil, fmt.Errorf("%w: not in canonical form", ErrBody)
	}
	return &b, nil
}

func (b *Body) check() error {
	if b.V != BodyVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBody, b.V, BodyVersion)
	}
	if _, err := ParseTime(b.Time); err != nil || len(b.Time) != len(timeLayout) {
		return fmt.Errorf("%w: time %q", ErrBody, b.Time)
	}
	if b.Actor == "" || b.Action == "" || b.Role == "" {
		return fmt.Errorf("%w: actor, role and action are required", ErrBody)
	}
	if !isLowerHex(b.Signer, 32) {
		return fmt.Errorf("%w: signer %q is not a key fingerprint", ErrBody, b.Signer)
	}
	if len(b.Data) > 0 && b.Data[0] != '{' {
		return fmt.Errorf("%w: data must be a JSON object", ErrBody)
	}
	if p := b.Personal; p != nil {
		if !isLowerHex(p.Commit, 2*sha256.Size) {
			return fmt.Errorf("%w: personal commitment %q", ErrBody, p.Commit)
		}
		if _, err := ParseTime(p.Until); err != nil || len(p.Until) != len(timeLayout) {
			return fmt.Errorf("%w: personal retention %q", ErrBody, p.Until)
		}
	}
	return nil
}

// isLowerHex reports whether s is n lower-case hex digits.
func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
