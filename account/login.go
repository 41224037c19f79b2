package account

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"mileo.tech/extract/register"
)

// Lock-out policy: 5 failed logins within 15 minutes lock the account for
// 15 minutes, or until an administrator unlocks it.
const (
	MaxFailedLogins = 5
	FailWindow      = 15 * time.Minute
	LockDuration    = 15 * time.Minute
)

// authData is the data of auth.login, auth.fail and auth.lock.
type authData struct {
	User   string `json:"user,omitempty"`
	Reason string `json:"reason,omitempty"`
	Until  string `json:"until,omitempty"`
	Fails  int    `json:"fails,omitempty"`
}

// Session is a logged-in user. It holds the user's signing key, unlocked
// with their password, for as long as it is open. A session opened with a
// one-time password ([Session.OneTime]) holds no key: it can do nothing but
// set the person's own password ([Service.SetPassword]).
type Session struct {
	User        string
	Role        register.Role
	Fingerprint string
	priv        ed25519.PrivateKey
	oneTime     bool
	commit      string // the credentials the login checked
}

// OneTime reports whether the session was opened with a one-time password:
// the person must set their own password before anything else (R-KEY-1).
func (s *Session) OneTime() bool { return s != nil && s.oneTime }

// Close forgets the signing key.
func (s *Session) Close() {
	clear(s.priv)
	s.priv = nil
}

