package retention

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// CopyKind is the kind of a temporary copy (R-PRG-1).
type CopyKind string

const (
	// CopyExport is an export folder on the workstation.
	CopyExport CopyKind = "export"
	// CopyMedia is a service removable medium used for duplication.
	CopyMedia CopyKind = "media"
	// CopyWorkdir is an encrypted working folder (package internal/workdir).
	CopyWorkdir CopyKind = "workdir"
)

// Copy is a temporary copy with its purge deadline (R-PRG-1, R-PRG-2).
type Copy struct {
	ID        string
	Case      string
	Kind      CopyKind
	Location  string
	MediaID   string
	Created   time.Time
	Deadline  time.Time
	Basis     string // rule that set the deadline
	TrackedBy string
	// Workstation is the host name of the computer that made the copy:
	// with a shared register, the one where it must be purged.
	Workstation string
	Purge       *PurgeRecord
	Incident    int64 // entry of the overdue incident, 0 if none
}

// Overdue reports whether the copy is past its deadline and not purged.
func (c *Copy) Overdue(now time.Time) bool { return c.Purge == nil && now.After(c.Deadline) }

// TrackData is the data of a copy.track entry.
type TrackData struct {
	ID       string    `json:"id"`
	Case     string    `json:"case,omitempty"`
	Kind     CopyKind  `json:"kind"`
	Location string    `json:"location"`
	MediaID  string    `json:"media_id,omitempty"`
	Deadline time.Time `json:"deadline"`
	Basis    string    `json:"basis"`
	// Workstation is the host name of the computer where the copy is
	// (absent from entries made before the shared register).
	Workstation string `json:"workstation,omitempty"`
}

// Deadline rules (R-PRG-2).
const (
	InternalPurgeDelay = 48 * time.Hour
	PurgeDelay         = 30 * 24 * time.Hour
)

func purgeDeadline(internal bool, created time.Time) (time.Time, string) {
	if internal {
		return created.Add(InternalPurgeDelay), "PROC-VMS-006 §05 : 48 h après la fin d'un export interne"
	}
	return created.Add(PurgeDelay), "PROC-RGPD-001 §04 : 30 jours après la fin de l'usage légitime"
}

// TrackInput describes a temporary copy to track.
type TrackInput struct {
	Case     string // may be empty for working files not tied to a case
	Kind     CopyKind
	Location string
	MediaID  string
}

