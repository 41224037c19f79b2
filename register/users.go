package register

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"mileo.tech/extract/internal/i18n"
)

// Lock-out policy: 5 failed logins within 15 minutes lock the account for
// 15 minutes, or until an administrator unlocks it.
const (
	MaxFailedLogins = 5
	FailWindow      = 15 * time.Minute
	LockDuration    = 15 * time.Minute
)

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// CheckUserName accepts 2 to 32 lower-case letters, digits, dots, dashes
// and underscores ("m.dupont").
func CheckUserName(name string) error {
	if !userNameRE.MatchString(name) {
		return errorf(ErrInvalid, "err.user.user_name_lower", "Name", name)
	}
	if name == SystemActor {
		return errorf(ErrInvalid, "err.user.user_name_reserved", "Name", name)
	}
	return nil
}

func userSubject(name string) string { return "user:" + name }

// Data of user entries.
type InitData struct {
	Site     string `json:"site"`
	SiteID   string `json:"site_id"`
	SiteKey  string `json:"site_key"` // note verifier key
	Software string `json:"software"`
}

type userData struct {
	User        string `json:"user"`
	Role        Role   `json:"role,omitempty"`
	PublicKey   string `json:"public_key,omitempty"` // base64 Ed25519
	Fingerprint string `json:"fingerprint,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

type authData struct {
	User   string `json:"user,omitempty"`
	Reason string `json:"reason,omitempty"`
	Until  string `json:"until,omitempty"`
	Fails  int    `json:"fails,omitempty"`
}

// User is an account as the register knows it.
type User struct {
	Name        string
	Role        Role
	Fingerprint string
	PublicKey   ed25519.PublicKey
	Created     time.Time
	Disabled    bool
	LockedUntil time.Time // zero when not locked
}

// InitParams create the register and its first administrator.
type InitParams struct {
	Site     string // name of the site, printed on documents
	Admin    string // user name of the administrator
	Password string // administrator password, never a default
}

// Initialized reports whether Init has run.
func (s *Store) Initialized() bool {
	_, err := s.siteKey()
	return err == nil
}

// Init creates the site key, the register's first entries and the
// administrator account. It refuses when the register already exists and
// never accepts an empty or weak password.
func (s *Store) Init(ctx context.Context, p InitParams) error {
	p.Site = strings.TrimSpace(p.Site)
	if p.Site == "" {
		return errorf(ErrInvalid, "err.user.site_name_required")
	}
	if err := CheckUserName(p.Admin); err != nil {
		return err
	}
	if err := CheckPasswordStrength(p.Admin, p.Password); err != nil {
		return err
	}
	if s.Initialized() {
		return errorf(ErrAlreadyInitialized, "err.user.register_already_initialized", "Dir", s.dir)
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM entries`).Scan(&n); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if n > 0 {
		return errorf(ErrAlreadyInitialized, "err.user.register_already_has", "Dir", s.dir)
	}
	cred, err := newCredentials(p.Admin, p.Password)
	if err != nil {
		return err
	}
	k, skey, err := newSiteKey()
	if err != nil {
		return err
	}
	if err := s.writeSiteKey(skey, k); err != nil {
		return err
	}
	undo := func() {
		os.Remove(filepath.Join(s.dir, SiteKeyFile))
		os.Remove(filepath.Join(s.dir, SiteVerifierFile))
		s.mu.Lock()
		s.site = nil
		s.mu.Unlock()
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		h, err := ReadHead(ctx, tx)
		if err != nil {
			return err
		}
		if h.Seq != 0 {
			return errorf(ErrAlreadyInitialized, "err.user.register_already_initialized", "Dir", s.dir)
		}
		sys := k.entrySigner()
		if _, err := s.AppendTx(ctx, tx, sys, Record{Action: "register.init", Subject: "site",
			Data: InitData{Site: p.Site, SiteID: k.id, SiteKey: k.vkey, Software: s.soft}}); err != nil {
			return err
		}
		if err := cred.insert(ctx, tx, s.now()); err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sys, Record{Action: "user.add", Subject: userSubject(p.Admin),
			Data: userData{User: p.Admin, Role: RoleAdmin, PublicKey: cred.pubB64(), Fingerprint: Fingerprint(cred.pub)}})
		return err
	})
	if err != nil {
		undo()
		return err
	}
	_, err = s.WriteCheckpoint(ctx)
	return err
}

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
		c.name, c.phc, c.kdf, c.box, []byte(c.pub), FormatTime(now))
	if err != nil {
		return fmt.Errorf("register: store credentials: %w", err)
	}
	return nil
}

type Querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// ScanEntries reads entries (columns seq, body, prev, hash, sig).
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

const EntryCols = `seq, body, prev, hash, sig`

// UserFold replays user entries into account states.
type UserFold map[string]*User

func (f UserFold) apply(e *Entry) error {
	var d userData
	if err := e.Decode(&d); err != nil {
		return err
	}
	switch e.Action {
	case "user.add":
		pub, err := base64.StdEncoding.DecodeString(d.PublicKey)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return fmt.Errorf("entry %d: bad public key", e.Seq)
		}
		f[d.User] = &User{Name: d.User, Role: d.Role, PublicKey: pub, Fingerprint: Fingerprint(pub), Created: e.Time}
	case "user.disable":
		if u := f[d.User]; u != nil {
			u.Disabled = true
		}
	}
	return nil
}

// UserFold returns the accounts (without lock state).
func (a *Accounts) UserFold(ctx context.Context, q Querier) (UserFold, error) {
	return foldUsers(ctx, q, "users", `SELECT `+EntryCols+` FROM entries WHERE action IN ('user.add', 'user.disable') ORDER BY seq`)
}

func (s *Store) user(ctx context.Context, q Querier, name string) (*User, error) {
	f, err := foldUsers(ctx, q, "user", `SELECT `+EntryCols+` FROM entries WHERE subject = ? AND action IN ('user.add', 'user.disable') ORDER BY seq`, userSubject(name))
	if err != nil {
		return nil, err
	}
	u := f[name]
	if u == nil {
		return nil, errorf(ErrNotFound, "err.user.not_found", "Name", name)
	}
	until, _, err := s.lockState(ctx, q, name)
	if err != nil {
		return nil, err
	}
	u.LockedUntil = until
	return u, nil
}

// foldUsers replays the user entries a query selects (columns
// EntryCols, in order) into account states; what names the query in
// errors.
func foldUsers(ctx context.Context, q Querier, what, query string, args ...any) (UserFold, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("register: read %s: %w", what, err)
	}
	es, err := ScanEntries(rows)
	if err != nil {
		return nil, err
	}
	f := UserFold{}
	for _, e := range es {
		if err := f.apply(e); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// lockState replays the recent authentication entries of a user: the end
// of a running lock (zero when not locked) and the failures that count
// towards the next one.
func (s *Store) lockState(ctx context.Context, q Querier, name string) (time.Time, int, error) {
	now := s.now()
	since := now.Add(-max(FailWindow, LockDuration))
	rows, err := q.QueryContext(ctx, `SELECT `+EntryCols+` FROM entries WHERE subject = ? AND action IN ('auth.fail', 'auth.login', 'auth.lock', 'user.unlock') AND time >= ? ORDER BY seq`,
		userSubject(name), FormatTime(since))
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("register: read logins: %w", err)
	}
	es, err := ScanEntries(rows)
	if err != nil {
		return time.Time{}, 0, err
	}
	var until time.Time
	var fails []time.Time
	for _, e := range es {
		var d authData
		if err := e.Decode(&d); err != nil {
			return time.Time{}, 0, err
		}
		switch e.Action {
		case "auth.fail":
			if d.Reason == "bad_password" {
				fails = append(fails, e.Time)
			}
		case "auth.login", "user.unlock":
			fails, until = nil, time.Time{}
		case "auth.lock":
			fails = nil
			until, _ = ParseTime(d.Until)
		}
	}
	if !until.After(now) {
		until = time.Time{}
	}
	n := 0
	for _, t := range fails {
		if now.Sub(t) < FailWindow {
			n++
		}
	}
	return until, n, nil
}