// Login checks a password, unlocks the user's signing key and records the
// login. Failed logins are recorded too, and lock the account after
// MaxFailedLogins within FailWindow.
func (a *Service) Login(ctx context.Context, name, password string) (*Session, error) {
	// Attempts on one account are checked one at a time in this process,
	// so that parallel guesses each see the failures before them and the
	// lock-out stops them after MaxFailedLogins; across processes, the
	// lock is checked again in the transaction that records the login.
	mu := &a.loginMu[loginStripe(name)]
	mu.Lock()
	defer mu.Unlock()
	sys, err := a.log.SystemSigner()
	if err != nil {
		return nil, err
	}
	fail := func(reason string, failErr error) (*Session, error) {
		var lockErr error
		err := a.log.Write(ctx, func(tx *sql.Tx) error {
			d := authData{User: name, Reason: reason}
			subject := register.UserSubject(name)
			if reason == "unknown_user" {
				// The typed name may be a password typed in the wrong field:
				// never record it.
				d.User, subject = "", ""
			}
			if _, err := a.log.AppendTx(ctx, tx, sys, register.Record{Action: "auth.fail", Subject: subject, Data: d}); err != nil {
				return err
			}
			if reason != "bad_password" {
				return nil
			}
			_, n, err := a.lockState(ctx, tx, name)
			if err != nil || n < MaxFailedLogins {
				return err
			}
			until := a.log.Now().Add(LockDuration)
			if _, err := a.log.AppendTx(ctx, tx, sys, register.Record{Action: "auth.lock", Subject: subject,
				Data: authData{User: name, Until: register.FormatTime(until), Fails: n}}); err != nil {
				return err
			}
			// R-INC-1: a locked account (possibly a guessing attack) is an
			// incident the security manager sees.
			if _, err := a.log.AppendTx(ctx, tx, sys, register.Record{Action: "incident", Subject: subject,
				Data: map[string]any{"kind": "account_locked", "detail": fmt.Sprintf("compte %s verrouillé après %d échecs de connexion", name, n)}}); err != nil {
				return err
			}
			lockErr = errorf(register.ErrLocked, "err.user.account_now_locked", "Name", name, "Fails", n, "Until", until.In(a.log.Location()).Format("15:04"))
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
	cred, err := readCredentials(ctx, a.log.ReadDB(), name)
	if errors.Is(err, errNoCredentials) {
		// As long as a wrong password: the time of a failure does not tell
		// whether the name exists.
		spendPasswordCheck(password)
		return fail("unknown_user", errorf(register.ErrLogin, "err.user.login_failed"))
	}
	if err != nil {
		return nil, err
	}
	u, err := a.user(ctx, a.log.ReadDB(), name)
	if errors.Is(err, register.ErrNotFound) {
		return fail("unknown_user", errorf(register.ErrLogin, "err.user.login_failed"))
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return fail("disabled", errorf(register.ErrDisabled, "err.user.account_disabled", "Name", name))
	}
	if !u.LockedUntil.IsZero() {
		return fail("locked", errorf(register.ErrLocked, "err.user.account_locked_after", "Name", name, "Until", u.LockedUntil.In(a.log.Location()).Format("15:04")))
	}
	ok, err := checkPassword(cred.phc, password)
	if err != nil {
		return fail("bad_credentials_row", fmt.Errorf("account: credentials of %q are damaged: %w", name, err))
	}
	if !ok {
		return fail("bad_password", errorf(register.ErrLogin, "err.user.login_failed"))
	}
	// The row must be the one the register committed to: a password hash
	// or a key swapped in table users opens nothing (issue 16).
	if !cred.matches(u) {
		return fail("credentials_edited", errorf(register.ErrTampered, "err.user.credentials_edited", "Name", name))
	}
	if u.OneTime {
		// R-KEY-1: a one-time password opens a session without a key, for
		// the person to set their own password; nothing is recorded until
		// they do (user.key).
		return &Session{User: name, Role: u.Role, oneTime: true, commit: u.commit}, nil
	}
	priv, err := openKey(name, password, cred.kdf, cred.box)
	if err != nil || !priv.Public().(ed25519.PublicKey).Equal(u.PublicKey) {
		return fail("key_mismatch", fmt.Errorf("account: the signing key of %q does not match the register", name))
	}
	sess := &Session{User: name, Role: u.Role, Fingerprint: u.Fingerprint, priv: priv, commit: u.commit}
	err = a.log.Write(ctx, func(tx *sql.Tx) error {
		// Locked or disabled meanwhile (by another process's failures or
		// an administrator): the right password does not open it.
		now, err := a.user(ctx, tx, name)
		if err != nil {
			return err
		}
		switch {
		case now.Disabled:
			return errorf(register.ErrDisabled, "err.user.account_disabled", "Name", name)
		case !now.LockedUntil.IsZero():
			return errorf(register.ErrLocked, "err.user.account_locked_after", "Name", name, "Until", now.LockedUntil.In(a.log.Location()).Format("15:04"))
		}
		_, err = a.log.AppendTx(ctx, tx, sess.signer(), register.Record{Action: "auth.login", Subject: register.UserSubject(name), Data: authData{User: name}})
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

func (sess *Session) signer() *register.Signer {
	return register.NewSigner(sess.User, sess.Role, sess.priv)
}

// CheckSession checks outside a transaction that the session may perform
// op now (see SignerTx).
func (a *Service) CheckSession(ctx context.Context, sess *Session, op string) error {
	_, err := a.signerFor(ctx, a.log.ReadDB(), sess, op)
	return err
}

// SignerTx returns the signer of the session's user for op, inside the
// transaction that appends the entry: the session is open, the account is
// neither disabled nor locked, and its role allows op.
func (a *Service) SignerTx(ctx context.Context, tx *sql.Tx, sess *Session, op string) (*register.Signer, error) {
	return a.signerFor(ctx, tx, sess, op)
}

// signerFor checks that the session's user may perform op now: the
// session is open, the account is neither disabled nor locked, and its
// role allows op.
func (a *Service) signerFor(ctx context.Context, q register.Querier, sess *Session, op string) (*register.Signer, error) {
	if sess.OneTime() {
		return nil, errorf(register.ErrPasswordChange, "err.user.set_own_password_first", "Name", sess.User)
	}
	if sess == nil || sess.priv == nil {
		return nil, errorf(register.ErrLogin, "err.user.log_first")
	}
	u, err := a.user(ctx, q, sess.User)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errorf(register.ErrDisabled, "err.user.account_disabled", "Name", sess.User)
	}
	if !u.LockedUntil.IsZero() {
		return nil, errorf(register.ErrLocked, "err.user.account_locked_until", "Name", sess.User, "Until", u.LockedUntil.In(a.log.Location()).Format("15:04"))
	}
	if u.Role != sess.Role || u.Fingerprint != sess.Fingerprint {
		return nil, errorf(register.ErrLogin, "err.user.account_changed_since", "Name", sess.User)
	}
	if err := u.Role.Allow(op); err != nil {
		return nil, err
	}
	return sess.signer(), nil
}

// lockState replays the recent authentication entries of a user: the end
// of a running lock (zero when not locked) and the failures that count
// towards the next one.
func (a *Service) lockState(ctx context.Context, q register.Querier, name string) (time.Time, int, error) {
	now := a.log.Now()
	since := now.Add(-max(FailWindow, LockDuration))
	rows, err := q.QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries WHERE subject = ? AND action IN ('auth.fail', 'auth.login', 'auth.lock', 'user.unlock', 'user.key', 'user.reset') AND time >= ? ORDER BY seq`,
		register.UserSubject(name), register.FormatTime(since))
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("account: read logins: %w", err)
	}
	es, err := register.ScanEntries(rows)
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
		case "auth.login", "user.unlock", "user.key", "user.reset":
			fails, until = nil, time.Time{}
		case "auth.lock":
			fails = nil
			until, _ = register.ParseTime(d.Until)
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
