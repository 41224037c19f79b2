package account

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"mileo.tech/extract/internal/passgen"
	"mileo.tech/extract/register"
)

// credentials are a row of table users: the hash of the password and the
// signing key sealed under it. An account awaiting its first login has the
// hash of its one-time password and no key (empty key_kdf, key_box and
// public_key).
type credentials struct {
	name string
	phc  string
	kdf  string
	box  []byte
	pub  ed25519.PublicKey
}

// credentialsTag starts the commitment of SPEC.md §3.
const credentialsTag = "mileo-register/v1/credentials"

// commit is the commitment to the row that the user entries carry
// (UserData.Credentials): hex SHA-256 of lp(tag) ‖ lp(name) ‖ lp(password)
// ‖ lp(key_kdf) ‖ lp(key_box) ‖ lp(public_key), lp(x) = be64(len(x)) ‖ x.
// An edit of the row (a swapped password hash, sealed key or public key)
// no longer matches the register.
func (c *credentials) commit() string {
	h := sha256.New()
	for _, b := range [][]byte{[]byte(credentialsTag), []byte(c.name), []byte(c.phc), []byte(c.kdf), c.box, c.pub} {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(b))))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// newCredentials makes a signing key and seals it under password.
func newCredentials(name, password string) (*credentials, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	c, err := sealed(name, password, priv, pub)
	if err != nil {
		return nil, nil, err
	}
	return c, priv, nil
}

// sealed is the row of a key sealed under password.
func sealed(name, password string, priv ed25519.PrivateKey, pub ed25519.PublicKey) (*credentials, error) {
	phc, err := hashPassword(password, newKDF)
	if err != nil {
		return nil, err
	}
	kdf, box, err := sealKey(name, password, priv.Seed(), newKDF)
	if err != nil {
		return nil, err
	}
	return &credentials{name: name, phc: phc, kdf: kdf, box: box, pub: pub}, nil
}

// OneTimeLength is the length of a one-time password (passgen's alphabet:
// more than 97 bits).
const OneTimeLength = 16

// oneTimeCredentials draws a one-time password and returns the row that
// holds its hash, without a key.
func oneTimeCredentials(name string) (*credentials, string, error) {
	for {
		otp, err := passgen.Generate(OneTimeLength)
		if err != nil {
			return nil, "", err
		}
		if CheckPasswordStrength(name, otp) != nil {
			continue // contains the user name: draw again
		}
		phc, err := hashPassword(otp, newKDF)
		if err != nil {
			return nil, "", err
		}
		return &credentials{name: name, phc: phc, box: []byte{}, pub: ed25519.PublicKey{}}, otp, nil
	}
}

func (c *credentials) pubB64() string { return base64.StdEncoding.EncodeToString(c.pub) }

// store writes the row, replacing the account's previous one.
func (c *credentials) store(ctx context.Context, tx *sql.Tx, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET password = excluded.password, key_kdf = excluded.key_kdf, key_box = excluded.key_box, public_key = excluded.public_key`,
		c.name, c.phc, c.kdf, nonNil(c.box), nonNil(c.pub), register.FormatTime(now))
	if err != nil {
		return fmt.Errorf("account: store credentials: %w", err)
	}
	return nil
}

// nonNil keeps an empty blob from being stored as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// errNoCredentials: the account has no row in table users.
var errNoCredentials = errors.New("no credentials")

// readCredentials reads the row of name.
func readCredentials(ctx context.Context, q register.Querier, name string) (*credentials, error) {
	c := &credentials{name: name}
	var box, pub []byte
	err := q.QueryRowContext(ctx, `SELECT password, key_kdf, key_box, public_key FROM users WHERE name = ?`, name).Scan(&c.phc, &c.kdf, &box, &pub)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("account: read credentials: %w", err)
	}
	c.box, c.pub = box, pub
	return c, nil
}

// matches reports whether the row is the one the register committed to (an
// account older than commitments is checked by its public key only).
func (c *credentials) matches(u *User) bool {
	if u.commit != "" {
		return c.commit() == u.commit
	}
	return bytes.Equal(c.pub, u.PublicKey)
}