func nextCopyID(ctx context.Context, tx *sql.Tx) (string, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entries WHERE action = 'copy.track'`).Scan(&n); err != nil {
		return "", err
	}
	return fmt.Sprintf("CP-%04d", n+1), nil
}

// TrackRecord returns the entry that tracks a temporary copy from its
// creation with its purge deadline (R-PRG-1, R-PRG-2), and the copy's ID,
// for a step of the procedure that creates the copy and appends the entry
// in its own transaction tx (the export). internal is the case's
// [CaseFacts].Internal.
func (svc *PurgeService) TrackRecord(ctx context.Context, tx *sql.Tx, in TrackInput, internal bool) (register.Record, string, error) {
	id, err := nextCopyID(ctx, tx)
	if err != nil {
		return register.Record{}, "", err
	}
	deadline, basis := purgeDeadline(internal, svc.s.log.Now().UTC())
	return register.Record{Action: "copy.track", Subject: in.Case, Data: TrackData{ID: id, Case: in.Case, Kind: in.Kind,
		Location: in.Location, MediaID: in.MediaID, Deadline: deadline, Basis: basis, Workstation: svc.s.log.Workstation()}}, id, nil
}

// Track registers a temporary copy at its creation with its deadline
// (R-PRG-1). The export does it for its output folder; callers use it for
// service media and other working copies.
func (svc *PurgeService) Track(ctx context.Context, sess *account.Session, in TrackInput) (*Copy, error) {
	s := svc.s
	switch in.Kind {
	case CopyExport, CopyMedia, CopyWorkdir:
	default:
		return nil, errorf(register.ErrInvalid, "err.purge.unknown_copy_kind", "Kind", in.Kind)
	}
	if in.Kind == CopyMedia && in.MediaID == "" {
		return nil, errorf(register.ErrInvalid, "err.purge.copy_on_medium")
	}
	var id string
	err := s.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.acc.SignerTx(ctx, tx, sess, register.OpHandle)
		if err != nil {
			return err
		}
		internal := false
		if in.Case != "" {
			f, err := s.p.Case(ctx, tx, in.Case, true)
			if err != nil {
				return err
			}
			internal = f.Internal
		}
		if in.Kind == CopyMedia {
			m, err := s.Media.Get(ctx, tx, in.MediaID)
			if err != nil {
				return err
			}
			if m.Status != MediaAvailable {
				return errorf(register.ErrState, "err.purge.medium_status", "Medium", m.ID, "Status", i18n.Key("media.status."+m.Status))
			}
		}
		r, cid, err := svc.TrackRecord(ctx, tx, in, internal)
		if err != nil {
			return err
		}
		id = cid
		_, err = s.log.AppendTx(ctx, tx, sg, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.getCopy(ctx, s.log.ReadDB(), id)
}

// copies replays copy tracking and purges. Each deadline counts from its
// own recorded event (R-PRG-2 rev.): the delay fixed at tracking (48 h for
// an internal export, 30 days otherwise) runs from the export's verified
// end; the end of the legitimate use, once recorded, gives 30 days from
// then (never more than 48 h for an internal export); the declared closing
// of a judicial procedure ends it at once.
func (s *Store) copies(ctx context.Context, q register.Querier) ([]*Copy, error) {
	es, err := register.EntriesByAction(ctx, q, "copy.track", "copy.purge", "case.export", ActionUseEnded, ActionJudicialClosed, "incident")
	if err != nil {
		return nil, err
	}
	byID := map[string]*Copy{}
	var order []*Copy
	delay := map[string]time.Duration{} // the copy's delay, as tracked
	useEnded, judicialClosed := map[string]time.Time{}, map[string]time.Time{}
	for _, e := range es {
		switch e.Action {
		case "copy.track":
			var d TrackData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c := &Copy{ID: d.ID, Case: d.Case, Kind: d.Kind, Location: d.Location, MediaID: d.MediaID,
				Created: e.Time, Deadline: d.Deadline, Basis: d.Basis, TrackedBy: e.Actor, Workstation: d.Workstation}
			byID[d.ID] = c
			delay[d.ID] = d.Deadline.Sub(e.Time).Round(time.Hour)
			order = append(order, c)
		case "case.export":
			id, err := s.p.ExportedCopy(e)
			if err != nil {
				return nil, err
			}
			if c := byID[id]; c != nil {
				c.Deadline = e.Time.Add(delay[id])
				c.Basis += " (à compter de la fin vérifiée de l'export)"
			}
		case ActionUseEnded:
			useEnded[e.Subject] = e.Time
		case ActionJudicialClosed:
			judicialClosed[e.Subject] = e.Time
		case "copy.purge":
			var d PurgeData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if c := byID[d.Copy]; c != nil && c.Purge == nil {
				c.Purge = &PurgeRecord{Decision: decision(e), Method: d.Method, Standard: d.Standard, Declared: d.Declared, Verified: d.Verified, Files: d.Files}
			}
		case "incident":
			id, err := s.p.OverdueCopy(e)
			if err != nil {
				return nil, err
			}
			if c := byID[id]; c != nil && id != "" {
				c.Incident = e.Seq
			}
		}
	}
	for _, c := range order {
		if t, ok := useEnded[c.Case]; ok && c.Case != "" {
			if d := t.Add(PurgeDelay); delay[c.ID] >= PurgeDelay || d.Before(c.Deadline) {
				c.Deadline, c.Basis = d, "PROC-RGPD-001 §04 : 30 jours après la fin de l'usage légitime, déclarée le "+t.Format("02/01/2006")
			}
		}
		if t, ok := judicialClosed[c.Case]; ok && c.Case != "" && t.Before(c.Deadline) {
			c.Deadline, c.Basis = t, "PROC-RGPD-001 §04 : clôture de la procédure judiciaire, déclarée le "+t.Format("02/01/2006")
		}
	}
	return order, nil
}

func (s *Store) getCopy(ctx context.Context, q register.Querier, id string) (*Copy, error) {
	cs, err := s.copies(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, errorf(register.ErrNotFound, "err.purge.there_no_temporary", "ID", id)
}

// Copies lists every tracked copy.
func (svc *PurgeService) Copies(ctx context.Context, sess *account.Session) ([]*Copy, error) {
	s := svc.s
	if err := s.acc.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return s.copies(ctx, s.log.ReadDB())
}

// Due lists the copies not purged yet, soonest deadline first, and
// records an incident for each newly overdue one (R-PRG-2). Everyone may
// see them.
func (svc *PurgeService) Due(ctx context.Context, sess *account.Session) ([]*Copy, error) {
	s := svc.s
	if err := s.acc.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	if _, err := svc.CheckOverdue(ctx); err != nil {
		return nil, err
	}
	cs, err := s.copies(ctx, s.log.ReadDB())
	if err != nil {
		return nil, err
	}
	var out []*Copy
	for _, c := range cs {
		if c.Purge == nil {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deadline.Before(out[j].Deadline) })
	return out, nil
}

// CheckOverdue records an incident of the compliance register, signed by
// the site key, for every copy past its deadline that has none yet, and
// returns the overdue copies. The procedure runs it at every login.
func (svc *PurgeService) CheckOverdue(ctx context.Context) ([]*Copy, error) {
	s := svc.s
	var overdue []*Copy
	sys, err := s.log.SystemSigner()
	if err != nil {
		return nil, err
	}
	err = s.log.Write(ctx, func(tx *sql.Tx) error {
		cs, err := s.copies(ctx, tx)
		if err != nil {
			return err
		}
		now := s.log.Now()
		for _, c := range cs {
			if !c.Overdue(now) {
				continue
			}
			overdue = append(overdue, c)
			if c.Incident != 0 {
				continue
			}
			detail := fmt.Sprintf("copie temporaire %s (%s) non purgée à l'échéance du %s", c.ID, c.Kind, c.Deadline.In(s.log.Location()).Format("02/01/2006 15:04"))
			e, err := s.log.AppendTx(ctx, tx, sys, s.p.OverdueIncident(c, detail))
			if err != nil {
				return err
			}
			c.Incident = e.Seq
		}
		return nil
	})
	return overdue, err
}
