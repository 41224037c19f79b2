package procedure

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// An export holds a lock on a file of the working area from before its
// case.export.start entry until its end is recorded (case.export or
// case.export.fail). A start with no end whose lock nobody holds is an
// export interrupted: the window closed, the program killed, the computer
// stopped. It is found at the next login and recorded as an incident.

// exportHoldPath is the lock file of a running export of case number.
func (s *Store) exportHoldPath(number string) string {
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == os.PathSeparator || r == 0 {
			return '_'
		}
		return r
	}, number)
	return filepath.Join(s.Purges.WorkDir(), "export-"+safe+".lock")
}

// holdExport takes the lock of an export of case number. It fails, with
// what to do, when another process of this computer exports the case.
func (s *Store) holdExport(number string) (*workdir.Hold, error) {
	if err := os.MkdirAll(s.Purges.WorkDir(), 0o700); err != nil {
		return nil, fmt.Errorf("export: working area: %w", err)
	}
	p := s.exportHoldPath(number)
	if held, _ := workdir.Held(p); held {
		return nil, errorf(register.ErrInvalid, "err.export.running", "Number", number)
	}
	h, err := workdir.HoldFile(p)
	if err != nil {
		return nil, errorf(register.ErrInvalid, "err.export.running", "Number", number)
	}
	return h, nil
}

// openStart is an export started and not ended.
type openStart struct {
	seq  int64
	at   string
	data ExportStartData
}

// CheckInterruptedExports records an incident, signed by the site key, for
// every export of this computer that started and never ended while no
// process runs it any more, once per export; it returns the cases. It runs
// at every login (R-REG-1: the register says what happened to every
// export; R-PRG-1: the partial copy stays tracked until it is purged).
func (svc *CaseService) CheckInterruptedExports(ctx context.Context) ([]string, error) {
	s := svc.s
	if !s.Initialized() {
		return nil, nil
	}
	sys, err := s.SystemSigner()
	if err != nil {
		return nil, err
	}
	var found []string
	err = s.Write(ctx, func(tx *sql.Tx) error {
		es, err := register.EntriesByAction(ctx, tx, "case.export.start", "case.export", "case.export.fail", "copy.track", "incident")
		if err != nil {
			return err
		}
		open := map[string][]openStart{}
		where := map[string]string{}  // copy → workstation
		reported := map[string]bool{} // "case|copy" already an incident
		for _, e := range es {
			switch e.Action {
			case "case.export.start":
				var d ExportStartData
				if err := e.Decode(&d); err != nil {
					return err
				}
				open[e.Subject] = append(open[e.Subject], openStart{seq: e.Seq, at: e.Time.In(s.Location()).Format("02/01/2006 15:04"), data: d})
			case "case.export", "case.export.fail":
				// An end belongs to the newest start: the lock makes a
				// computer's exports of a case follow one another.
				if n := len(open[e.Subject]); n > 0 {
					open[e.Subject] = open[e.Subject][:n-1]
				}
			case "copy.track":
				var d retention.TrackData
				if e.Decode(&d) == nil {
					where[d.ID] = d.Workstation
				}
			case "incident":
				var d incident.Data
				if e.Decode(&d) == nil && d.Kind == incident.ExportInterrupted {
					reported[d.Case+"|"+d.Copy] = true
				}
			}
		}
		here := s.Workstation()
		for _, number := range slices.Sorted(maps.Keys(open)) {
			starts := open[number]
			if len(starts) == 0 {
				continue
			}
			if held, _ := workdir.Held(s.exportHoldPath(number)); held {
				// The newest start is running in another process of this
				// computer; earlier ones of the case were interrupted.
				starts = starts[:len(starts)-1]
			}
			for _, st := range starts {
				if ws := where[st.data.Copy]; ws != "" && ws != here {
					continue // the computer that ran it reports it
				}
				if reported[number+"|"+st.data.Copy] {
					continue
				}
				reported[number+"|"+st.data.Copy] = true
				detail := fmt.Sprintf("export commencé le %s (entrée n° %d) et interrompu avant sa fin (fenêtre fermée, programme arrêté ou poste éteint) : rien de ce qu'il a écrit dans %s n'est vérifié ; la copie %s reste à purger (PROC-RGPD-001 §04)",
					st.at, st.seq, st.data.OutDir, st.data.Copy)
				if _, err := s.AppendTx(ctx, tx, sys, register.Record{Action: "incident", Subject: number,
					Data: incident.Data{Kind: incident.ExportInterrupted, Case: number, Copy: st.data.Copy, Detail: detail}}); err != nil {
					return err
				}
				found = append(found, number)
			}
		}
		return nil
	})
	return found, err
}
