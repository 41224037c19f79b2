package procedure

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/register"
)

// MaxExtensionMonths is the longest extension of an access request's
// deadline (GDPR art. 12(3): two further months).
const MaxExtensionMonths = 2

type extendData struct {
	Months int `json:"months"`
}

// Extension is the recorded extension of an access request's deadline.
type Extension struct {
	Decision
	Months int
	Told   string // how and when the person was told, with the reason (Note)
}

// Answered reports whether an access request has had its answer: footage
// handed over or viewed on site, or a refusal.
func (c *Case) Answered() bool {
	return len(c.Deliveries) > 0 || c.Refusal != nil
}

// ExtendDeadline extends the deadline of an access request by one or two
// months (GDPR art. 12(3)), with its reason and how the person was told
// (R-DL-1). It is decided by the security manager or the delegate, before
// the deadline, once.
func (svc *CaseService) ExtendDeadline(ctx context.Context, sess *account.Session, number string, months int, reason, told string) (*Case, error) {
	reason, told = strings.TrimSpace(reason), strings.TrimSpace(told)
	switch {
	case months < 1 || months > MaxExtensionMonths:
		return nil, errorf(register.ErrInvalid, "err.deadline.months", "Months", months)
	case reason == "":
		return nil, errorf(register.ErrInvalid, "err.deadline.reason")
	case told == "":
		return nil, errorf(register.ErrInvalid, "err.deadline.told")
	}
	s := svc.s
	return s.caseStep(ctx, sess, number, register.OpAuthorize, func(c *Case) ([]register.Record, error) {
		switch {
		case c.Reason != ReasonAccess:
			return nil, errorf(register.ErrInvalid, "err.deadline.not_access", "Number", number)
		case c.Extension != nil:
			return nil, errorf(register.ErrState, "err.deadline.already", "Number", number)
		case c.Answered() || c.State == StateClosed:
			return nil, errorf(register.ErrState, "err.deadline.answered", "Number", number)
		case s.Now().After(c.AnswerDue()):
			return nil, errorf(register.ErrState, "err.deadline.past", "Number", number)
		}
		return []register.Record{{Action: "case.extend", Data: extendData{Months: months},
			Personal: casePersonal{Note: reason, With: told}}}, nil
	})
}

// CheckAccessDeadlines records an incident, signed by the site key, for
// every access request past its deadline without an answer that has none
// yet, and returns the late cases. It runs at every login (R-DL-1).
func (svc *CaseService) CheckAccessDeadlines(ctx context.Context) ([]string, error) {
	s := svc.s
	sys, err := s.SystemSigner()
	if err != nil {
		return nil, err
	}
	var late []string
	err = s.Write(ctx, func(tx *sql.Tx) error {
		news, err := register.EntriesByAction(ctx, tx, "case.new")
		if err != nil {
			return err
		}
		now := s.Now()
		for _, e := range news {
			var d caseNewData
			if err := e.Decode(&d); err != nil {
				return err
			}
			if d.Reason != ReasonAccess {
				continue
			}
			n := e.Subject
			c, err := s.readCase(ctx, tx, n, false)
			if err != nil {
				return err
			}
			if c.Reason != ReasonAccess || c.Answered() || c.State == StateClosed || !now.After(c.AnswerDue()) {
				continue
			}
			late = append(late, n)
			if c.hasIncident(incident.AccessLate) {
				continue
			}
			if _, err := s.AppendTx(ctx, tx, sys, register.Record{Action: "incident", Subject: n,
				Data: incident.Data{Kind: incident.AccessLate, Case: n,
					Detail: fmt.Sprintf("demande d'accès sans réponse à l'échéance du %s", c.AnswerDue().In(s.Location()).Format("02/01/2006"))}}); err != nil {
				return err
			}
		}
		return nil
	})
	return late, err
}

func (c *Case) hasIncident(kind string) bool {
	for _, i := range c.Incidents {
		if i.Kind == kind {
			return true
		}
	}
	return false
}

// extensionMonths is how many months the deadline was extended by.
func (c *Case) extensionMonths() int {
	if c.Extension == nil {
		return 0
	}
	return c.Extension.Months
}