// Users lists the accounts. Any logged-in user may list them.
func (a *Accounts) Users(ctx context.Context, sess *Session) ([]User, error) {
	s := a.s
	if err := s.Accounts.CheckSession(ctx, sess, OpLogin); err != nil {
		return nil, err
	}
	f, err := s.Accounts.UserFold(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	var out []User
	for _, u := range f {
		until, _, err := s.lockState(ctx, s.rdb, u.Name)
		if err != nil {
			return nil, err
		}
		u.LockedUntil = until
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// AddUser creates an account (admin only). The password follows
// CheckPasswordStrength; the user's signing key is created and sealed
// under it.
func (a *Accounts) AddUser(ctx context.Context, sess *Session, name string, role Role, password string) (*User, error) {
	s := a.s
	if err := CheckUserName(name); err != nil {
		return nil, err
	}
	if _, err := ParseRole(string(role)); err != nil || role == RoleSystem {
		return nil, errorf(ErrInvalid, "err.user.unknown_role", "Role", role)
	}
	if err := CheckPasswordStrength(name, password); err != nil {
		return nil, err
	}
	if err := s.Accounts.CheckSession(ctx, sess, OpManageUsers); err != nil {
		return nil, err
	}
	cred, err := newCredentials(name, password)
	if err != nil {
		return nil, err
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, OpManageUsers)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errorf(ErrInvalid, "err.user.user_already_exists", "Name", name)
		}
		if err := cred.insert(ctx, tx, s.now()); err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sg, Record{Action: "user.add", Subject: userSubject(name),
			Data: userData{User: name, Role: role, PublicKey: cred.pubB64(), Fingerprint: Fingerprint(cred.pub)}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &User{Name: name, Role: role, PublicKey: cred.pub, Fingerprint: Fingerprint(cred.pub), Created: s.now()}, nil
}

// DisableUser disables an account (admin only). History stays: the
// account's entries remain and verify.
func (a *Accounts) DisableUser(ctx context.Context, sess *Session, name, reason string) error {
	s := a.s
	return s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, OpManageUsers)
		if err != nil {
			return err
		}
		u, err := s.user(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errorf(ErrState, "err.user.user_already_disabled", "Name", name)
		}
		if name == sess.User {
			return errorf(ErrInvalid, "err.user.administrator_cannot_disable")
		}
		_, err = s.AppendTx(ctx, tx, sg, Record{Action: "user.disable", Subject: userSubject(name),
			Data: userData{User: name, Reason: reason}})
		return err
	})
}

// UnlockUser lifts a lock-out before its end (admin only).
func (a *Accounts) UnlockUser(ctx context.Context, sess *Session, name string) error {
	s := a.s
	return s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, OpManageUsers)
		if err != nil {
			return err
		}
		if _, err := s.user(ctx, tx, name); err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sg, Record{Action: "user.unlock", Subject: userSubject(name), Data: userData{User: name}})
		return err
	})
}

// Session is a logged-in user. It holds the user's signing key, unlocked
// with their password, for as long as it is open.
type Session struct {
	User        string
	Role        Role
	Fingerprint string
	priv        ed25519.PrivateKey
}

// Close forgets the signing key.
func (s *Session) Close() {
	clear(s.priv)
	s.priv = nil
}

