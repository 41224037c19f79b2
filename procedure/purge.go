package procedure

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"mileo.tech/extract/internal/workdir"
)

// Incident kinds of the compliance register (R-REG-6).
const (
	IncidentExportWithoutAuthorization = "export_without_authorization"
	IncidentPurgeOverdue               = "purge_overdue"
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

// Incidents returns the compliance register: every incident, oldest first.
func (svc *IncidentService) List(ctx context.Context, sess *account.Session) ([]Incident, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return s.incidents(ctx, s.ReadDB())
}

// ReportIncident records an incident declared by a user.
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

// Purge methods. Declared methods are done by a person on a medium;
// program methods are done and verified by the program.
const (
	PurgeOverwrite    = "overwrite"    // declared or program: data overwritten
	PurgeFormat       = "format"       // declared: secure format of a medium
	PurgeDestroy      = "destroy"      // declared: physical destruction
	PurgeCryptoErase  = "crypto-erase" // program: key destroyed, ciphertext removed (NIST SP 800-88 purge)
	PurgeDeleteVerify = "overwrite-delete"
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
	Purge     *PurgeRecord
	Incident  int64 // entry of the overdue incident, 0 if none
}

// Overdue reports whether the copy is past its deadline and not purged.
func (c *Copy) Overdue(now time.Time) bool { return c.Purge == nil && now.After(c.Deadline) }

// PurgeRecord is the purge of a copy.
type PurgeRecord struct {
	Decision
	Method   string
	Declared bool // declared by the person who did it (media)
	Verified bool // checked by the program
	Files    int
}

type copyData struct {
	ID       string    `json:"id"`
	Case     string    `json:"case,omitempty"`
	Kind     CopyKind  `json:"kind"`
	Location string    `json:"location"`
	MediaID  string    `json:"media_id,omitempty"`
	Deadline time.Time `json:"deadline"`
	Basis    string    `json:"basis"`
}

type purgeData struct {
	Copy     string `json:"copy"`
	Method   string `json:"method"`
	Declared bool   `json:"declared,omitempty"`
	Verified bool   `json:"verified,omitempty"`
	Files    int    `json:"files,omitempty"`
	MediaID  string `json:"media_id,omitempty"`
}

// Deadline rules (R-PRG-2).
const (
	InternalPurgeDelay = 48 * time.Hour
	PurgeDelay         = 30 * 24 * time.Hour
)

func purgeDeadline(c *Case, created time.Time) (time.Time, string) {
	if c != nil && c.Internal {
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

func (s *Store) nextCopyID(ctx context.Context, tx *sql.Tx) (string, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entries WHERE action = 'copy.track'`).Scan(&n); err != nil {
		return "", err
	}
	return fmt.Sprintf("CP-%04d", n+1), nil
}

// trackTx records a temporary copy inside tx.
func (s *Store) trackRecord(ctx context.Context, tx *sql.Tx, c *Case, in TrackInput) (register.Record, string, error) {
	id, err := s.nextCopyID(ctx, tx)
	if err != nil {
		return register.Record{}, "", err
	}
	deadline, basis := purgeDeadline(c, s.Now().UTC())
	return register.Record{Action: "copy.track", Subject: in.Case, Data: copyData{ID: id, Case: in.Case, Kind: in.Kind,
		Location: in.Location, MediaID: in.MediaID, Deadline: deadline, Basis: basis}}, id, nil
}

// TrackCopy registers a temporary copy at its creation with its deadline
// (R-PRG-1). ExportCase does it for the export folder; callers use it for
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
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpHandle)
		if err != nil {
			return err
		}
		var c *Case
		if in.Case != "" {
			if c, err = s.loadCase(ctx, tx, in.Case); err != nil {
				return err
			}
		}
		if in.Kind == CopyMedia {
			m, err := s.medium(ctx, tx, in.MediaID)
			if err != nil {
				return err
			}
			if m.Status != MediaAvailable {
				return errorf(register.ErrState, "err.purge.medium_status", "Medium", m.ID, "Status", i18n.Key("media.status."+m.Status))
			}
		}
		r, cid, err := s.trackRecord(ctx, tx, c, in)
		if err != nil {
			return err
		}
		id = cid
		_, err = s.AppendTx(ctx, tx, sg, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.copy(ctx, s.ReadDB(), id)
}

// copies replays copy tracking and purges.
func (s *Store) copies(ctx context.Context, q register.Querier) ([]*Copy, error) {
	es, err := s.entriesByAction(ctx, q, "copy.track", "copy.purge", "case.close", "incident")
	if err != nil {
		return nil, err
	}
	byID := map[string]*Copy{}
	var order []*Copy
	closedJudicial := map[string]time.Time{}
	for _, e := range es {
		switch e.Action {
		case "copy.track":
			var d copyData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c := &Copy{ID: d.ID, Case: d.Case, Kind: d.Kind, Location: d.Location, MediaID: d.MediaID,
				Created: e.Time, Deadline: d.Deadline, Basis: d.Basis, TrackedBy: e.Actor}
			byID[d.ID] = c
			order = append(order, c)
		case "copy.purge":
			var d purgeData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if c := byID[d.Copy]; c != nil && c.Purge == nil {
				c.Purge = &PurgeRecord{Decision: decision(e), Method: d.Method, Declared: d.Declared, Verified: d.Verified, Files: d.Files}
			}
		case "case.close":
			closedJudicial[e.Subject] = e.Time
		case "incident":
			var d incidentData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if c := byID[d.Copy]; c != nil && d.Kind == IncidentPurgeOverdue {
				c.Incident = e.Seq
			}
		}
	}
	// The close of a judicial procedure ends the legitimate use at once.
	for number, t := range closedJudicial {
		var judicial bool
		for _, c := range order {
			if c.Case == number {
				if !judicial {
					cs, err := s.readCase(ctx, q, number, false)
					if err != nil {
						return nil, err
					}
					judicial = cs.Reason == ReasonJudicial
					if !judicial {
						break
					}
				}
				if t.Before(c.Deadline) {
					c.Deadline, c.Basis = t, "PROC-RGPD-001 §04 : clôture de la procédure judiciaire"
				}
			}
		}
	}
	return order, nil
}

func (s *Store) copy(ctx context.Context, q register.Querier, id string) (*Copy, error) {
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
	if err := s.Accounts.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return s.copies(ctx, s.ReadDB())
}

// PurgesDue lists the copies not purged yet, soonest deadline first, and
// records an incident for each newly overdue one (R-PRG-2). Everyone may
// see them.
func (svc *PurgeService) Due(ctx context.Context, sess *account.Session) ([]*Copy, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	if _, err := s.Purges.CheckOverdue(ctx); err != nil {
		return nil, err
	}
	cs, err := s.copies(ctx, s.ReadDB())
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

// CheckOverdue records an incident, signed by the site key, for every copy
// past its deadline that has none yet, and returns the overdue copies. It
// runs at every login.
func (svc *PurgeService) CheckOverdue(ctx context.Context) ([]*Copy, error) {
	s := svc.s
	var overdue []*Copy
	sys, err := s.SystemSigner()
	if err != nil {
		return nil, err
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		cs, err := s.copies(ctx, tx)
		if err != nil {
			return err
		}
		now := s.Now()
		for _, c := range cs {
			if !c.Overdue(now) {
				continue
			}
			overdue = append(overdue, c)
			if c.Incident != 0 {
				continue
			}
			e, err := s.AppendTx(ctx, tx, sys, register.Record{Action: "incident", Subject: c.Case,
				Data: incidentData{Kind: IncidentPurgeOverdue, Case: c.Case, Copy: c.ID,
					Detail: fmt.Sprintf("copie temporaire %s (%s) non purgée à l'échéance du %s", c.ID, c.Kind, c.Deadline.In(s.Location()).Format("02/01/2006 15:04"))}})
			if err != nil {
				return err
			}
			c.Incident = e.Seq
		}
		return nil
	})
	return overdue, err
}

// DeclarePurge records the purge of a copy by the person who did it
// (R-PRG-3): overwrite, format or physical destruction of a medium, or of
// an export folder purged by hand.
func (svc *PurgeService) Declare(ctx context.Context, sess *account.Session, copyID, method string) (*Copy, error) {
	s := svc.s
	switch method {
	case PurgeOverwrite, PurgeFormat, PurgeDestroy:
	default:
		return nil, errorf(register.ErrInvalid, "err.purge.purge_method_overwrite", "Method", method)
	}
	return s.recordPurge(ctx, sess, copyID, purgeData{Method: method, Declared: true})
}

func (s *Store) recordPurge(ctx context.Context, sess *account.Session, copyID string, d purgeData) (*Copy, error) {
	d.Copy = copyID
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpPurge)
		if err != nil {
			return err
		}
		c, err := s.copy(ctx, tx, copyID)
		if err != nil {
			return err
		}
		if c.Purge != nil {
			return errorf(register.ErrState, "err.purge.copy_was_already", "Copy", copyID, "Date", c.Purge.At.In(s.Location()).Format("02/01/2006 15:04"), "By", c.Purge.By)
		}
		d.MediaID = c.MediaID
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "copy.purge", Subject: c.Case, Data: d})
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.WriteCheckpoint(ctx); err != nil {
		return nil, err
	}
	return s.copy(ctx, s.ReadDB(), copyID)
}

// PurgeWorkdir records the crypto-erase of a tracked working folder
// (internal/workdir) that its owner has just erased: key destroyed,
// ciphertext removed, absence checked (R-PRG-3).
func (svc *PurgeService) Workdir(ctx context.Context, sess *account.Session, copyID string) (*Copy, error) {
	s := svc.s
	c, err := s.copy(ctx, s.ReadDB(), copyID)
	if err != nil {
		return nil, err
	}
	if c.Kind != CopyWorkdir {
		return nil, errorf(register.ErrInvalid, "err.purge.copy_working_folder", "Copy", copyID, "Kind", i18n.Key("copy."+string(c.Kind)))
	}
	if _, err := os.Lstat(c.Location); !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("purge %s: %s still exists", copyID, c.Location)
	}
	return s.recordPurge(ctx, sess, copyID, purgeData{Method: PurgeCryptoErase, Verified: true})
}

// PurgeFiles purges an export folder the program controls (R-PRG-3): each
// file is overwritten with random data, synced and removed, the folder is
// removed, and its absence is checked before the purge is recorded.
// Overwriting is reliable on magnetic disks only; on SSDs and copy-on-write
// file systems the export should have been encrypted (then only ciphertext
// remains).
func (svc *PurgeService) Files(ctx context.Context, sess *account.Session, copyID string) (*Copy, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpPurge); err != nil {
		return nil, err
	}
	c, err := s.copy(ctx, s.ReadDB(), copyID)
	if err != nil {
		return nil, err
	}
	if c.Kind != CopyExport {
		return nil, errorf(register.ErrInvalid, "err.purge.copy_declare_purge", "Copy", copyID, "Kind", i18n.Key("copy."+string(c.Kind)))
	}
	if c.Purge != nil {
		return nil, errorf(register.ErrState, "err.purge.copy_was_already2", "Copy", copyID)
	}
	cs, err := s.readCase(ctx, s.ReadDB(), c.Case, true)
	if err != nil {
		return nil, err
	}
	var written []WrittenFile
	found := false
	for _, x := range cs.Exports {
		if x.CopyID == copyID {
			written, found = x.Written, x.Written != nil
		}
	}
	if !found {
		// An export of an earlier version, or one that never finished:
		// nothing says which files are the program's.
		return nil, errorf(register.ErrState, "err.purge.untracked_files", "Copy", copyID, "Dir", c.Location)
	}
	n, kept, err := purgeWritten(ctx, c.Location, written)
	if err != nil {
		return nil, fmt.Errorf("purge %s: %w", copyID, err)
	}
	if len(kept) > 0 {
		return nil, errorf(register.ErrState, "err.purge.changed_files", "Copy", copyID, "Files", strings.Join(kept, ", "))
	}
	return s.recordPurge(ctx, sess, copyID, purgeData{Method: PurgeDeleteVerify, Verified: true, Files: n})
}

// RecordCryptoErase records the crypto-erase of a working folder done by
// internal/workdir (the key was dropped and the files removed).
func (svc *PurgeService) RecordCryptoErase(ctx context.Context, sess *account.Session, copyID string, files int) (*Copy, error) {
	s := svc.s
	return s.recordPurge(ctx, sess, copyID, purgeData{Method: PurgeCryptoErase, Verified: true, Files: files})
}

func overwriteFile(p string) error {
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := io.CopyN(f, rand.Reader, st.Size()); err != nil {
		return err
	}
	return f.Sync()
}

// Removable media inventory (R-PRG-4).

// Media statuses.
const (
	MediaAvailable = "available"
	MediaInUse     = "in_use"    // holds a temporary copy
	MediaDelivered = "delivered" // handed over with an export
	MediaDestroyed = "destroyed"
)

// Medium is a removable medium of the organisation.
type Medium struct {
	ID        string
	Type      string // usb, dvd, hdd
	Note      string
	Status    string
	Added     time.Time
	Case      string // last case it served
	Destroyed *Decision
	Method    string
}

type mediaData struct {
	ID     string `json:"id"`
	Type   string `json:"type,omitempty"`
	Note   string `json:"note,omitempty"`
	Method string `json:"method,omitempty"`
}

// MediaTypes are the kinds of removable media.
var MediaTypes = []string{"usb", "dvd", "hdd"}

func (s *Store) media(ctx context.Context, q register.Querier) ([]*Medium, error) {
	es, err := s.entriesByAction(ctx, q, "media.add", "media.destroy", "copy.track", "copy.purge", "case.deliver")
	if err != nil {
		return nil, err
	}
	byID := map[string]*Medium{}
	var order []*Medium
	for _, e := range es {
		switch e.Action {
		case "media.add":
			var d mediaData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			m := &Medium{ID: d.ID, Type: d.Type, Note: d.Note, Status: MediaAvailable, Added: e.Time}
			byID[d.ID] = m
			order = append(order, m)
		case "media.destroy":
			var d mediaData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.ID]; m != nil {
				dd := decision(e)
				m.Status, m.Destroyed, m.Method = MediaDestroyed, &dd, d.Method
			}
		case "copy.track":
			var d copyData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.MediaID]; m != nil && m.Status != MediaDestroyed {
				m.Status, m.Case = MediaInUse, d.Case
			}
		case "copy.purge":
			var d purgeData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.MediaID]; m != nil && m.Status == MediaInUse {
				if d.Method == PurgeDestroy {
					dd := decision(e)
					m.Status, m.Destroyed, m.Method = MediaDestroyed, &dd, d.Method
				} else {
					m.Status = MediaAvailable
				}
			}
		case "case.deliver":
			var d deliverData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.MediaID]; m != nil {
				m.Status, m.Case = MediaDelivered, e.Subject
			}
		}
	}
	return order, nil
}

func (s *Store) medium(ctx context.Context, q register.Querier, id string) (*Medium, error) {
	ms, err := s.media(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, errorf(register.ErrNotFound, "err.purge.medium_inventory_organisation", "ID", id)
}

// Media lists the removable media inventory.
func (svc *MediaService) List(ctx context.Context, sess *account.Session) ([]*Medium, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return s.media(ctx, s.ReadDB())
}

// AddMedium adds a removable medium of the organisation to the inventory.
func (svc *MediaService) Add(ctx context.Context, sess *account.Session, id, typ, note string) (*Medium, error) {
	s := svc.s
	id = strings.TrimSpace(id)
	if id == "" || len(id) > 64 {
		return nil, errorf(register.ErrInvalid, "err.purge.medium_needs_inventory")
	}
	ok := false
	for _, t := range MediaTypes {
		ok = ok || t == typ
	}
	if !ok {
		return nil, errorf(register.ErrInvalid, "err.purge.medium_type_usb", "Type", typ)
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpPurge)
		if err != nil {
			return err
		}
		if _, err := s.medium(ctx, tx, id); err == nil {
			return errorf(register.ErrInvalid, "err.purge.medium_already_inventory", "ID", id)
		}
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "media.add", Subject: "media:" + id, Data: mediaData{ID: id, Type: typ, Note: note}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.medium(ctx, s.ReadDB(), id)
}

// DestroyMedium records the physical destruction of a medium at the end
// of its life (R-PRG-4), declared by the person who did it.
func (svc *MediaService) Destroy(ctx context.Context, sess *account.Session, id, method string) (*Medium, error) {
	s := svc.s
	if strings.TrimSpace(method) == "" {
		return nil, errorf(register.ErrInvalid, "err.purge.say_how_medium")
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpPurge)
		if err != nil {
			return err
		}
		m, err := s.medium(ctx, tx, id)
		if err != nil {
			return err
		}
		switch m.Status {
		case MediaDestroyed:
			return errorf(register.ErrState, "err.purge.medium_already_destroyed", "ID", id)
		case MediaInUse:
			return errorf(register.ErrState, "err.purge.medium_holds_temporary", "ID", id, "Case", m.Case)
		case MediaDelivered:
			return errorf(register.ErrState, "err.purge.medium_was_handed", "ID", id, "Case", m.Case)
		}
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "media.destroy", Subject: "media:" + id, Data: mediaData{ID: id, Method: method}})
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.WriteCheckpoint(ctx); err != nil {
		return nil, err
	}
	return s.medium(ctx, s.ReadDB(), id)
}

// Retention (R-REG-4).

// ErasePersonal erases the personal data and attachments whose retention
// is over (DPO only), and records which. Nothing is erased before its
// date; the chain stays verifiable because entries only hold salted
// commitments to these data.
func (svc *PurgeService) ErasePersonal(ctx context.Context, sess *account.Session) (int, error) {
	s := svc.s
	var n int
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpErase)
		if err != nil {
			return err
		}
		now := register.FormatTime(s.Now())
		// The stored retention dates are not signed: the data of an entry
		// are erased only once its signed time is also past the retention
		// period (R-REG-4), whatever a changed date says.
		cutoff := register.FormatTime(s.Now().AddDate(-register.RetentionYears, 0, 0))
		var d register.EraseData
		rows, err := tx.QueryContext(ctx, `SELECT seq FROM personal WHERE data IS NOT NULL AND until <= ?
			AND seq IN (SELECT seq FROM entries WHERE time <= ?) ORDER BY seq`, now, cutoff)
		if err != nil {
			return err
		}
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return err
			}
			d.Entries = append(d.Entries, seq)
		}
		rows.Close()
		rows, err = tx.QueryContext(ctx, `SELECT lower(hex(sha256)) FROM attachments WHERE data IS NOT NULL AND until <= ?
			AND seq IN (SELECT seq FROM entries WHERE time <= ?) ORDER BY seq`, now, cutoff)
		if err != nil {
			return err
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return err
			}
			d.Attachments = append(d.Attachments, h)
		}
		rows.Close()
		n = len(d.Entries) + len(d.Attachments)
		if n == 0 {
			return nil
		}
		if _, err := s.AppendTx(ctx, tx, sg, register.Record{Action: "personal.erase", Data: d}); err != nil {
			return err
		}
		for _, seq := range d.Entries {
			if _, err := tx.ExecContext(ctx, `UPDATE personal SET salt = NULL, data = NULL WHERE seq = ?`, seq); err != nil {
				return err
			}
		}
		for _, h := range d.Attachments {
			if _, err := tx.ExecContext(ctx, `UPDATE attachments SET data = NULL WHERE lower(hex(sha256)) = ?`, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && n > 0 {
		// Erased means gone from the disk too, WAL included.
		err = s.Scrub(ctx)
	}
	return n, err
}

type sweepData struct {
	Erased []string `json:"erased"`
	// Removed lists the folders that versions before the encrypted work
	// area left in clear (deleted, not crypto-erased).
	Removed []string `json:"removed,omitempty"`
}

// RecordSweep records, signed by the site key, the working folders of
// crashed jobs that internal/workdir.Sweep crypto-erased at start-up, and
// marks the tracked copies among them as purged.
func (svc *PurgeService) RecordSweep(ctx context.Context, erased []string) error {
	s := svc.s
	return s.recordSweep(ctx, erased, nil)
}

func (s *Store) recordSweep(ctx context.Context, erased, removed []string) error {
	if len(erased)+len(removed) == 0 {
		return nil
	}
	sys, err := s.SystemSigner()
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := s.AppendTx(ctx, tx, sys, register.Record{Action: "workdir.sweep", Data: sweepData{Erased: erased, Removed: removed}}); err != nil {
			return err
		}
		cs, err := s.copies(ctx, tx)
		if err != nil {
			return err
		}
		gone := map[string]bool{}
		for _, p := range erased {
			gone[filepath.Clean(p)] = true
		}
		for _, c := range cs {
			if c.Purge == nil && c.Kind == CopyWorkdir && gone[filepath.Clean(c.Location)] {
				if _, err := s.AppendTx(ctx, tx, sys, register.Record{Action: "copy.purge", Subject: c.Case,
					Data: purgeData{Copy: c.ID, Method: PurgeCryptoErase, Verified: true}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// WorkDirName is the folder of the data folder holding the encrypted
// working folders of running jobs (package internal/workdir).
const WorkDirName = "work"

// WorkDir is the parent folder of working folders: pass it to workdir.New.
func (svc *PurgeService) WorkDir() string { return filepath.Join(svc.s.Dir(), WorkDirName) }

// SweepWorkdirs crypto-erases the working folders left by crashed jobs and
// records them (R-PRG-3). Run it at start-up.
// It also deletes, and records, the folders that versions before the
// encrypted work area left in clear: "preview" (the player's clips) and
// "work/<case number>" (anonymization reviews: clips and face thumbnails).
func (svc *PurgeService) SweepWorkdirs(ctx context.Context) ([]string, error) {
	s := svc.s
	erased, err := workdir.Sweep(s.Purges.WorkDir())
	removed, rerr := s.removeClearFolders()
	err = errors.Join(err, rerr)
	if len(erased)+len(removed) > 0 && s.Initialized() {
		err = errors.Join(err, s.recordSweep(ctx, erased, removed))
	}
	return append(erased, removed...), err
}

// removeClearFolders deletes the clear working folders of earlier
// versions (see SweepWorkdirs) and returns those it deleted.
func (s *Store) removeClearFolders() ([]string, error) {
	var dirs []string
	if fi, err := os.Stat(filepath.Join(s.Dir(), "preview")); err == nil && fi.IsDir() {
		dirs = append(dirs, filepath.Join(s.Dir(), "preview"))
	}
	ents, err := os.ReadDir(s.Purges.WorkDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("register: sweep %s: %w", s.Purges.WorkDir(), err)
	}
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), workdir.Prefix) {
			dirs = append(dirs, filepath.Join(s.Purges.WorkDir(), e.Name()))
		}
	}
	var removed []string
	var errs []error
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			errs = append(errs, fmt.Errorf("register: remove %s: %w", d, err))
			continue
		}
		removed = append(removed, d)
	}
	return removed, errors.Join(errs...)
}
