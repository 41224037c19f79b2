package incident

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Kinds of the compliance register (R-REG-6).
const (
	ExportWithoutAuthorization = "export_without_authorization"
	PurgeOverdue               = "purge_overdue" // raised by package retention
	SameChannel                = "same_channel"
	ForbiddenDelivery          = "forbidden_delivery_mode"
	WorkdirLeftover            = "workdir_leftover"
	Other                      = "other"
	// AccessLate: a data subject's access request was not answered within
	// its deadline (GDPR art. 12(3), R-DL-1).
	AccessLate = "access_late"
	// ExportInterrupted: an export started and never ended (the window
	// closed, the program killed, the computer stopped); what it wrote is
	// not verified and its copy is to be purged. Found at the next login
	// on the computer that ran it, signed by the site key.
	ExportInterrupted = "export_interrupted"
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
	Status   string        // Open, Assessed, Closed
	Breach   bool          // a personal-data breach (GDPR art. 33)
	DecideBy time.Time     // breach: when the CNIL decision is due (72 h)
	CNIL     string        // breach: CNILNotify or CNILNotRequired, once decided
	Updates  []Update
}

// Data is the data of an incident entry.
type Data struct {
	Kind   string `json:"kind"`
	Case   string `json:"case,omitempty"`
	Copy   string `json:"copy,omitempty"`
	Detail string `json:"detail"`
}

// Record is the entry of an incident of that kind about case number (may
// be empty), recorded by the step that raises it, in its transaction.
func Record(kind, number, detail string) register.Record {
	return register.Record{Action: "incident", Subject: number, Data: Data{Kind: kind, Case: number, Detail: detail}}
}

// Service keeps the compliance register: incidents raised by the
// procedure's steps or reported by people, their assessment and closing.
type Service struct {
	log       *register.Store
	acc       *account.Service
	checkCase func(number string) error
}

// New builds the service on the register, whose acts acc signs; checkCase
// says whether a case number is well formed (the procedure's rule).
func New(log *register.Store, acc *account.Service, checkCase func(number string) error) *Service {
	return &Service{log: log, acc: acc, checkCase: checkCase}
}

func errorf(kind error, key string, kv ...any) error {
	return register.NewError(kind, key, kv...)
}

type personal struct {
	Note string `json:"note,omitempty"`
}

// List returns the compliance register: every incident, oldest first.
func (svc *Service) List(ctx context.Context, sess *account.Session) ([]Incident, error) {
	if err := svc.acc.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return svc.fold(ctx, svc.log.ReadDB())
}

// Report records an incident declared by a user.
func (svc *Service) Report(ctx context.Context, sess *account.Session, number, detail string) error {
	if strings.TrimSpace(detail) == "" {
		return errorf(register.ErrInvalid, "err.purge.describe_incident")
	}
	if number != "" {
		if err := svc.checkCase(number); err != nil {
			return err
		}
	}
	return svc.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := svc.acc.SignerTx(ctx, tx, sess, register.OpLogin)
		if err != nil {
			return err
		}
		_, err = svc.log.AppendTx(ctx, tx, sg, Record(Other, number, detail))
		return err
	})
}

// More incident kinds (R-INC-1).
const (
	// AccountLocked: repeated failed logins locked an account, a
	// possible guessing attack, shown to the security manager.
	AccountLocked = "account_locked"
	// Breach: a personal-data breach (lost medium, wrong
	// recipient, leaked password, unblurred third party handed over): the
	// DPO decides within 72 hours whether to notify the CNIL (GDPR art. 33).
	Breach = "data_breach"
)

// Incident statuses (R-INC-1).
const (
	Open     = "open"
	Assessed = "assessed"
	Closed   = "closed"
)

// BreachDecisionDelay is the time the DPO has to decide on notifying the
// CNIL of a personal-data breach (GDPR art. 33: 72 hours).
const BreachDecisionDelay = 72 * time.Hour

// CNIL decisions on a breach.
const (
	CNILNotify      = "notify"       // the CNIL is notified
	CNILNotRequired = "not_required" // no risk to people's rights: recorded, not notified
)

type updateData struct {
	Incident int64  `json:"incident"`
	Status   string `json:"status"`
	CNIL     string `json:"cnil,omitempty"`
}

// Update is an assessment or the closing of an incident: who, when.
type Update struct {
	Seq    int64
	By     string
	Role   register.Role
	At     time.Time
	Status string
	CNIL   string
}

