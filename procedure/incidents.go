package procedure

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Incident kinds of the compliance register (R-REG-6).
const (
	IncidentExportWithoutAuthorization = "export_without_authorization"
	IncidentPurgeOverdue               = "purge_overdue" // raised by package retention
	IncidentSameChannel                = "same_channel"
	IncidentForbiddenDelivery          = "forbidden_delivery_mode"
	IncidentWorkdirLeftover            = "workdir_leftover"
	IncidentOther                      = "other"
)

// Incident is an entry of the compliance register, with its owner, its
// status and, for a breach, the clock of the DPO's decision (R-INC-1).
type Incident struct {
	Seq    int64
	At     time.Time
	Kind   string
	Case   string
	Detail string
	By     string

	Owner    register.Role // who assesses and closes it
	Status   string        // IncidentOpen, IncidentAssessed, IncidentClosed
	Breach   bool          // a personal-data breach (GDPR art. 33)
	DecideBy time.Time     // breach: when the CNIL decision is due (72 h)
	CNIL     string        // breach: CNILNotify or CNILNotRequired, once decided
	Updates  []IncidentUpdate
}

type incidentData struct {
	Kind   string `json:"kind"`
	Case   string `json:"case,omitempty"`
	Copy   string `json:"copy,omitempty"`
	Detail string `json:"detail"`
}

func incident(kind, number, detail string) register.Record {
	return register.Record{Action: "incident", Subject: number, Data: incidentData{Kind: kind, Case: number, Detail: detail}}
}

// List returns the compliance register: every incident, oldest first.
func (svc *IncidentService) List(ctx context.Context, sess *account.Session) ([]Incident, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return s.incidents(ctx, s.ReadDB())
}

// Report records an incident declared by a user.
func (svc *IncidentService) Report(ctx context.Context, sess *account.Session, number, detail string) error {
	s := svc.s
	if strings.TrimSpace(detail) == "" {
		return errorf(register.ErrInvalid, "err.purge.describe_incident")
	}
	if number != "" {
		if err := CheckCaseNumber(number); err != nil {
			return err
		}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpLogin)
		if err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sg, incident(IncidentOther, number, detail))
		return err
	})
}

// entriesByAction reads the entries of the given actions, oldest first.
func (s *Store) entriesByAction(ctx context.Context, q register.Querier, actions ...string) ([]*register.Entry, error) {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(actions)), ", ")
	args := make([]any, len(actions))
	for i, a := range actions {
		args[i] = a
	}
	rows, err := q.QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries WHERE action IN (`+ph+`) ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("register: read entries: %w", err)
	}
	return register.ScanEntries(rows)
}

// More incident kinds (R-INC-1).
const (
	// IncidentAccountLocked: repeated failed logins locked an account, a
	// possible guessing attack, shown to the security manager.
	IncidentAccountLocked = "account_locked"
	// IncidentBreach: a personal-data breach (lost medium, wrong
	// recipient, leaked password, unblurred third party handed over): the
	// DPO decides within 72 hours whether to notify the CNIL (GDPR art. 33).
	IncidentBreach = "data_breach"
)

// Incident statuses (R-INC-1).
const (
	IncidentOpen     = "open"
	IncidentAssessed = "assessed"
	IncidentClosed   = "closed"
)

// BreachDecisionDelay is the time the DPO has to decide on notifying the
// CNIL of a personal-data breach (GDPR art. 33: 72 hours).
const BreachDecisionDelay = 72 * time.Hour

// CNIL decisions on a breach.
const (
	CNILNotify      = "notify"       // the CNIL is notified
	CNILNotRequired = "not_required" // no risk to people's rights: recorded, not notified
)

type incidentUpdateData struct {
	Incident int64  `json:"incident"`
	Status   string `json:"status"`
	CNIL     string `json:"cnil,omitempty"`
}

// IncidentUpdate is an assessment or the closing of an incident.
type IncidentUpdate struct {
	Decision
	Status string
	CNIL   string
}

// breach reports whether incidents of the kind are personal-data breaches.
func breach(kind string) bool { return kind == IncidentBreach }

// owner is who handles an incident of the kind: the DPO for a breach, the
// security manager otherwise.
func owner(kind string) register.Role {
	if breach(kind) {
		return register.RoleDPO
	}
	return register.RoleSecurityManager
}

// fill sets the owner, the clock and the status of an incident from its
// kind and its updates.
func (i *Incident) fill() {
	i.Owner, i.Breach, i.Status = owner(i.Kind), breach(i.Kind), IncidentOpen
	if i.Breach {
		i.DecideBy = i.At.Add(BreachDecisionDelay)
	}
	for _, u := range i.Updates {
		i.Status = u.Status
		if u.CNIL != "" {
			i.CNIL = u.CNIL
		}
	}
}