// Login checks a password, unlocks the user's signing key and records the
// login. Failed logins are recorded too, and lock the account after
// MaxFailedLogins within FailWindow.
func (a *Accounts) Login(ctx context.Context, name, password string) (*Session, error) {
	s := a.s
	// Attempts on one account are checked one at a time in this process,
	// so that parallel guesses each see the failures before them and the
	// lock-out stops them after MaxFailedLogins; across processes, the
	// lock is checked again in the transaction that records the login.
	mu := &s.loginMu[loginStripe(name)]
	mu.Lock()
	defer mu.Unlock()
	k, err := s.siteKey()
	if err != nil {
		return nil, err
	}
	sys := k.entrySigner()
	fail := func(reason string, failErr error) (*Session, error) {
		var lockErr error
		err := s.Write(ctx, func(tx *sql.Tx) error {
			d := authData{User: name, Reason: reason}
			subject := userSubject(name)
			if reason == "unknown_user" {
				// The typed name may be a password typed in the wrong field:
				// never record it.
				d.User, subject = "", ""
			}
			if _, err := s.AppendTx(ctx, tx, sys, Record{Action: "auth.fail", Subject: subject, Data: d}); err != nil {
				return err
			}
			if reason != "bad_password" {
				return nil
			}
			_, n, err := s.lockState(ctx, tx, name)
			if err != nil || n < MaxFailedLogins {
				return err
			}
			until := s.now().Add(LockDuration)
			if _, err := s.AppendTx(ctx, tx, sys, Record{Action: "auth.lock", Subject: subject,
				Data: authData{User: name, Until: FormatTime(until), Fails: n}}); err != nil {
				return err
			}
			// R-INC-1: a locked account (possibly a guessing attack) is an
			// incident the security manager sees.
			if _, err := s.AppendTx(ctx, tx, sys, Record{Action: "incident", Subject: subject,
				Data: map[string]any{"kind": "account_locked", "detail": fmt.Sprintf("compte %s verrouillé après %d échecs de connexion", name, n)}}); err != nil {
				return err
			}
			lockErr = errorf(ErrLocked, "err.user.account_now_locked", "Name", name, "Fails", n, "Until", until.In(s.loc).Format("15:04"))
			return nil
		})
		if err != nil {
			return nil, err
		}
		if lockErr != nil {
			return nil, lockErr
		}
		return nil, failErr
	}
	var phc, kdf string
	var box, pubRow []byte
	err = s.rdb.QueryRowContext(ctx, `SELECT password, key_kdf, key_box, public_key FROM users WHERE name = ?`, name).Scan(&phc, &kdf, &box, &pubRow)
	if errors.Is(err, sql.ErrNoRows) {
		// As long as a wrong password: the time of a failure does not tell
		// whether the name exists.
		spendPasswordCheck(password)
		return fail("unknown_user", errorf(ErrLogin, "err.user.login_failed"))
	}
	if err != nil {
		return nil, fmt.Errorf("register: read user: %w", err)
	}
	u, err := s.user(ctx, s.rdb, name)
	if errors.Is(err, ErrNotFound) {
		return fail("unknown_user", errorf(ErrLogin, "err.user.login_failed"))
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return fail("disabled", errorf(ErrDisabled, "err.user.account_disabled", "Name", name))
	}
	if !u.LockedUntil.IsZero() {
		return fail("locked", errorf(ErrLocked, "err.user.account_locked_after", "Name", name, "Until", u.LockedUntil.In(s.loc).Format("15:04")))
	}
	ok, err := checkPassword(phc, password)
	if err != nil {
		return fail("bad_credentials_row", fmt.Errorf("register: credentials of %q are damaged: %w", name, err))
	}
	if !ok {
		return fail("bad_password", errorf(ErrLogin, "err.user.login_failed"))
	}
	priv, err := openKey(name, password, kdf, box)
	if err != nil || !priv.Public().(ed25519.PublicKey).Equal(u.PublicKey) {
		return fail("key_mismatch", fmt.Errorf("register: the signing key of %q does not match the register", name))
	}
	sess := &Session{User: name, Role: u.Role, Fingerprint: u.Fingerprint, priv: priv}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		// Locked or disabled meanwhile (by another process's failures or
		// an administrator): the right password does not open it.
		now, err := s.user(ctx, tx, name)
		if err != nil {
			return err
		}
		switch {
		case now.Disabled:
			return errorf(ErrDisabled, "err.user.account_disabled", "Name", name)
		case !now.LockedUntil.IsZero():
			return errorf(ErrLocked, "err.user.account_locked_after", "Name", name, "Until", now.LockedUntil.In(s.loc).Format("15:04"))
		}
		_, err = s.AppendTx(ctx, tx, sess.signer(), Record{Action: "auth.login", Subject: userSubject(name), Data: authData{User: name}})
		return err
	})
	if err != nil {
		sess.Close()
		return nil, err
	}
	return sess, nil
}

// loginStripes bounds the per-account login locks (any name typed at the
// login screen maps to one of them).
const loginStripes = 64

func loginStripe(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % loginStripes)
}

func (sess *Session) signer() *Signer {
	return &Signer{actor: sess.User, role: sess.Role, fp: sess.Fingerprint, priv: sess.priv}
}

// checkSession checks outside a transaction that the session may act.
func (a *Accounts) CheckSession(ctx context.Context, sess *Session, op string) error {
	s := a.s
	_, err := s.Accounts.SignerFor(ctx, s.rdb, sess, op)
	return err
}

func (a *Accounts) SignerTx(ctx context.Context, tx *sql.Tx, sess *Session, op string) (*Signer, error) {
	s := a.s
	return s.Accounts.SignerFor(ctx, tx, sess, op)
}

// signerFor checks that the session's user may perform op now: the
// session is open, the account is neither disabled nor locked, and its
// role allows op.
func (a *Accounts) SignerFor(ctx context.Context, q Querier, sess *Session, op string) (*Signer, error) {
	s := a.s
	if sess == nil || sess.priv == nil {
		return nil, errorf(ErrLogin, "err.user.log_first")
	}
	u, err := s.user(ctx, q, sess.User)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errorf(ErrDisabled, "err.user.account_disabled", "Name", sess.User)
	}
	if !u.LockedUntil.IsZero() {
		return nil, errorf(ErrLocked, "err.user.account_locked_until", "Name", sess.User, "Until", u.LockedUntil.In(s.loc).Format("15:04"))
	}
	if u.Role != sess.Role || u.Fingerprint != sess.Fingerprint {
		return nil, errorf(ErrLogin, "err.user.account_changed_since", "Name", sess.User)
	}
	if !u.Role.May(op) {
		return nil, errorf(ErrForbidden, "err.user.forbidden", "Role", i18n.Key("role."+string(u.Role)), "Op", i18n.Key(opKey(op)))
	}
	return sess.signer(), nil
}
