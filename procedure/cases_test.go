package procedure_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/i18n"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// R-REQ-1: a request has one reason from the closed list; nothing else.
func TestReasonsClosedList(t *testing.T) {
	for _, s := range []string{"judicial", "incident", "insurance", "access", "rgpd", "police"} {
		if _, err := ParseReason(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "curiosity", "marketing", "hr", "other"} {
		if _, err := ParseReason(s); !errors.Is(err, register.ErrInvalid) {
			t.Errorf("%q accepted", s)
		}
	}
	f := proceduretest.New(t)
	r := f.Request(ReasonInsurance)
	r.Reason = "curiosity"
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, r); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("case with reason %q: %v", r.Reason, err)
	}
}

// R-REQ-2: the request records reason, requester, recipient, range,
// cameras, justification and reception date; range and cameras are
// confirmed with the requester before anything else.
func TestRequestRequiredFields(t *testing.T) {
	f := proceduretest.New(t)
	tests := []struct {
		name  string
		strip func(r *Request)
	}{
		{"requester", func(r *Request) { r.Requester.Name = " " }},
		{"contact", func(r *Request) { r.Requester.Contact = "" }},
		{"recipient", func(r *Request) { r.Recipient = "" }},
		{"received", func(r *Request) { r.Received = time.Time{} }},
		{"received in the future", func(r *Request) { r.Received = proceduretest.T0.Add(48 * time.Hour) }},
		{"range", func(r *Request) { r.Range = vms.Range{} }},
		{"inverted range", func(r *Request) { r.Range.Start, r.Range.End = r.Range.End, r.Range.Start }},
		{"cameras", func(r *Request) { r.Cameras = []string{" ", ""} }},
		{"justification", func(r *Request) { r.Justification = "\n" }},
		{"requisition on a non-judicial request", func(r *Request) { r.RequisitionRef = "PV 1" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.Request(ReasonInsurance)
			tt.strip(&r)
			if _, err := f.Store.Cases.New(f.Ctx, f.Op, r); !errors.Is(err, register.ErrInvalid) {
				t.Fatalf("accepted without %s: %v", tt.name, err)
			}
		})
	}
	c, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonInsurance))
	if err != nil {
		t.Fatal(err)
	}
	if c.State != StateRequested || c.Requester.Org != "Commissariat de Créteil" || c.Justification == "" || c.Received.IsZero() {
		t.Fatalf("case %+v", c)
	}
	// No authorization before the confirmation step.
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, ""); !errors.Is(err, register.ErrState) {
		t.Fatalf("authorized before confirmation: %v", err)
	}
	if _, err := f.Store.Cases.Confirm(f.Ctx, f.Op, c.Number, ConfirmInput{How: "téléphone"}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("confirmation without whom: %v", err)
	}
	narrower := vms.Range{Start: c.Range.Start.Add(10 * time.Minute), End: c.Range.End}
	c, err = f.Store.Cases.Confirm(f.Ctx, f.Op, c.Number, ConfirmInput{How: "téléphone", With: "Brigadier Durand", Range: narrower, Cameras: []string{"cam2"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != StateConfirmed || !c.Range.Start.Equal(narrower.Start) || strings.Join(c.Cameras, ",") != "cam2" || c.Confirmation.With != "Brigadier Durand" {
		t.Fatalf("confirmation not applied: %+v", c)
	}
	if _, err := f.Store.Cases.Confirm(f.Ctx, f.Op, c.Number, ConfirmInput{How: "x", With: "y"}); !errors.Is(err, register.ErrState) {
		t.Fatalf("second confirmation: %v", err)
	}
}

// R-REQ-3: an access request records how, by whom and why the identity and
// legitimacy were checked.
func TestAccessRequestIdentity(t *testing.T) {
	f := proceduretest.New(t)
	r := f.Request(ReasonAccess)
	r.Identity = nil
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, r); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("access request without identity check: %v", err)
	}
	r.Identity = &IdentityCheck{Method: "CNI", CheckedBy: "o.martin"}
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, r); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("access request without legitimacy: %v", err)
	}
	r = f.Request(ReasonInsurance)
	r.Identity = &IdentityCheck{Method: "CNI", CheckedBy: "o.martin", Legitimacy: "x"}
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, r); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("identity check on a non-access request: %v", err)
	}
	c, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonAccess))
	if err != nil {
		t.Fatal(err)
	}
	if c.Identity == nil || c.Identity.Method == "" || c.Identity.CheckedBy != "o.martin" {
		t.Fatalf("identity check not recorded: %+v", c.Identity)
	}
}

