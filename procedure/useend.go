package procedure

import (
	"context"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// The events the purge deadlines of a case's copies count from (R-PRG-2
// rev.), recorded when they happen: the end of the legitimate use of the
// footage (the recipient confirmed receipt, the internal investigation is
// over…), and, for a judicial or police request, the closing of the
// judicial procedure, declared when the authority says so. Closing our
// case is neither.

// EndUse records the end of the legitimate use of the case's footage:
// its copies are due 30 days later (PROC-RGPD-001 §04). It is recorded
// once, after the export.
func (svc *CaseService) EndUse(ctx context.Context, sess *account.Session, number, note string) (*Case, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, errorf(register.ErrInvalid, "err.use_end.say_why")
	}
	return svc.s.caseStep(ctx, sess, number, register.OpHandle, func(c *Case) ([]register.Record, error) {
		switch {
		case len(c.Exports) == 0:
			return nil, errorf(register.ErrState, "err.use_end.no_export", "Number", number)
		case c.UseEnded != nil:
			return nil, errorf(register.ErrState, "err.use_end.already", "Number", number)
		}
		return []register.Record{{Action: retention.ActionUseEnded, Personal: casePersonal{Note: note}}}, nil
	})
}

// DeclareJudicialClosed records that the authority closed the judicial
// procedure that motivated a judicial or police request, with the
// reference of its notice: every copy of the case is due at once
// (PROC-RGPD-001 §04).
func (svc *CaseService) DeclareJudicialClosed(ctx context.Context, sess *account.Session, number, ref string) (*Case, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, errorf(register.ErrInvalid, "err.judicial_closed.ref")
	}
	return svc.s.caseStep(ctx, sess, number, register.OpHandle, func(c *Case) ([]register.Record, error) {
		switch {
		case c.Reason != ReasonJudicial && c.Reason != ReasonPolice:
			return nil, errorf(register.ErrInvalid, "err.judicial_closed.not_judicial", "Number", number, "Reason", i18n.Key("title.reason."+string(c.Reason)))
		case c.JudicialClosed != nil:
			return nil, errorf(register.ErrState, "err.judicial_closed.already", "Number", number)
		}
		return []register.Record{{Action: retention.ActionJudicialClosed, Personal: casePersonal{Note: ref}}}, nil
	})
}
