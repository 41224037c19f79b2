package account

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

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

// MaxFullName is the longest full name an account takes, in characters.
const MaxFullName = 80

// CheckFullName returns the full name trimmed, or an error when it is too
// long or holds control characters. An empty full name is allowed: the
// documents then print the user name.
func CheckFullName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxFullName || !utf8.ValidString(s) {
		return "", errorf(register.ErrInvalid, "err.user.full_name", "Max", MaxFullName)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", errorf(register.ErrInvalid, "err.user.full_name", "Max", MaxFullName)
		}
	}
	return s, nil
}

// DisplayName is the person's full name, or the user name when the
// account has none.
func (u *User) DisplayName() string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Name
}

// User is an account: what the log records of it and its lock state.
type User struct {
	Name        string
	FullName    string // first and last name; "" for accounts added without one
	Role        register.Role
	Fingerprint string            // of its current key; "" while it awaits its own password
	PublicKey   ed25519.PublicKey // nil while it awaits its own password
	Created     time.Time
	Disabled    bool
	LockedUntil time.Time // zero when not locked
	// OneTime: the account was created or reset by an administrator and
	// awaits its first login, where the person sets their own password and
	// makes their key (R-KEY-1).
	OneTime bool
	commit  string // the register's commitment to its credentials
}

func userOf(sg *register.Signatory) *User {
	u := &User{Name: sg.Name, FullName: sg.FullName, Role: sg.Role, Created: sg.Added, Disabled: sg.Disabled, OneTime: sg.Key == nil, commit: sg.Credentials}
	if sg.Key != nil {
		u.PublicKey, u.Fingerprint = sg.Key.Public, sg.Key.Fingerprint
	}
	return u
}

// InitParams create the register and its first administrator.
type InitParams struct {
	Site     string // name of the site, printed on documents
	Admin    string // user name of the administrator
	FullName string // the administrator's first and last name (optional)
	Password string // administrator password, never a default
}

// Init creates the register (see [register.Store.Init]) and its first
// administrator, who chooses their own password there: their key is made
// under it at once. It refuses when the register already exists and never
// accepts an empty or weak password.
func (a *Service) Init(ctx context.Context, p InitParams) error {
	if err := CheckUserName(p.Admin); err != nil {
		return err
	}
	fullName, err := CheckFullName(p.FullName)
	if err != nil {
		return err
	}
	if err := CheckPasswordStrength(p.Admin, p.Password); err != nil {
		return err
	}
	if a.log.Initialized() {
		return errorf(register.ErrAlreadyInitialized, "err.user.register_already_initialized", "Dir", a.log.Dir())
	}
	cred, priv, err := newCredentials(p.Admin, p.Password)
	if err != nil {
		return err
	}
	clear(priv)
	return a.log.Init(ctx, p.Site, func(tx *sql.Tx, sys *register.Signer) error {
		if err := cred.store(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err := a.log.AppendTx(ctx, tx, sys, register.Record{Action: "user.add", Subject: register.UserSubject(p.Admin),
			Data: register.UserData{User: p.Admin, Role: register.RoleAdmin, PublicKey: cred.pubB64(),
				Fingerprint: register.Fingerprint(cred.pub), Credentials: cred.commit(), FullName: fullName}})
		return err
	})
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

// AddUser creates an account (admin only) and returns its one-time
// password, to be shown once and handed to the person: it can do nothing
// but set their own password at their first login ([Service.SetPassword]),
// where their signing key is made (R-KEY-1). The administrator never
// chooses, nor knows, the password that seals another's key.
func (a *Service) AddUser(ctx context.Context, sess *Session, name string, role register.Role) (*User, string, error) {
	return a.AddPerson(ctx, sess, NewPerson{Name: name, Role: role})
}

// NewPerson is an account to add: its user name, the person's full name
// (printed on documents beside the role, R-REG-3 rev.) and its role.
type NewPerson struct {
	Name     string
	FullName string
	Role     register.Role
}

// AddPerson is [Service.AddUser] with the person's full name recorded in
// the user.add entry.
func (a *Service) AddPerson(ctx context.Context, sess *Session, p NewPerson) (*User, string, error) {
	name, role := p.Name, p.Role
	if err := CheckUserName(name); err != nil {
		return nil, "", err
	}
	fullName, err := CheckFullName(p.FullName)
	if err != nil {
		return nil, "", err
	}
	if _, err := register.ParseRole(string(role)); err != nil || role == register.RoleSystem {
		return nil, "", errorf(register.ErrInvalid, "err.user.unknown_role", "Role", role)
	}
	if err := a.CheckSession(ctx, sess, register.OpManageUsers); err != nil {
		return nil, "", err
	}
	cred, otp, err := oneTimeCredentials(name)
	if err != nil {
		return nil, "", err
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
		r, err := register.ReadRoster(ctx, tx, name)
		if err != nil {
			return err
		}
		if n > 0 || r.Signatory(name) != nil {
			return errorf(register.ErrInvalid, "err.user.user_already_exists", "Name", name)
		}
		if err := cred.store(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: "user.add", Subject: register.UserSubject(name),
			Data: register.UserData{User: name, Role: role, Credentials: cred.commit(), FullName: fullName}})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return &User{Name: name, FullName: fullName, Role: role, Created: a.log.Now(), OneTime: true, commit: cred.commit()}, otp, nil
}

// ResetUser gives an account a new one-time password (admin only, never
// one's own), for a person who forgot theirs: it revokes their signing key
// in the register — the entries it signed stay valid, nothing it would
// sign afterwards is — and their next login makes a new key under the
// password they choose (R-KEY-1). It returns the one-time password.
func (a *Service) ResetUser(ctx context.Context, sess *Session, name string) (string, error) {
	if err := a.CheckSession(ctx, sess, register.OpManageUsers); err != nil {
		return "", err
	}
	if name == sess.User {
		return "", errorf(register.ErrInvalid, "err.user.cannot_reset_self")
	}
	cred, otp, err := oneTimeCredentials(name)
	if err != nil {
		return "", err
	}
	err = a.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := a.SignerTx(ctx, tx, sess, register.OpManageUsers)
		if err != nil {
			return err
		}
		u, err := a.user(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errorf(register.ErrDisabled, "err.user.account_disabled", "Name", name)
		}
		if err := cred.store(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: "user.reset", Subject: register.UserSubject(name),
			Data: register.UserData{User: name, Revoked: u.Fingerprint, Credentials: cred.commit()}})
		return err
	})
	if err != nil {
		return "", err
	}
	return otp, nil
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