// R-REQ-4: each request opens a case numbered EXT-YYYY-NNNN, per local year.
func TestCaseNumbers(t *testing.T) {
	f := proceduretest.New(t)
	for i, want := range []string{"EXT-2026-0001", "EXT-2026-0002", "EXT-2026-0003"} {
		c, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(Reasons[i]))
		if err != nil {
			t.Fatal(err)
		}
		if c.Number != want || c.Opened.IsZero() {
			t.Fatalf("case %d: %s, want %s", i, c.Number, want)
		}
	}
	// New Year's Eve 23:30 UTC is already 2027 in Paris.
	f.Clock.Advance(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC).Sub(f.Clock.Now()))
	r := f.Request(ReasonIncident)
	r.Received = f.Clock.Now()
	c, err := f.Store.Cases.New(f.Ctx, f.Op, r)
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "EXT-2027-0001" {
		t.Fatalf("first case of 2027: %s", c.Number)
	}
	list, err := f.Store.Cases.List(f.Ctx, f.DPO)
	if err != nil || len(list) != 4 || list[0].Number != "EXT-2027-0001" {
		t.Fatalf("list: %v %v", list, err)
	}
	for _, bad := range []string{"EXT-26-1", "ext-2026-0001", "EXT-2026-001", "../x"} {
		if _, err := f.Store.Cases.Get(f.Ctx, f.Op, bad); !errors.Is(err, register.ErrInvalid) {
			t.Errorf("case %q: %v", bad, err)
		}
	}
	if _, err := f.Store.Cases.Get(f.Ctx, f.Op, "EXT-2026-0099"); !errors.Is(err, register.ErrNotFound) {
		t.Errorf("missing case: %v", err)
	}
}

// R-AUTH-1: only the security manager or the delegate authorize, before
// the export; an operator never, not even their own request.
func TestOperatorCannotAuthorize(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.Op, c.Number, "je m'autorise"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator authorized own request: %v", err)
	}
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.Admin, c.Number, ""); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin authorized: %v", err)
	}
	// No export without the authorization.
	if _, err := f.Store.Cases.Export(f.Ctx, f.Op, c.Number, ExportOptions{OutDir: t.TempDir(), Encrypt: true}); !errors.Is(err, register.ErrNotAuthorized) {
		t.Fatalf("export before authorization: %v", err)
	}
	// PROC-VMS-006 §02: the attempt is declared in the compliance register.
	if ins, err := f.Store.Incidents.List(f.Ctx, f.RS); err != nil || len(ins) != 1 || ins[0].Kind != incident.ExportWithoutAuthorization || ins[0].Case != c.Number || ins[0].By != "o.martin" {
		t.Fatalf("incidents after a refused export: %+v %v", ins, err)
	}
	f.Designate("d.petit")
	if _, err := f.Store.Cases.StandIn(f.Ctx, f.Del, c.Number, "absent"); err != nil {
		t.Fatal(err)
	}
	c, err := f.Store.Cases.Authorize(f.Ctx, f.Del, c.Number, "accord du délégué")
	if err != nil {
		t.Fatal(err)
	}
	if c.State != StateAuthorized || c.Authorization.By != "d.petit" || c.Authorization.Role != register.RoleDelegate || c.Authorization.Note != "accord du délégué" {
		t.Fatalf("authorization: %+v", c.Authorization)
	}
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, ""); !errors.Is(err, register.ErrState) {
		t.Fatalf("second authorization: %v", err)
	}
}

// R-REQ-1 (rev.), R-AUTH-2: a formal police request without requisition
// is its own reason, carries no requisition reference and waits for the
// security manager like any request; only a judicial requisition
// authorizes itself.
func TestPoliceRequestIsNotRequisition(t *testing.T) {
	if r, err := ParseReason("police"); err != nil || r != ReasonPolice {
		t.Fatalf("police: %v %v", r, err)
	}
	if r, err := ParseReason("requisition"); err != nil || r != ReasonJudicial {
		t.Fatalf("requisition: %v %v", r, err)
	}
	f := proceduretest.New(t)
	r := f.Request(ReasonPolice)
	r.RequisitionRef = "PV 2026/00999"
	if _, err := f.Store.Cases.New(f.Ctx, f.Op, r); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("police request with a requisition reference: %v", err)
	}
	c := f.NewCase(ReasonPolice)
	if c.State != StateConfirmed || c.Authorization != nil || !c.NeedsAuthorization() {
		t.Fatalf("police request authorized itself: %s %+v", c.State, c.Authorization)
	}
	if got := i18n.New("fr").T("title.reason.police"); !strings.Contains(got, "sans réquisition") {
		t.Fatalf("title %q", got)
	}
}

