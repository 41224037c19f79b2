package procedure

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// The designated delegate (R-AUTH-1, R-SOD-1). The admin creates an account
// with the delegate role, but only the security manager's signed
// designation lets it decide, and only when the security manager is
// unavailable, which the delegate states on the case before deciding.

// Why the security manager is unavailable: a closed list, so that no free
// text about a person enters the signed chain.
var StandInReasons = []string{"absent", "unreachable", "conflict"}

type designationData struct {
	User string `json:"user"`
}

type standInData struct {
	Why string `json:"rs_unavailable"`
}

// StandIn is the delegate's statement that the security manager is
// unavailable for a case's decision.
type StandIn struct {
	Decision
	Why string // one of StandInReasons
}

// Delegation is the designation of a delegate by the security manager.
type Delegation struct {
	User       string
	Designated Decision
}

// DelegateService keeps the designations of delegates.
type DelegateService struct{ s *Store }

// Designate records that the security manager designates the delegate
// account user (R-AUTH-1): the account exists, has the delegate role and
// is enabled.
func (svc *DelegateService) Designate(ctx context.Context, sess *account.Session, user string) error {
	return svc.designate(ctx, sess, user, "delegate.designate")
}

// Revoke ends a designation.
func (svc *DelegateService) Revoke(ctx context.Context, sess *account.Session, user string) error {
	return svc.designate(ctx, sess, user, "delegate.revoke")
}

func (svc *DelegateService) designate(ctx context.Context, sess *account.Session, user, action string) error {
	s := svc.s
	user = strings.TrimSpace(user)
	return s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpDesignate)
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
		active, err := s.delegations(ctx, tx)
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
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: action, Subject: "user:" + user, Data: designationData{User: user}})
		return err
	})
}

// List returns the delegates designated now, by name.
func (svc *DelegateService) List(ctx context.Context, sess *account.Session) ([]Delegation, error) {
	if err := svc.s.Accounts.CheckSession(ctx, sess, register.OpReadCase); err != nil {
		return nil, err
	}
	m, err := svc.s.delegations(ctx, svc.s.ReadDB())
	if err != nil {
		return nil, err
	}
	var out []Delegation
	for _, d := range m {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Delegation) int { return strings.Compare(a.User, b.User) })
	return out, nil
}

// delegations folds the designations still in force.
func (s *Store) delegations(ctx context.Context, q register.Querier) (map[string]Delegation, error) {
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
			m[d.User] = Delegation{User: d.User, Designated: decision(e)}
		} else {
			delete(m, d.User)
		}
	}
	return m, nil
}

// StandIn records that the security manager is unavailable for the
// decision on a case, signed by the designated delegate who will decide
// (R-AUTH-1). Why is one of StandInReasons.
func (svc *CaseService) StandIn(ctx context.Context, sess *account.Session, number, why string) (*Case, error) {
	s := svc.s
	why = strings.TrimSpace(why)
	if !slices.Contains(StandInReasons, why) {
		return nil, errorf(register.ErrInvalid, "err.delegate.stand_in_reason")
	}
	return s.caseStepQ(ctx, sess, number, register.OpAuthorize, func(c *Case, q register.Querier) ([]register.Record, error) {
		if sess.Role != register.RoleDelegate {
			return nil, errorf(register.ErrForbidden, "err.delegate.only_delegate")
		}
		if err := s.checkDesignated(ctx, q, sess); err != nil {
			return nil, err
		}
		if !c.NeedsAuthorization() {
			return nil, errorf(register.ErrState, "err.case.case_cannot_authorized", "Number", number, "State", i18n.Key("err.state."+string(c.State)))
		}
		return []register.Record{{Action: "case.standin", Data: standInData{Why: why}}}, nil
	})
}

// checkDelegate: a delegate decides only when designated by the security
// manager and after stating on the case that the security manager is
// unavailable (R-AUTH-1). The security manager is not concerned.
func (s *Store) checkDelegate(ctx context.Context, q register.Querier, c *Case, sess *account.Session) error {
	if sess.Role != register.RoleDelegate {
		return nil
	}
	if err := s.checkDesignated(ctx, q, sess); err != nil {
		return err
	}
	if c.StandIn == nil || c.StandIn.By != sess.User {
		return errorf(register.ErrState, "err.delegate.stand_in_first", "Number", c.Number)
	}
	return nil
}

func (s *Store) checkDesignated(ctx context.Context, q register.Querier, sess *account.Session) error {
	m, err := s.delegations(ctx, q)
	if err != nil {
		return err
	}
	if _, ok := m[sess.User]; !ok {
		return errorf(register.ErrForbidden, "err.delegate.not_designated_self")
	}
	return nil
}
