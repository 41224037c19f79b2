package procedure

import (
	"context"
	"slices"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// The designated delegate (R-AUTH-1, R-SOD-1). The admin creates an account
// with the delegate role, but only the security manager's signed
// designation ([account.Delegates]) lets it decide, and only when the
// security manager is unavailable, which the delegate states on the case
// before deciding.

// Why the security manager is unavailable: a closed list, so that no free
// text about a person enters the signed chain.
var StandInReasons = []string{"absent", "unreachable", "conflict"}

type standInData struct {
	Why string `json:"rs_unavailable"`
}

// StandIn is the delegate's statement that the security manager is
// unavailable for a case's decision.
type StandIn struct {
	Decision
	Why string // one of StandInReasons
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
	m, err := account.Designated(ctx, q)
	if err != nil {
		return err
	}
	if _, ok := m[sess.User]; !ok {
		return errorf(register.ErrForbidden, "err.delegate.not_designated_self")
	}
	return nil
}
