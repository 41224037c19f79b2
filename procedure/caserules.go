package procedure

import (
	"context"
	"fmt"
	"strings"

	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// ExportStartData is the data of a case.export.start entry.
type ExportStartData struct {
	OutDir    string    `json:"out_dir"`
	Cameras   []string  `json:"cameras"`
	Range     vms.Range `json:"range"`
	Source    string    `json:"source"`
	Encrypt   bool      `json:"encrypt"`
	Anonymize bool      `json:"anonymize"`
	OnSite    bool      `json:"on_site,omitempty"`
	Emergency bool      `json:"emergency,omitempty"`
	Copy      string    `json:"copy"`
}

// Verify verifies the register (see [register.Store.Verify]) with the
// checks of the packages built on it: the procedure of every case
// (caseRules) and the accounts' credentials against the user entries
// ([account.Service.Check]). Every front end verifies through it.
func (s *Store) Verify(ctx context.Context, opt register.VerifyOptions) (*register.Report, error) {
	opt.Checks = append(opt.Checks, caseRules{}, s.Accounts.Check())
	return s.Store.Verify(ctx, opt)
}

// caseRules replays each case to check that the procedure was followed,
// even by someone signing entries outside the program (SPEC.md §7).
type caseRules map[string]*caseProgress

type caseProgress struct {
	confirmed, authorized, requisition, refused, exported, closed, viewed bool
}

// Entry checks one entry of a case against the steps before it.
func (r caseRules) Entry(e *register.Entry) string {
	if e.Action == "footage.view" {
		if p := r[e.Subject]; p != nil {
			p.viewed = true
		}
		return ""
	}
	if !strings.HasPrefix(e.Action, "case.") {
		return ""
	}
	p := r[e.Subject]
	if e.Action == "case.new" {
		r[e.Subject] = &caseProgress{}
		if p != nil {
			return fmt.Sprintf("case %s opened twice", e.Subject)
		}
		return ""
	}
	if p == nil {
		return fmt.Sprintf("%s on case %s, which was never opened", e.Action, e.Subject)
	}
	var problem string
	if p.closed && e.Action != "case.print" && e.Action != "case.attach" && e.Action != "case.ack" &&
		e.Action != "case.use_end" && e.Action != "case.judicial_closed" {
		problem = fmt.Sprintf("%s on case %s after it was closed", e.Action, e.Subject)
	}
	switch e.Action {
	case "case.confirm":
		p.confirmed = true
	case "case.authorize", "case.requisition":
		if !p.confirmed {
			problem = fmt.Sprintf("case %s authorized before range and cameras were confirmed", e.Subject)
		}
		p.authorized = true
		p.requisition = p.requisition || e.Action == "case.requisition"
	case "case.attach":
		var d register.AttachData
		if e.Decode(&d) == nil && d.Kind == KindRequisitionScan && !p.requisition {
			problem = fmt.Sprintf("a requisition scan attached to case %s, which has no judicial requisition", e.Subject)
		}
	case "case.refuse":
		p.refused = true
	case "case.export.start":
		var d ExportStartData
		_ = e.Decode(&d)
		switch {
		case p.refused:
			problem = fmt.Sprintf("export of case %s started after its refusal", e.Subject)
		case !p.authorized && !d.Emergency:
			problem = fmt.Sprintf("export of case %s started without authorization nor emergency", e.Subject)
		case !p.confirmed:
			problem = fmt.Sprintf("export of case %s started before range and cameras were confirmed", e.Subject)
		}
	case "case.export":
		p.exported = true
	case "case.deliver":
		var d struct {
			Support string `json:"support"`
		}
		_ = e.Decode(&d)
		switch {
		case d.Support == SupportOnSite && !p.exported && !(p.authorized && p.viewed && !p.refused):
			// R-ENC-1 (rev.): viewing on site needs no export, but an
			// authorization and the viewing in the application.
			problem = fmt.Sprintf("case %s viewed on site without authorization or without a viewing recorded", e.Subject)
		case d.Support != SupportOnSite && !p.exported:
			problem = fmt.Sprintf("case %s delivered before any export", e.Subject)
		}
	case "case.close":
		p.closed = true
	}
	return problem
}

// Done has nothing left to check once every entry was seen.
func (caseRules) Done(context.Context, register.Querier) ([]*register.VerifyError, error) {
	return nil, nil
}
