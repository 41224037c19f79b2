package procedure

import (
	"context"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/export"
	"mileo.tech/extract/register"
)

// The final check of an anonymized export (R-ANON-2 rev., R-ANON-4): after
// rendering, means that did not build the plan list the spans of frames
// where a face or a head may still be readable. The export of an access
// request is verified, and may be handed over, only once a person has
// settled every suspect: looked at it and found nothing readable
// ("checked"), or covered it in the review and exported again. A file
// whose check could not run is never verified.

// FileCheck is the final check of one anonymized file of an export.
type FileCheck struct {
	Camera string
	File   string
	// Check is nil when no final check ran on the file.
	Check *export.FinalCheck
	// Settled maps a suspect's id to the person who marked it checked.
	Settled map[int]Decision
}

// Pending is what still stands between an anonymized file and
// "verified": a suspect nobody settled, or a check that did not run
// (Suspect nil, Error says why).
type Pending struct {
	Camera  string
	File    string
	Suspect *export.Suspect
	Error   string
}

type settleData struct {
	File    string `json:"file"`
	Camera  string `json:"camera"`
	Suspect int    `json:"suspect"`
	How     string `json:"how"` // "checked"
}

// Unsettled lists what keeps the export's anonymization from being
// verified; empty for an export that anonymized nothing.
func (x *ExportRecord) Unsettled() []Pending {
	var out []Pending
	for _, f := range x.Files {
		if !f.Anonymized {
			continue
		}
		var fc *FileCheck
		for i := range x.Checks {
			if x.Checks[i].File == f.Name {
				fc = &x.Checks[i]
			}
		}
		switch {
		case fc == nil || fc.Check == nil:
			out = append(out, Pending{Camera: f.Camera, File: f.Name, Error: "no final check"})
		case fc.Check.Error != "":
			out = append(out, Pending{Camera: f.Camera, File: f.Name, Error: fc.Check.Error})
		default:
			for i := range fc.Check.Suspects {
				sp := &fc.Check.Suspects[i]
				if _, ok := fc.Settled[sp.ID]; !ok {
					out = append(out, Pending{Camera: f.Camera, File: f.Name, Suspect: sp})
				}
			}
		}
	}
	return out
}

// Verified reports whether the export is complete and, when it
// anonymized, every suspect of its final check is settled.
func (x *ExportRecord) Verified() bool {
	return x.Complete && len(x.Unsettled()) == 0
}

// Settle records that the person looked at a suspect of the last export's
// final check and found no readable face or head there (R-ANON-2 rev.).
// A suspect that shows one is not settled here: the reviewer covers it in
// the review and exports again.
func (svc *CaseService) Settle(ctx context.Context, sess *account.Session, number, file string, suspect int) (*Case, error) {
	s := svc.s
	file = strings.TrimSpace(file)
	return s.caseStep(ctx, sess, number, register.OpHandle, func(c *Case) ([]register.Record, error) {
		x := c.LastExport()
		if x == nil || c.State != StateExported {
			return nil, errorf(register.ErrState, "err.check.nothing_to_settle", "Number", number)
		}
		for _, p := range x.Unsettled() {
			if p.File != file {
				continue
			}
			if p.Suspect == nil {
				return nil, errorf(register.ErrState, "err.check.not_run", "File", file)
			}
			if p.Suspect.ID == suspect {
				return []register.Record{{Action: "case.settle", Data: settleData{File: file, Camera: p.Camera, Suspect: suspect, How: "checked"}}}, nil
			}
		}
		return nil, errorf(register.ErrNotFound, "err.check.no_suspect", "File", file, "ID", suspect)
	})
}

// foldCheck adds a file's final check, or a settled suspect, to the last
// export of the case.
func (c *Case) foldCheck(e *register.Entry, d *anonymizeData, st *settleData) {
	x := c.LastExport()
	if x == nil {
		return
	}
	if d != nil {
		var fc *export.FinalCheck
		if d.Document != nil {
			fc = d.Document.Check
		}
		x.Checks = append(x.Checks, FileCheck{Camera: d.Camera, File: d.File, Check: fc, Settled: map[int]Decision{}})
		return
	}
	for i := range x.Checks {
		if x.Checks[i].File == st.File {
			x.Checks[i].Settled[st.Suspect] = decision(e)
		}
	}
}
