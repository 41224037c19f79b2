package register

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
)

// RetentionYears is how long register entries, their personal data and the
// written justifications are kept: 5 years (PROC-RGPD-001), which also
// covers the 3 years of PROC-VMS-006 (R-REG-4).
const RetentionYears = 5

// Signer signs entries: a user's key, or the site key for the system
// events SPEC.md lists ([Store.SystemSigner]).
type Signer struct {
	actor string
	role  Role
	fp    string
	priv  ed25519.PrivateKey
}

// NewSigner is the signer of actor, acting in role, with key. Package
// account makes one for a logged-in user whose key the log published;
// [Store.Verify] rejects an entry signed by any other key, or by a role
// that may not take its action.
func NewSigner(actor string, role Role, key ed25519.PrivateKey) *Signer {
	return &Signer{actor: actor, role: role, fp: Fingerprint(key.Public().(ed25519.PublicKey)), priv: key}
}

// Record is an entry to append.
type Record struct {
	Action  string
	Subject string
	Data    any // marshalled to a canonical JSON object; nil for none
	// Personal holds personal data (names, contacts, justification) kept
	// outside the chain behind a salted commitment (R-REG-4).
	Personal any
	// Attach stores a document with the entry.
	Attach *Document
}

// Document is a file stored with an entry (a scan, a signed receipt), kept
// for the retention period and erased after it like personal data.
type Document struct {
	Name string
	Data []byte
	Sum  [32]byte // SHA-256 of Data
}

// Write runs fn in one BEGIN IMMEDIATE transaction; on PostgreSQL, one
// transaction that takes the append lock first. A server that cannot be
// reached gives [ErrUnavailable]: nothing was written.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.pgError(fmt.Errorf("register: begin: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.pgError(err)
	}
	if err := tx.Commit(); err != nil {
		return s.pgError(fmt.Errorf("register: commit: %w", err))
	}
	return nil
}

// Head is the newest entry's number and hash (zero hash for an empty log).
type Head struct {
	Seq  int64
	Hash []byte
}

func ReadHead(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Head, error) {
	var h Head
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Head{Seq: 0, Hash: make([]byte, sha256.Size)}, nil
	}
	if err != nil {
		return Head{}, fmt.Errorf("register: read head: %w", err)
	}
	return h, nil
}

// appendTx appends one entry inside tx.
func (s *Store) AppendTx(ctx context.Context, tx *sql.Tx, sg *Signer, r Record) (*Entry, error) {
	now := s.now().UTC()
	h, err := ReadHead(ctx, tx)
	if err != nil {
		return nil, err
	}
	b := Body{
		V: BodyVersion, Time: FormatTime(now), Actor: sg.actor, Role: sg.role,
		Action: r.Action, Subject: r.Subject, Signer: sg.fp,
	}
	if r.Data != nil {
		if b.Data, err = canonicalJSON(r.Data); err != nil {
			return nil, fmt.Errorf("register: encode %s: %w", r.Action, err)
		}
	}
	var salt, pdata []byte
	until := now.AddDate(RetentionYears, 0, 0)
	if r.Personal != nil {
		if pdata, err = canonicalJSON(r.Personal); err != nil {
			return nil, fmt.Errorf("register: encode personal data of %s: %w", r.Action, err)
		}
		salt = make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return nil, err
		}
		b.Personal = &PersonalRef{Commit: PersonalCommit(salt, pdata), Until: FormatTime(until)}
	}
	raw, err := EncodeBody(&b)
	if err != nil {
		return nil, fmt.Errorf("register: encode entry: %w", err)
	}
	if len(raw) > maxBody {
		return nil, fmt.Errorf("register: entry %s too large (%d bytes)", r.Action, len(raw))
	}
	seq := h.Seq + 1
	hash := EntryHash(seq, h.Hash, raw)
	sig := ed25519.Sign(sg.priv, SigMessage(hash))
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		seq, b.Time, b.Actor, b.Action, b.Subject, raw, h.Hash, hash, sig); err != nil {
		return nil, fmt.Errorf("register: append %s: %w", r.Action, err)
	}
	if r.Personal != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO personal (seq, salt, data, until) VALUES (?, ?, ?, ?)`,
			seq, salt, pdata, b.Personal.Until); err != nil {
			return nil, fmt.Errorf("register: store personal data: %w", err)
		}
	}
	if a := r.Attach; a != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (sha256, seq, name, data, until) VALUES (?, ?, ?, ?, ?)`,
			a.Sum[:], seq, a.Name, a.Data, FormatTime(until)); err != nil {
			return nil, fmt.Errorf("register: store attachment: %w", err)
		}
	}
	return &Entry{Seq: seq, Time: now, Body: b, Raw: raw, Prev: h.Hash, Hash: hash, Sig: sig}, nil
}

// appendOne appends one entry in its own transaction.
func (s *Store) AppendOne(ctx context.Context, sg *Signer, r Record) (*Entry, error) {
	var e *Entry
	err := s.Write(ctx, func(tx *sql.Tx) error {
		var err error
		e, err = s.AppendTx(ctx, tx, sg, r)
		return err
	})
	return e, err
}

// SystemSigner is the site key's signer, for the system events SPEC.md
// lists.
func (s *Store) SystemSigner() (*Signer, error) {
	k, err := s.siteKey()
	if err != nil {
		return nil, err
	}
	return k.entrySigner(), nil
}

// ReadDB is the read-only connection pool (deferred transactions,
// query_only) for the procedure's queries.
func (s *Store) ReadDB() *sql.DB { return s.rdb }

// Software is the version string recorded in the register.
func (s *Store) Software() string { return s.soft }