// breach reports whether incidents of the kind are personal-data breaches.
func breach(kind string) bool { return kind == Breach }

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
	i.Owner, i.Breach, i.Status = owner(i.Kind), breach(i.Kind), Open
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
func (svc *Service) ReportBreach(ctx context.Context, sess *account.Session, number, detail string) (*Incident, error) {
	if strings.TrimSpace(detail) == "" {
		return nil, errorf(register.ErrInvalid, "err.incident.describe_breach")
	}
	if number != "" {
		if err := svc.checkCase(number); err != nil {
			return nil, err
		}
	}
	var seq int64
	err := svc.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := svc.acc.SignerTx(ctx, tx, sess, register.OpLogin)
		if err != nil {
			return err
		}
		e, err := svc.log.AppendTx(ctx, tx, sg, Record(Breach, number, detail))
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
func (svc *Service) Assess(ctx context.Context, sess *account.Session, seq int64, note, cnil string) (*Incident, error) {
	return svc.update(ctx, sess, seq, Assessed, note, cnil)
}

// Close closes an incident after its assessment.
func (svc *Service) Close(ctx context.Context, sess *account.Session, seq int64, note string) (*Incident, error) {
	return svc.update(ctx, sess, seq, Closed, note, "")
}

func (svc *Service) update(ctx context.Context, sess *account.Session, seq int64, status, note, cnil string) (*Incident, error) {
	if strings.TrimSpace(note) == "" {
		return nil, errorf(register.ErrInvalid, "err.incident.note")
	}
	err := svc.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := svc.acc.SignerTx(ctx, tx, sess, register.OpIncident)
		if err != nil {
			return err
		}
		all, err := svc.fold(ctx, tx)
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
		case in.Status == Closed:
			return errorf(register.ErrState, "err.incident.closed", "Seq", seq)
		case status == Closed && in.Status == Open:
			return errorf(register.ErrState, "err.incident.assess_first", "Seq", seq)
		case status == Assessed && in.Breach && cnil != CNILNotify && cnil != CNILNotRequired:
			return errorf(register.ErrInvalid, "err.incident.cnil_decision", "Seq", seq)
		case status == Assessed && !in.Breach && cnil != "":
			return errorf(register.ErrInvalid, "err.incident.no_cnil", "Seq", seq)
		}
		_, err = svc.log.AppendTx(ctx, tx, sg, register.Record{Action: "incident.update", Subject: in.Case,
			Data: updateData{Incident: seq, Status: status, CNIL: cnil}, Personal: personal{Note: note}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return svc.get(ctx, sess, seq)
}

func (svc *Service) get(ctx context.Context, sess *account.Session, seq int64) (*Incident, error) {
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
func (svc *Service) fold(ctx context.Context, q register.Querier) ([]Incident, error) {
	es, err := register.EntriesByAction(ctx, q, "incident", "incident.update")
	if err != nil {
		return nil, err
	}
	var out []Incident
	at := map[int64]int{}
	for _, e := range es {
		switch e.Action {
		case "incident":
			var d Data
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			at[e.Seq] = len(out)
			out = append(out, Incident{Seq: e.Seq, At: e.Time, Kind: d.Kind, Case: d.Case, Detail: d.Detail, By: e.Actor})
		case "incident.update":
			var d updateData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if i, ok := at[d.Incident]; ok {
				out[i].Updates = append(out[i].Updates, Update{Seq: e.Seq, By: e.Actor, Role: e.Role, At: e.Time, Status: d.Status, CNIL: d.CNIL})
			}
		}
	}
	for i := range out {
		out[i].fill()
	}
	return out, nil
}

// Next is the step a person of role may take on the incident now
// (Assessed or Closed), or "" with the code of the reason they may not:
// "closed", "owner_dpo" (a breach is the DPO's), "role". Front ends show
// it; [Service.Assess] and [Service.Close] enforce the same rules.
func (in *Incident) Next(role register.Role) (status, blocked string) {
	switch {
	case in.Status == Closed:
		return "", "closed"
	case !role.May(register.OpIncident):
		return "", "role"
	case in.Owner == register.RoleDPO && role != register.RoleDPO:
		return "", "owner_dpo"
	case in.Status == Open:
		return Assessed, ""
	}
	return Closed, ""
}