// Late reports whether the DPO's decision on a breach is overdue.
func (i *Incident) Late(now time.Time) bool {
	return i.Breach && i.CNIL == "" && now.After(i.DecideBy)
}

// ReportBreach records a personal-data breach (R-INC-1): its 72-hour clock
// starts now, for the DPO's decision on notifying the CNIL.
func (svc *IncidentService) ReportBreach(ctx context.Context, sess *account.Session, number, detail string) (*Incident, error) {
	s := svc.s
	if strings.TrimSpace(detail) == "" {
		return nil, errorf(register.ErrInvalid, "err.incident.describe_breach")
	}
	if number != "" {
		if err := CheckCaseNumber(number); err != nil {
			return nil, err
		}
	}
	var seq int64
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpLogin)
		if err != nil {
			return err
		}
		e, err := s.AppendTx(ctx, tx, sg, incident(IncidentBreach, number, detail))
		if e != nil {
			seq = e.Seq
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return svc.get(ctx, sess, seq)
}

// Assess records the owner's assessment of an incident; for a breach, the
// DPO's decision on notifying the CNIL (CNILNotify or CNILNotRequired) is
// required (R-INC-1).
func (svc *IncidentService) Assess(ctx context.Context, sess *account.Session, seq int64, note, cnil string) (*Incident, error) {
	return svc.update(ctx, sess, seq, IncidentAssessed, note, cnil)
}

// Close closes an incident after its assessment.
func (svc *IncidentService) Close(ctx context.Context, sess *account.Session, seq int64, note string) (*Incident, error) {
	return svc.update(ctx, sess, seq, IncidentClosed, note, "")
}

func (svc *IncidentService) update(ctx context.Context, sess *account.Session, seq int64, status, note, cnil string) (*Incident, error) {
	s := svc.s
	if strings.TrimSpace(note) == "" {
		return nil, errorf(register.ErrInvalid, "err.incident.note")
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpIncident)
		if err != nil {
			return err
		}
		all, err := s.incidents(ctx, tx)
		if err != nil {
			return err
		}
		var in *Incident
		for i := range all {
			if all[i].Seq == seq {
				in = &all[i]
			}
		}
		switch {
		case in == nil:
			return errorf(register.ErrNotFound, "err.incident.not_found", "Seq", seq)
		case in.Owner == register.RoleDPO && sess.Role != register.RoleDPO:
			return errorf(register.ErrForbidden, "err.incident.dpo_only", "Seq", seq)
		case in.Status == IncidentClosed:
			return errorf(register.ErrState, "err.incident.closed", "Seq", seq)
		case status == IncidentClosed && in.Status == IncidentOpen:
			return errorf(register.ErrState, "err.incident.assess_first", "Seq", seq)
		case status == IncidentAssessed && in.Breach && cnil != CNILNotify && cnil != CNILNotRequired:
			return errorf(register.ErrInvalid, "err.incident.cnil_decision", "Seq", seq)
		case status == IncidentAssessed && !in.Breach && cnil != "":
			return errorf(register.ErrInvalid, "err.incident.no_cnil", "Seq", seq)
		}
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "incident.update", Subject: in.Case,
			Data: incidentUpdateData{Incident: seq, Status: status, CNIL: cnil}, Personal: casePersonal{Note: note}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return svc.get(ctx, sess, seq)
}

func (svc *IncidentService) get(ctx context.Context, sess *account.Session, seq int64) (*Incident, error) {
	all, err := svc.List(ctx, sess)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Seq == seq {
			return &all[i], nil
		}
	}
	return nil, errorf(register.ErrNotFound, "err.incident.not_found", "Seq", seq)
}

// incidents folds the incidents and their updates, oldest first.
func (s *Store) incidents(ctx context.Context, q register.Querier) ([]Incident, error) {
	es, err := s.entriesByAction(ctx, q, "incident", "incident.update")
	if err != nil {
		return nil, err
	}
	var out []Incident
	at := map[int64]int{}
	for _, e := range es {
		switch e.Action {
		case "incident":
			var d incidentData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			at[e.Seq] = len(out)
			out = append(out, Incident{Seq: e.Seq, At: e.Time, Kind: d.Kind, Case: d.Case, Detail: d.Detail, By: e.Actor})
		case "incident.update":
			var d incidentUpdateData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if i, ok := at[d.Incident]; ok {
				out[i].Updates = append(out[i].Updates, IncidentUpdate{Decision: Decision{Seq: e.Seq, By: e.Actor, Role: e.Role, At: e.Time}, Status: d.Status, CNIL: d.CNIL})
			}
		}
	}
	for i := range out {
		out[i].fill()
	}
	return out, nil
}
