package account

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"mileo.tech/extract/register"
)

// The designated delegate (R-AUTH-1, R-SOD-1). The admin creates an account
// with the delegate role, but only the security manager's signed
// designation lets it decide; the procedure also has it state, case by
// case, that the security manager is unavailable.

type designationData struct {
	User string `json:"user"`
}

// Delegation is the designation of a delegate by the security manager.
type Delegation struct {
	User string
	By   string // the security manager who designated
	At   time.Time
	Seq  int64
}

// Delegates keeps the designations of delegates.
type Delegates struct{ a *Service }

// Delegates returns the designations service.
func (a *Service) Delegates() *Delegates { return &Delegates{a} }

// Designate records that the security manager designates the delegate
// account user (R-AUTH-1): the account exists, has the delegate role and
// is enabled.
func (d *Delegates) Designate(ctx context.Context, sess *Session, user string) error {
	return d.record(ctx, sess, user, "delegate.designate")
}

// Revoke ends a designation.
func (d *Delegates) Revoke(ctx context.Context, sess *Session, user string) error {
	return d.record(ctx, sess, user, "delegate.revoke")
}

func (d *Delegates) record(ctx context.Context, sess *Session, user, action string) error {
	a := d.a
	user = strings.TrimSpace(user)
	return a.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := a.SignerTx(ctx, tx, sess, register.OpDesignate)
		if err != nil {
			return err
		}
		users, err := register.ReadRoster(ctx, tx, user)
		if err != nil {
			return err
		}
		u := users.Signatory(user)
		switch {
		case u == nil || u.Disabled:
			return errorf(register.ErrNotFound, "err.delegate.no_account", "User", user)
		case u.Role != register.RoleDelegate:
			return errorf(register.ErrInvalid, "err.delegate.not_delegate_role", "User", user)
		}
		active, err := Designated(ctx, tx)
		if err != nil {
			return err
		}
		_, on := active[user]
		switch {
		case action == "delegate.designate" && on:
			return errorf(register.ErrState, "err.delegate.already", "User", user)
		case action == "delegate.revoke" && !on:
			return errorf(register.ErrState, "err.delegate.not_designated", "User", user)
		}
		_, err = a.log.AppendTx(ctx, tx, sg, register.Record{Action: action, Subject: register.UserSubject(user), Data: designationData{User: user}})
		return err
	})
}

// List returns the delegates designated now, by name.
func (d *Delegates) List(ctx context.Context, sess *Session) ([]Delegation, error) {
	if err := d.a.CheckSession(ctx, sess, register.OpReadCase); err != nil {
		return nil, err
	}
	m, err := Designated(ctx, d.a.log.ReadDB())
	if err != nil {
		return nil, err
	}
	var out []Delegation
	for _, x := range m {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b Delegation) int { return strings.Compare(a.User, b.User) })
	return out, nil
}

// Designated folds the designations still in force, by user.
func Designated(ctx context.Context, q register.Querier) (map[string]Delegation, error) {
	es, err := register.EntriesByAction(ctx, q, "delegate.designate", "delegate.revoke")
	if err != nil {
		return nil, err
	}
	m := map[string]Delegation{}
	for _, e := range es {
		var d designationData
		if err := e.Decode(&d); err != nil {
			return nil, err
		}
		if e.Action == "delegate.designate" {
			m[d.User] = Delegation{User: d.User, By: e.Actor, At: e.Time, Seq: e.Seq}
		} else {
			delete(m, d.User)
		}
	}
	return m, nil
}
