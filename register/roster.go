package register

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The log knows who signs: the user entries (SPEC.md §3) publish each
// account's role and keys. [Roster] folds them, for [Store.Verify],
// [Store.CheckEntries] and package account, which writes them.

// UserSubject is the subject of the entries about an account ("user:<name>").
func UserSubject(name string) string { return "user:" + name }

// UserData is the data of the user entries (SPEC.md §3):
//
//   - user.add: user, role, full_name, credentials; public_key and fingerprint when the
//     account starts with a key (the first administrator), else it awaits
//     its first login;
//   - user.key: user, public_key, fingerprint, credentials — the key the
//     person made at their first login, signed by that key;
//   - user.passwd: user, credentials — the person changed their password;
//   - user.reset: user, revoked (the fingerprint of the key it revokes),
//     credentials — an administrator gave a one-time password;
//   - user.disable: user, reason; user.unlock: user.
type UserData struct {
	User        string `json:"user"`
	Role        Role   `json:"role,omitempty"`
	PublicKey   string `json:"public_key,omitempty"` // base64 Ed25519
	Fingerprint string `json:"fingerprint,omitempty"`
	// Credentials commits to the account's row of table users (SPEC.md
	// §3); absent from the entries of registers older than it.
	Credentials string `json:"credentials,omitempty"`
	Revoked     string `json:"revoked,omitempty"`
	Reason      string `json:"reason,omitempty"`
	// FullName is the person's first and last name (user.add), printed on
	// documents beside the role; absent from older entries.
	FullName string `json:"full_name,omitempty"`
}

// UserActions are the actions [Roster.Apply] folds.
var UserActions = []string{"user.add", "user.key", "user.passwd", "user.reset", "user.disable"}

// Signatory is an account as the log records it: its role, its keys and
// whether it was disabled. Passwords and lock-outs are package account's.
type Signatory struct {
	Name     string
	FullName string // "" for accounts added without one
	Role     Role
	Added    time.Time
	Disabled bool
	Key      *Key   // the key it signs with now; nil while it awaits its first login
	Keys     []*Key // every key it held, oldest first
	// Credentials is the newest commitment to its row of table users, made
	// by entry CredentialsSeq ("" for accounts older than commitments).
	Credentials    string
	CredentialsSeq int64
}

// Key is a user's public key and the entries between which it signs.
type Key struct {
	Owner       string
	Public      ed25519.PublicKey
	Fingerprint string
	From        int64 // the entry that published it
	Revoked     int64 // the entry that revoked it (user.reset); 0 while valid
}

// ValidAt reports whether the key may sign entry seq: published at or
// before it and not revoked before it.
func (k *Key) ValidAt(seq int64) bool {
	return k.From <= seq && (k.Revoked == 0 || seq < k.Revoked)
}

// Roster is the state of the accounts, folded from the user entries in
// order.
type Roster struct {
	users map[string]*Signatory
	keys  map[string]*Key // by fingerprint
}

// NewRoster returns an empty roster.
func NewRoster() *Roster {
	return &Roster{users: map[string]*Signatory{}, keys: map[string]*Key{}}
}

// Signatory returns the account name, or nil.
func (r *Roster) Signatory(name string) *Signatory { return r.users[name] }

// Key returns the user key of fingerprint fp, or nil.
func (r *Roster) Key(fp string) *Key { return r.keys[fp] }

// Signatories lists the accounts by name.
func (r *Roster) Signatories() []*Signatory {
	out := make([]*Signatory, 0, len(r.users))
	for _, u := range r.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Apply folds one user entry (entries of other actions are ignored). It
// returns an error for data it cannot read; the rules of who may sign what
// are [Store.Verify]'s.
func (r *Roster) Apply(e *Entry) error {
	if !isUserAction(e.Action) {
		return nil
	}
	var d UserData
	if err := e.Decode(&d); err != nil {
		return err
	}
	u := r.users[d.User]
	if e.Action == "user.add" {
		u = &Signatory{Name: d.User, FullName: d.FullName, Role: d.Role, Added: e.Time}
		r.users[d.User] = u
	}
	if u == nil {
		return nil // verify reports the entry
	}
	if d.Credentials != "" {
		u.Credentials, u.CredentialsSeq = d.Credentials, e.Seq
	}
	switch e.Action {
	case "user.add", "user.key":
		if d.PublicKey == "" {
			break
		}
		pub, err := decodePublicKey(d.PublicKey)
		if err != nil {
			return fmt.Errorf("entry %d: %w", e.Seq, err)
		}
		if u.Key != nil {
			u.Key.Revoked = e.Seq
		}
		k := &Key{Owner: u.Name, Public: pub, Fingerprint: Fingerprint(pub), From: e.Seq}
		u.Key = k
		u.Keys = append(u.Keys, k)
		if r.keys[k.Fingerprint] == nil {
			r.keys[k.Fingerprint] = k
		}
	case "user.reset":
		if u.Key != nil {
			u.Key.Revoked = e.Seq
		}
		u.Key = nil
	case "user.disable":
		u.Disabled = true
	}
	return nil
}

func isUserAction(action string) bool {
	for _, a := range UserActions {
		if a == action {
			return true
		}
	}
	return false
}

func decodePublicKey(s string) (ed25519.PublicKey, error) {
	pub, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("bad public key")
	}
	return pub, nil
}

// ReadRoster folds the user entries of the accounts named, or of every
// account when no name is given.
func ReadRoster(ctx context.Context, q Querier, names ...string) (*Roster, error) {
	query := `SELECT ` + EntryCols + ` FROM entries WHERE action IN ('` + strings.Join(UserActions, "', '") + `')`
	var args []any
	if len(names) > 0 {
		query += ` AND subject IN (?` + strings.Repeat(", ?", len(names)-1) + `)`
		for _, n := range names {
			args = append(args, UserSubject(n))
		}
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("register: read accounts: %w", err)
	}
	es, err := ScanEntries(rows)
	if err != nil {
		return nil, err
	}
	r := NewRoster()
	for _, e := range es {
		if err := r.Apply(e); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Querier is a database handle or a transaction.
type Querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// EntryCols are the columns [ScanEntries] reads, in order.
const EntryCols = `seq, body, prev, hash, sig`

// ScanEntries reads entries (columns [EntryCols]) and closes rows.
func ScanEntries(rows *sql.Rows) ([]*Entry, error) {
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		e := &Entry{}
		if err := rows.Scan(&e.Seq, &e.Raw, &e.Prev, &e.Hash, &e.Sig); err != nil {
			return nil, err
		}
		b, err := DecodeBody(e.Raw)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", e.Seq, err)
		}
		e.Body = *b
		e.Time, _ = ParseTime(b.Time)
		out = append(out, e)
	}
	return out, rows.Err()
}
