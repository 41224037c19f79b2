package papers

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"mileo.tech/extract/internal/i18n"
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
	// DocRecipientLetter is the letter that goes with an encrypted
	// archive: what it holds, how to open and check it (R-DLV-1 rev.).
	DocRecipientLetter = "recipient_letter"
	// DocAnswerLetter answers an access request with the copy and what
	// GDPR art. 15 requires (R-DL-1).
	DocAnswerLetter = "answer_letter"
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

// sheetCase maps a case onto the sheet's (R-REG-3 rev.): every fact, the
// titles in the print's language, the personal data or "erased" once they
// were, the operator who exported (or filed) and the person who decided.
// It hands on the people it read, for the document's other persons.
func (p *Service) sheetCase(ctx context.Context, c *procedure.Case, o PrintOptions) (sheet.Case, people, error) {
	site, pp, err := p.siteAndPeople(ctx, o)
	if err != nil {
		return sheet.Case{}, people{}, err
	}
	return p.caseFacts(c, site, pp), pp, nil
}

// siteAndPeople reads what every document of a print shares: the site and
// the persons, once.
func (p *Service) siteAndPeople(ctx context.Context, o PrintOptions) (string, people, error) {
	site, err := p.Site(ctx)
	if err != nil {
		return "", people{}, err
	}
	pp, err := p.people(ctx, langOf(o))
	return site, pp, err
}

// caseFacts maps a case onto the sheet's, with the site and persons read.
// Cameras are printed by their display names, as the export recorded
// them (issue #20).
func (p *Service) caseFacts(c *procedure.Case, site string, pp people) sheet.Case {
	lang := pp.lang
	f := &facts{people: pp, cat: i18n.New(lang), c: c}
	cams := c.Cameras
	if x := c.LastExport(); x != nil {
		cams = make([]string, len(c.Cameras))
		for i, id := range c.Cameras {
			cams[i] = x.CameraLabel(id)
		}
	}
	sc := sheet.Case{
		Number: c.Number, Reason: f.title("reason", string(c.Reason)), ReasonDetail: c.Detail,
		Requester: c.Requester.Name, RequesterOrg: c.Requester.Org, RequesterContact: c.Requester.Contact,
		Recipient: c.Recipient, Received: c.Received, Cameras: cams, Justification: c.Justification,
		State: f.title("state", string(c.State)), Site: site, Erased: c.PersonalErased,
		Range: sheet.Range{Start: c.Range.Start, End: c.Range.End},
	}
	f.fill(&sc)
	// The two signatories: who exported (else who filed), and who decided
	// (else who took note of the requisition).
	switch {
	case c.LastExport() != nil:
		sc.Operator = f.person(&c.LastExport().Decision)
	case sc.Filed != nil:
		sc.Operator = sc.Filed.By
	}
	switch {
	case sc.Decision != nil:
		sc.Authorizer = sc.Decision.By
	case sc.Requisition != nil && sc.Requisition.Acknowledged != nil:
		sc.Authorizer = sc.Requisition.Acknowledged.By
	}
	for _, e := range c.Entries {
		sc.Entries = append(sc.Entries, sheetEntry(lang, e, p.st.Location(), false))
	}
	return sc
}

// sheetEntry maps an entry for printing; withCase prefixes the summary with
// the case number (whole register).
func sheetEntry(lang string, e *register.Entry, loc *time.Location, withCase bool) sheet.Entry {
	sum := SummaryIn(lang, e, loc)
	if withCase && procedure.CheckCaseNumber(e.Subject) == nil {
		sum = e.Subject + " — " + sum
	}
	return sheet.Entry{Seq: e.Seq, Time: e.Time, Actor: e.Actor, Role: procedure.TitleIn(lang, "role", string(e.Role)), Action: e.Action,
		Summary: sum, Hash: e.HashHex()}
}

// people are the persons of the documents as printed in one language.
type people struct {
	lang string
	// names maps each account's user name to the person's full name, for
	// the accounts that have one (R-REG-3 rev.); documents print the user
	// name of the others.
	names map[string]string
}

// people reads the accounts' full names once, for documents in lang.
func (p *Service) people(ctx context.Context, lang string) (people, error) {
	r, err := register.ReadRoster(ctx, p.st.ReadDB())
	if err != nil {
		return people{}, err
	}
	pp := people{lang: lang, names: map[string]string{}}
	for _, s := range r.Signatories() {
		if s.FullName != "" {
			pp.names[s.Name] = s.FullName
		}
	}
	return pp, nil
}

// named is the account login acting as role, as documents print it: the
// person's full name (else the login), the login, the role's title.
func (pp people) named(login string, role register.Role) sheet.Person {
	name := login
	if n, ok := pp.names[login]; ok {
		name = n
	}
	return sheet.Person{Name: name, Login: login, Role: procedure.TitleIn(pp.lang, "role", string(role))}
}