// R-AUTH-1 (rev.), R-SOD-1: the admin creates a delegate's account, but
// only the security manager's signed designation lets it decide, and only
// after stating on the case that the security manager is unavailable. The
// admin cannot designate, an operator cannot be designated, a revoked
// delegate decides nothing, and verify accepts the whole story.
func TestDelegateDesignatedAndStandingIn(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.Del, c.Number, "seul"); !errors.Is(err, register.ErrForbidden) || !strings.Contains(i18n.New("fr").Err(err), "désigné") {
		t.Fatalf("undesignated delegate authorized: %v", err)
	}
	if err := f.Store.Delegates.Designate(f.Ctx, f.Admin, "d.petit"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the admin designated a delegate: %v", err)
	}
	if err := f.Store.Delegates.Designate(f.Ctx, f.RS, "o.martin"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("an operator designated as delegate: %v", err)
	}
	f.Designate("d.petit")
	if ds, err := f.Store.Delegates.List(f.Ctx, f.Op); err != nil || len(ds) != 1 || ds[0].User != "d.petit" || ds[0].By != "rs.bernard" {
		t.Fatalf("designations: %+v %v", ds, err)
	}
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.Del, c.Number, "non"); !errors.Is(err, register.ErrState) || !strings.Contains(i18n.New("fr").Err(err), "indisponibilité") {
		t.Fatalf("delegate decided without stating the RS unavailable: %v", err)
	}
	if _, err := f.Store.Cases.StandIn(f.Ctx, f.Del, c.Number, "parti déjeuner"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("free-text stand-in reason: %v", err)
	}
	if _, err := f.Store.Cases.StandIn(f.Ctx, f.RS, c.Number, "absent"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the RS stood in for themself: %v", err)
	}
	if err := f.Store.Delegates.Revoke(f.Ctx, f.RS, "d.petit"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Cases.StandIn(f.Ctx, f.Del, c.Number, "unreachable"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("revoked delegate stood in: %v", err)
	}
	f.Designate("d.petit")
	if _, err := f.Store.Cases.StandIn(f.Ctx, f.Del, c.Number, "unreachable"); err != nil {
		t.Fatal(err)
	}
	c, err := f.Store.Cases.Authorize(f.Ctx, f.Del, c.Number, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.StandIn == nil || c.StandIn.Why != "unreachable" || c.StandIn.By != "d.petit" || c.Authorization.By != "d.petit" {
		t.Fatalf("stand-in %+v authorization %+v", c.StandIn, c.Authorization)
	}
	// The security manager decides without any of this.
	c2 := f.NewCase(ReasonIncident)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c2.Number, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.Verify(register.VerifyOptions{}).Err(); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// R-AUTH-2: a judicial requisition counts as authorization; the case
// records its reference and the security manager gets a visible task.
func TestRequisitionIsAuthorization(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonJudicial)
	if c.State != StateAuthorized || c.Authorization == nil || c.Authorization.Basis != "requisition" || c.Authorization.RequisitionRef != "PV 2026/00123" {
		t.Fatalf("requisition not counted as authorization: %+v %+v", c.State, c.Authorization)
	}
	tasks := c.Tasks()
	if len(tasks) != 1 || tasks[0].Kind != "judicial_notification" || tasks[0].For != register.RoleSecurityManager {
		t.Fatalf("tasks %+v", tasks)
	}
	list, _ := f.Store.Cases.List(f.Ctx, f.RS)
	if len(list) != 1 || len(list[0].Tasks) != 1 {
		t.Fatalf("task not visible in the list: %+v", list)
	}
	if f.CountActions("task.notify") != 1 {
		t.Fatal("no notification entry")
	}
	if _, err := f.Store.Cases.Acknowledge(f.Ctx, f.Op, c.Number); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator acknowledged: %v", err)
	}
	c, err := f.Store.Cases.Acknowledge(f.Ctx, f.RS, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tasks()) != 0 || c.Acknowledged.By != "rs.bernard" {
		t.Fatalf("task still open: %+v", c.Tasks())
	}
	// A judicial request without requisition reference needs an authorization.
	r := f.Request(ReasonJudicial)
	r.RequisitionRef = ""
	c2, err := f.Store.Cases.New(f.Ctx, f.Op, r)
	if err != nil {
		t.Fatal(err)
	}
	c2, err = f.Store.Cases.Confirm(f.Ctx, f.Op, c2.Number, ConfirmInput{How: "courriel", With: "OPJ"})
	if err != nil || c2.State != StateConfirmed {
		t.Fatalf("judicial without requisition: %v %v", c2.State, err)
	}
}

