package papers

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"mileo.tech/extract/internal/sheet"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// Service prints the documents of the register and reads the register
// for them. Every document of a case is recorded in the case before it is
// rendered ([procedure.CaseService.RecordPrint]); an export of the whole
// register is itself an entry.
type Service struct {
	st *procedure.Store
}

// New returns the papers of the procedure st.
func New(st *procedure.Store) *Service { return &Service{st: st} }

// Documents that can be printed for a case: the document a case.print
// entry names.
const (
	DocSheet         = "sheet"
	DocReceipt       = "receipt"
	DocLabel         = "label"
	DocRefusalLetter = "refusal_letter" // the letter that answers a refused access request
	DocPasswordSheet = "password_sheet" // the separate password sheet of an encrypted export
)

// Confidentiality is printed on media labels (R-DLV-2).
const Confidentiality = "CONFIDENTIEL — données personnelles"

// PrintOptions select the language of printed documents.
type PrintOptions struct {
	Lang string // "fr" (default) or "en"
}

func errorf(kind error, key string, kv ...any) error {
	return register.NewError(kind, key, kv...)
}

func (p *Service) sheetOptions(o PrintOptions) sheet.Options {
	return sheet.Options{Lang: o.Lang, Loc: p.st.Location(), Software: p.st.Software()}
}

// Site returns the site name recorded at initialization.
func (p *Service) Site(ctx context.Context) (string, error) {
	var raw []byte
	err := p.st.ReadDB().QueryRowContext(ctx, `SELECT body FROM entries WHERE seq = 1`).Scan(&raw)
	if err == sql.ErrNoRows {
		return "", errorf(register.ErrNotInitialized, "err.register.not_initialized")
	}
	if err != nil {
		return "", fmt.Errorf("register: %w", err)
	}
	b, err := register.DecodeBody(raw)
	if err != nil {
		return "", err
	}
	var d register.InitData
	if err := json.Unmarshal(b.Data, &d); err != nil {
		return "", err
	}
	return d.Site, nil
}

// printedCheckpoint is the checkpoint as printed: the signed note, then the
// site verifier key on its own line (see SPEC.md).
func (p *Service) printedCheckpoint(ctx context.Context) (sheet.Checkpoint, error) {
	cp, err := p.st.WriteCheckpoint(ctx)
	if err != nil {
		return sheet.Checkpoint{}, err
	}
	vkey, err := p.st.VerifierKey()
	if err != nil {
		return sheet.Checkpoint{}, err
	}
	return sheet.Checkpoint{Text: string(cp.Note) + register.KeyLinePrefix + vkey + "\n", Size: cp.Size, Hash: cp.HashHex()}, nil
}

// person is who took decision d, with the key that signed it (which may
// since have been revoked and replaced: R-KEY-1).
func person(d *procedure.Decision) sheet.Person {
	if d == nil {
		return sheet.Person{}
	}
	return sheet.Person{Name: d.By, Role: d.Role.Title(), KeyFingerprint: register.FormatFingerprint(d.Fingerprint)}
}

func (p *Service) sheetCase(ctx context.Context, c *procedure.Case) (sheet.Case, error) {
	site, err := p.Site(ctx)
	if err != nil {
		return sheet.Case{}, err
	}
	users, err := register.ReadRoster(ctx, p.st.ReadDB())
	if err != nil {
		return sheet.Case{}, err
	}
	sc := sheet.Case{
		Number: c.Number, Reason: c.Reason.Title(), ReasonDetail: c.Detail,
		Requester: c.Requester.Name, RequesterOrg: c.Requester.Org, RequesterContact: c.Requester.Contact,
		Recipient: c.Recipient, Received: c.Received, Cameras: c.Cameras, Justification: c.Justification,
		State: c.State.Title(), Site: site,
	}
	if c.RequisitionRef != "" {
		sc.ReasonDetail = strings.TrimSpace(c.Detail + " — réquisition " + c.RequisitionRef)
	}
	if c.PersonalErased {
		const erased = "[effacé en fin de conservation]"
		for _, p := range []*string{&sc.Requester, &sc.RequesterContact, &sc.Recipient, &sc.Justification} {
			if *p == "" {
				*p = erased
			}
		}
	}
	sc.Range.Start, sc.Range.End = c.Range.Start, c.Range.End
	if ex := c.LastExport(); ex != nil {
		sc.Operator = person(&ex.Decision)
		for _, f := range ex.Files {
			sc.Files = append(sc.Files, sheet.File{Name: f.Name, Size: f.Size, SHA256: f.SHA256,
				Duration: time.Duration(f.DurationMS) * time.Millisecond, Reencoded: f.Reencoded, Anonymized: f.Anonymized})
		}
	} else {
		sc.Operator = sheet.Person{Name: c.FiledBy}
		if u := users.Signatory(c.FiledBy); u != nil {
			sc.Operator = sheet.Person{Name: u.Name, Role: u.Role.Title()}
			if u.Key != nil {
				sc.Operator.KeyFingerprint = register.FormatFingerprint(u.Key.Fingerprint)
			}
		}
	}
	if a := c.Authorization; a != nil {
		if a.Basis == "requisition" {
			if c.Acknowledged != nil {
				sc.Authorizer = person(c.Acknowledged)
			}
			sc.Authorizer.Role = strings.TrimSpace(sc.Authorizer.Role + " — réquisition judiciaire " + a.RequisitionRef + " valant autorisation")
		} else {
			sc.Authorizer = person(&a.Decision)
		}
	}
	for _, e := range c.Entries {
		sc.Entries = append(sc.Entries, sheetEntry(e, p.st.Location(), false))
	}
	return sc, nil
}

// sheetEntry maps an entry for printing; withCase prefixes the summary with
// the case number (whole register).
func sheetEntry(e *register.Entry, loc *time.Location, withCase bool) sheet.Entry {
	sum := Summary(e, loc)
	if withCase && procedure.CheckCaseNumber(e.Subject) == nil {
		sum = e.Subject + " — " + sum
	}
	return sheet.Entry{Seq: e.Seq, Time: e.Time, Actor: e.Actor, Role: e.Role.Title(), Action: e.Action,
		Summary: sum, Hash: e.HashHex()}
}
