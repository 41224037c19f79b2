package account

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"regexp"
	"sync"
	"time"

	"mileo.tech/extract/register"
)

// Service is the accounts that sign the log: who they are, their
// credentials, login with lock-out, and the signer of a session for an
// operation. It is built on an open register and safe for concurrent use.
type Service struct {
	log     *register.Store
	loginMu [loginStripes]sync.Mutex // one login attempt per account at a time
}

// New builds the accounts service on an open register.
func New(log *register.Store) *Service { return &Service{log: log} }

func errorf(kind error, key string, kv ...any) error {
	return register.NewError(kind, key, kv...)
}

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// CheckUserName accepts 2 to 32 lower-case letters, digits, dots, dashes
// and underscores ("m.dupont").
func CheckUserName(name string) error {
	if !userNameRE.MatchString(name) {
		return errorf(register.ErrInvalid, "err.user.user_name_lower", "Name", name)
	}
	if name == register.SystemActor {
		return errorf(register.ErrInvalid, "err.user.user_name_reserved", "Name", name)
	}
	return nil
}

// User is an account: what the log records of it and its lock state.
type User struct {
	Name        string
	Role        register.Role
	Fingerprint string
	PublicKey   ed25519.PublicKey
	Created     time.Time
	Disabled    bool
	LockedUntil time.Time // zero when not locked
}

func userOf(sg *register.Signatory) *User {
	u := &User{Name: sg.Name, Role: sg.Role, Created: sg.Added, Disabled: sg.Disabled}
	if sg.Key != nil {
		u.PublicKey, u.Fingerprint = sg.Key.Public, sg.Key.Fingerprint
	}
	return u
}

// InitParams create the register and its first administrator.
type InitParams struct {
	Site     string // name of the site, printed on documents
	Admin    string // user name of the administrator
	Password string // administrator password, never a default
}

// Init creates the register (see [register.Store.Init]) and its first
// administrator, who chose their password. It refuses when the register
// already exists and never accepts an empty or weak password.
func (a *Service) Init(ctx context.Context, p InitParams) error {
	if err := CheckUserName(p.Admin); err != nil {
		return err
	}
	if err := CheckPasswordStrength(p.Admin, p.Password); err != nil {
		return err
	}
	if a.log.Initialized() {
		return errorf(register.ErrAlreadyInitialized, "err.user.register_already_initialized", "Dir", a.log.Dir())
	}
	cred, err := newCredentials(p.Admin, p.Password)
	if err != nil {
		return err
	}
	return a.log.Init(ctx, p.Site, func(tx *sql.Tx, sys *register.Signer) error {
		if err := cred.insert(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err := a.log.AppendTx(ctx, tx, sys, register.Record{Action: "user.add", Subject: register.UserSubject(p.Admin),
			Data: register.UserData{User: p.Admin, Role: register.RoleAdmin, PublicKey: cred.pubB64(), Fingerprint: register.Fingerprint(cred.pub)}})
		return err
	})
}

// credentials are a row of table users: the password hash and the signing
// key sealed under the password.
type credentials struct {
	name string
	phc  string
	kdf  string
	box  []byte
	pub  ed25519.PublicKey
}

func newCredentials(name, password string) (*credentials, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
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

func (c *credentials) pubB64() string { return base64.StdEncoding.EncodeToString(c.pub) }

func (c *credentials) insert(ctx context.Context, tx *sql.Tx, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES (?, ?, ?, ?, ?, ?)`,
		c.name, c.phc, c.kdf, c.box, []byte(c.pub), register.FormatTime(now))
	if err != nil {
		return fmt.Errorf("account: store credentials: %w", err)
	}
	return nil
}

// user returns the account name with its lock state.
func (a *Service) user(ctx context.Context, q register.Querier, name string) (*User, error) {
	r, err := register.ReadRoster(ctx, q, name)
	if err != nil {
		return nil, err
	}
	sg := r.Signatory(name)
	if sg == nil {
		return nil, errorf(register.ErrNotFound, "err.user.not_found", "Name", name)
	}
	u := userOf(sg)
	if u.LockedUntil, _, err = a.lockState(ctx, q, name); err != nil {
		return nil, err
	}
	return u, nil
}

// Users lists the accounts. Any logged-in user may list them.
func (a *Service) Users(ctx context.Context, sess *Session) ([]User, error) {
	if err := a.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	r, err := register.ReadRoster(ctx, a.log.ReadDB())
	if err != nil {
		return nil, err
	}
	var out []User
	for _, sg := range r.Signatories() {
		u := userOf(sg)
		if u.LockedUntil, _, err = a.lockState(ctx, a.log.ReadDB(), u.Name); err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, nil
}

// AddUser creates an account (admin only). The password follows
// CheckPasswordStrength; the user's signing key is created and sealed
// under it.
func (a *Service) AddUser(ctx context.Context, sess *Session, name string, role register.Role, password string) (*User, error) {
	if err := CheckUserName(name); err != nil {
		return nil, err
	}
	if _, err := register.ParseRole(string(role)); err != nil || role == register.RoleSystem {
		return nil, errorf(register.ErrInvalid, "err.user.unknown_role", "Role", role)
	}
	if err := CheckPasswordStrength(name, password); err != nil {
		return nil, err
	}
	if err := a.CheckSession(ctx, sess, register.OpManageUsers); err != nil {
		return nil, err
	}
	cred, err := newCredentials(name, password)
	if err != nil {
		return nil, err
	}
	err = a.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := a.SignerTx(ctx, tx, sess, register.OpManageUsers)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errorf(register.ErrInvalid, "err.user.user_already_exists", "Name", name)
		}
		if err := cred.insert(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: "user.add", Subject: register.UserSubject(name),
			Data: register.UserData{User: name, Role: role, PublicKey: cred.pubB64(), Fingerprint: register.Fingerprint(cred.pub)}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &User{Name: name, Role: role, PublicKey: cred.pub, Fingerprint: register.Fingerprint(cred.pub), Created: a.log.Now()}, nil
}

// DisableUser disables an account (admin only). History stays: the
// account's entries remain and verify.
func (a *Service) DisableUser(ctx context.Context, sess *Session, name, reason string) error {
	return a.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := a.SignerTx(ctx, tx, sess, register.OpManageUsers)
		if err != nil {
			return err
		}
		u, err := a.user(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errorf(register.ErrState, "err.user.user_already_disabled", "Name", name)
		}
		if name == sess.User {
			return errorf(register.ErrInvalid, "err.user.administrator_cannot_disable")
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: "user.disable", Subject: register.UserSubject(name),
			Data: register.UserData{User: name, Reason: reason}})
		return err
	})
}

// UnlockUser lifts a lock-out before its end (admin only).
func (a *Service) UnlockUser(ctx context.Context, sess *Session, name string) error {
	return a.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := a.SignerTx(ctx, tx, sess, register.OpManageUsers)
		if err != nil {
			return err
		}
		if _, err := a.user(ctx, tx, name); err != nil {
			return err
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: "user.unlock", Subject: register.UserSubject(name),
			Data: register.UserData{User: name}})
		return err
	})
}
