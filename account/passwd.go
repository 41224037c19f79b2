package account

import (
	"context"
	"crypto/ed25519"
	"database/sql"

	"mileo.tech/extract/register"
)

// SetPassword is the first login of a person whose account an
// administrator created or reset (a session opened with their one-time
// password): they choose their own password, a new signing key is made
// and sealed under it, and its public key is published in a user.key entry
// signed by that key (R-KEY-1). The session then holds the key and may act
// as the person's role allows.
func (a *Service) SetPassword(ctx context.Context, sess *Session, password string) error {
	if !sess.OneTime() {
		return errorf(register.ErrState, "err.user.not_one_time")
	}
	if err := CheckPasswordStrength(sess.User, password); err != nil {
		return err
	}
	old, err := readCredentials(ctx, a.log.ReadDB(), sess.User)
	if err != nil {
		return err
	}
	if reused, _ := checkPassword(old.phc, password); reused {
		return errorf(register.ErrWeakPassword, "err.user.one_time_reused")
	}
	cred, priv, err := newCredentials(sess.User, password)
	if err != nil {
		return err
	}
	err = a.log.Write(ctx, func(tx *sql.Tx) error {
		u, err := a.usable(ctx, tx, sess.User)
		if err != nil {
			return err
		}
		// Reset again, or set by someone else meanwhile: log in again.
		if !u.OneTime || u.commit != sess.commit || u.Role != sess.Role {
			return errorf(register.ErrLogin, "err.user.account_changed_since", "Name", sess.User)
		}
		if err := a.sameRow(ctx, tx, old); err != nil {
			return err
		}
		if err := cred.store(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err = a.log.AppendTx(ctx, tx, register.NewSigner(sess.User, u.Role, priv), register.Record{
			Action: "user.key", Subject: register.UserSubject(sess.User),
			Data: register.UserData{User: sess.User, PublicKey: cred.pubB64(), Fingerprint: register.Fingerprint(cred.pub), Credentials: cred.commit()}})
		return err
	})
	if err != nil {
		clear(priv)
		return err
	}
	sess.priv, sess.Fingerprint, sess.oneTime, sess.commit = priv, register.Fingerprint(cred.pub), false, cred.commit()
	return nil
}

// ChangePassword changes the session's own password, given the current one
// (an unattended session cannot): the signing key stays, sealed under the
// new password, and a user.passwd entry records the change. A session
// opened with a one-time password sets the person's first password instead
// ([Service.SetPassword]).
func (a *Service) ChangePassword(ctx context.Context, sess *Session, current, next string) error {
	if sess.OneTime() {
		return a.SetPassword(ctx, sess, next)
	}
	if err := a.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return err
	}
	if err := CheckPasswordStrength(sess.User, next); err != nil {
		return err
	}
	if next == current {
		return errorf(register.ErrWeakPassword, "err.user.password_unchanged")
	}
	old, err := readCredentials(ctx, a.log.ReadDB(), sess.User)
	if err != nil {
		return err
	}
	if ok, err := checkPassword(old.phc, current); err != nil || !ok {
		return errorf(register.ErrLogin, "err.user.wrong_current_password")
	}
	cred, err := sealed(sess.User, next, sess.priv, sess.priv.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}
	return a.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := a.SignerTx(ctx, tx, sess, register.OpLogin)
		if err != nil {
			return err
		}
		if err := a.sameRow(ctx, tx, old); err != nil {
			return err
		}
		u, err := a.user(ctx, tx, sess.User)
		if err != nil {
			return err
		}
		if !old.matches(u) {
			return errorf(register.ErrTampered, "err.user.credentials_edited", "Name", sess.User)
		}
		if err := cred.store(ctx, tx, a.log.Now()); err != nil {
			return err
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: "user.passwd", Subject: register.UserSubject(sess.User),
			Data: register.UserData{User: sess.User, Credentials: cred.commit()}})
		return err
	})
}

// usable returns the account name, refusing a disabled or locked one.
func (a *Service) usable(ctx context.Context, q register.Querier, name string) (*User, error) {
	u, err := a.user(ctx, q, name)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errorf(register.ErrDisabled, "err.user.account_disabled", "Name", name)
	}
	if !u.LockedUntil.IsZero() {
		return nil, errorf(register.ErrLocked, "err.user.account_locked_until", "Name", name, "Until", u.LockedUntil.In(a.log.Location()).Format("15:04"))
	}
	return u, nil
}

// sameRow checks, in the transaction that replaces it, that the row is
// still the one read (and checked) before it.
func (a *Service) sameRow(ctx context.Context, tx *sql.Tx, old *credentials) error {
	now, err := readCredentials(ctx, tx, old.name)
	if err != nil {
		return err
	}
	if now.commit() != old.commit() {
		return errorf(register.ErrLogin, "err.user.account_changed_since", "Name", old.name)
	}
	return nil
}