// R-AUTH-4: a request can be refused with a reason; a refused case cannot
// export.
func TestRefusal(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.RS, c.Number, " "); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("refusal without reason: %v", err)
	}
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.Op, c.Number, "non"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator refused: %v", err)
	}
	c, err := f.Store.Cases.Refuse(f.Ctx, f.RS, c.Number, "demande disproportionnée")
	if err != nil {
		t.Fatal(err)
	}
	if c.State != StateRefused || c.Refusal.Note != "demande disproportionnée" {
		t.Fatalf("refusal %+v", c.Refusal)
	}
	_, err = f.Store.Cases.Export(f.Ctx, f.Op, c.Number, ExportOptions{OutDir: t.TempDir(), Encrypt: true})
	if !errors.Is(err, register.ErrNotAuthorized) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("export of a refused case: %v", err)
	}
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, ""); !errors.Is(err, register.ErrState) {
		t.Fatalf("authorized after refusal: %v", err)
	}
	if _, err := f.Store.Delivery.Deliver(f.Ctx, f.Op, c.Number, DeliverInput{Support: SupportUSB}); !errors.Is(err, register.ErrState) {
		t.Fatalf("delivery of a refused case: %v", err)
	}
	c, err = f.Store.Cases.Close(f.Ctx, f.Op, c.Number, "")
	if err != nil || c.State != StateClosed {
		t.Fatalf("close refused case: %v", err)
	}
}

func TestCloseRules(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Close(f.Ctx, f.Op, c.Number, ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("close without delivery nor note: %v", err)
	}
	c, err := f.Store.Cases.Close(f.Ctx, f.Op, c.Number, "demande retirée par l'assureur")
	if err != nil || c.State != StateClosed || c.Closed.Note == "" {
		t.Fatalf("close: %v", err)
	}
	if _, err := f.Store.Cases.Close(f.Ctx, f.Op, c.Number, "x"); !errors.Is(err, register.ErrState) {
		t.Fatalf("second close: %v", err)
	}
}

// Access requests need an anonymizer unless viewed on site (R-ANON-1);
// external recipients need encryption (R-ENC-1).
func TestExportPreconditions(t *testing.T) {
	f := proceduretest.New(t)
	acc := f.NewCase(ReasonAccess)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, acc.Number, ""); err != nil {
		t.Fatal(err)
	}
	_, err := f.Store.Cases.Export(f.Ctx, f.DPO, acc.Number, ExportOptions{OutDir: t.TempDir(), Encrypt: true})
	if !errors.Is(err, register.ErrNeedsAnonymizer) {
		t.Fatalf("access export without anonymizer: %v", err)
	}
	ins := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, ins.Number, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Cases.Export(f.Ctx, f.Op, ins.Number, ExportOptions{OutDir: t.TempDir()}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("clear export to an insurer: %v", err)
	}
	if _, err := f.Store.Cases.Export(f.Ctx, f.Op, ins.Number, ExportOptions{OutDir: t.TempDir(), OnSite: true}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("on-site viewing of an insurance case: %v", err)
	}
	if _, err := f.Store.Cases.Export(f.Ctx, f.Op, ins.Number, ExportOptions{OutDir: t.TempDir(), Encrypt: true, Emergency: "urgent"}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("emergency on an authorized case: %v", err)
	}
	if _, err := f.Store.Cases.Export(f.Ctx, f.Admin, ins.Number, ExportOptions{OutDir: t.TempDir(), Encrypt: true}); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("export by the admin: %v", err)
	}
}
