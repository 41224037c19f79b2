package procedure_test

import (
	"errors"
	"testing"

	"mileo.tech/extract/anonymize"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/register"
)

// The acts offered on a case are decided by the core, for every front end:
// who may do what in which state, and the next step (R-AUTH-1, R-AUTH-4,
// R-REQ-2, R-DLV-1).
func TestActions(t *testing.T) {
	f := proceduretest.New(t)
	requested, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonInsurance))
	if err != nil {
		t.Fatal(err)
	}
	confirmed := f.NewCase(ReasonInsurance)
	authorized := f.NewCase(ReasonInsurance)
	if authorized, err = f.Store.Cases.Authorize(f.Ctx, f.RS, authorized.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	refused := f.NewCase(ReasonInsurance)
	if refused, err = f.Store.Cases.Refuse(f.Ctx, f.RS, refused.Number, "hors délai"); err != nil {
		t.Fatal(err)
	}
	access := f.NewCase(ReasonAccess)
	if access, err = f.Store.Cases.Authorize(f.Ctx, f.RS, access.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	judicial := f.NewCase(ReasonJudicial) // authorized by its requisition, whose scan is not attached
	accessRefused := f.NewCase(ReasonAccess)
	if accessRefused, err = f.Store.Cases.Refuse(f.Ctx, f.RS, accessRefused.Number, "demande abusive"); err != nil {
		t.Fatal(err)
	}
	extended := f.NewCase(ReasonAccess)
	if extended, err = f.Store.Cases.ExtendDeadline(f.Ctx, f.RS, extended.Number, 2, "images nombreuses", "courriel du 2 mars"); err != nil {
		t.Fatal(err)
	}
	type want struct {
		next    Act
		blocked map[Act]string // acts that must be offered, with their reason ("" = allowed)
		absent  []Act
	}
	for _, tc := range []struct {
		name string
		c    *Case
		role register.Role
		want want
		user string // default x.tester, who did nothing on the cases
	}{
		{"operator, requested", requested, register.RoleOperator, want{ActConfirm,
			map[Act]string{ActConfirm: "", ActExport: BlockedConfirmFirst, ActDeliver: BlockedExportFirst}, []Act{ActAuthorize, ActEmergency}}, ""},
		{"operator, confirmed", confirmed, register.RoleOperator, want{"",
			map[Act]string{ActConfirm: BlockedAlreadyConfirmed, ActExport: BlockedWaitAuthorization, ActEmergency: ""}, []Act{ActAuthorize}}, ""},
		{"security manager, confirmed", confirmed, register.RoleSecurityManager, want{ActAuthorize,
			map[Act]string{ActAuthorize: "", ActExport: BlockedWaitAuthorization}, nil}, ""},
		{"security manager, requested", requested, register.RoleSecurityManager, want{ActConfirm,
			map[Act]string{ActAuthorize: BlockedConfirmFirst}, nil}, ""},
		{"operator, authorized", authorized, register.RoleOperator, want{ActExport,
			map[Act]string{ActExport: "", ActPreview: ""}, []Act{ActEmergency, ActReview}}, ""},
		{"admin, authorized", authorized, register.RoleAdmin, want{"",
			map[Act]string{ActExport: BlockedRole, ActSheet: BlockedRole, ActConfirm: BlockedRole}, []Act{ActAuthorize}}, ""},
		{"operator, refused", refused, register.RoleOperator, want{ActClose,
			map[Act]string{ActExport: BlockedRefused, ActDeliver: BlockedRefused, ActClose: ""}, nil}, ""},
		{"operator, access authorized, not reviewed", access, register.RoleOperator, want{ActReview,
			map[Act]string{ActReview: "", ActExport: ""}, nil}, ""},
		// R-AUTH-2 (rev.): the requisition's scan comes before the export.
		{"operator, requisition without its scan", judicial, register.RoleOperator, want{"",
			map[Act]string{ActExport: BlockedRequisitionScan}, nil}, ""},
		// R-SOD-1: the one who filed the request does not decide on it, the
		// one who authorized does not export.
		{"security manager who filed it", confirmed, register.RoleSecurityManager, want{"",
			map[Act]string{ActAuthorize: BlockedOwnCase}, nil}, "o.martin"},
		{"security manager who authorized it", authorized, register.RoleSecurityManager, want{"",
			map[Act]string{ActExport: BlockedOwnCase}, nil}, "rs.bernard"},
		// R-DL-1: the access request's deadline is extended once, by the
		// security manager; its answer letter waits for a verified export;
		// a refused one has its refusal letter. R-PRG-2 (rev.): the end of
		// use is recorded after the export, the judicial closing for a
		// judicial request.
		{"security manager, access", access, register.RoleSecurityManager, want{ActReview,
			map[Act]string{ActExtend: "", ActAnswerLetter: BlockedExportFirst, ActUseEnded: BlockedExportFirst}, []Act{ActRefusalLetter, ActJudicialClosed}}, ""},
		{"security manager, access extended", extended, register.RoleSecurityManager, want{ActAuthorize,
			map[Act]string{ActExtend: BlockedAlreadyExtended}, nil}, ""},
		{"operator, access", access, register.RoleOperator, want{ActReview,
			map[Act]string{ActAnswerLetter: BlockedExportFirst}, []Act{ActExtend}}, ""},
		{"security manager, access refused", accessRefused, register.RoleSecurityManager, want{ActClose,
			map[Act]string{ActRefusalLetter: ""}, []Act{ActExtend, ActAnswerLetter, ActUseEnded}}, ""},
		{"operator, judicial", judicial, register.RoleOperator, want{"",
			map[Act]string{ActJudicialClosed: ""}, []Act{ActUseEnded, ActAnswerLetter}}, ""},
		{"operator, insurance authorized", authorized, register.RoleOperator, want{ActExport,
			map[Act]string{ActUseEnded: BlockedExportFirst}, []Act{ActJudicialClosed, ActExtend}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := tc.user
			if user == "" {
				user = "x.tester"
			}
			acts, next := tc.c.Actions(user, tc.role)
			if next != tc.want.next {
				t.Errorf("next %q, want %q", next, tc.want.next)
			}
			got := map[Act]string{}
			for _, a := range acts {
				got[a.Act] = a.Blocked
			}
			for a, r := range tc.want.blocked {
				if g, ok := got[a]; !ok || g != r {
					t.Errorf("%s: offered %v, reason %q; want reason %q", a, ok, g, r)
				}
			}
			for _, a := range tc.want.absent {
				if _, ok := got[a]; ok {
					t.Errorf("%s offered to %s", a, tc.role)
				}
			}
		})
	}
}

// A reviewed plan is stored with the case (without the faces' thumbnails)
// so that the window and the command line render the same anonymization;
// it is recorded, verified, and only for an authorized access request
// (R-ANON-3, R-ANON-4).
func TestSaveReview(t *testing.T) {
	f := proceduretest.New(t)
	plan := &anonymize.Plan{Version: 1, Source: anonymize.Source{File: "cam1.mp4", SHA256: "ab12", Width: 640, Height: 480, Frames: 10, FPS: 25},
		Tracks: []anonymize.Track{
			{ID: 1, First: 0, Last: 0, Keep: true, Boxes: []anonymize.FrameBox{{Frame: 0, Box: [4]float64{1, 2, 30, 40}, Score: 0.9}}, Thumb: []byte("JPEG of a face")},
			{ID: 2, First: 3, Last: 3, FalsePositive: true, Boxes: []anonymize.FrameBox{{Frame: 3, Box: [4]float64{5, 6, 20, 20}, Score: 0.5}}},
		}, Reviewer: "o.martin"}

	incident := f.NewCase(ReasonIncident)
	if err := redaction.New(f.Store).SaveReview(f.Ctx, f.Op, incident.Number, "cam1", plan); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("review of an incident case: %v", err)
	}
	access := f.NewCase(ReasonAccess)
	if err := redaction.New(f.Store).SaveReview(f.Ctx, f.Op, access.Number, "cam1", plan); !errors.Is(err, register.ErrState) {
		t.Fatalf("review before the authorization: %v", err)
	}
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, access.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	for _, cam := range []string{"../cam1", ""} {
		if err := redaction.New(f.Store).SaveReview(f.Ctx, f.Op, access.Number, cam, plan); !errors.Is(err, register.ErrInvalid) {
			t.Fatalf("camera %q: %v", cam, err)
		}
	}
	for range 2 { // the same plan twice is one review
		if err := redaction.New(f.Store).SaveReview(f.Ctx, f.Op, access.Number, "cam1", plan); err != nil {
			t.Fatal(err)
		}
	}
	c, err := f.Store.Cases.Get(f.Ctx, f.Op, access.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Reviewed() || len(c.Attachments) != 1 || c.Attachments[0].Kind != KindReviewPlan {
		t.Fatalf("attachments %+v", c.Attachments)
	}
	if _, next := c.Actions("o.martin", register.RoleOperator); next != ActExport {
		t.Fatalf("next after the review %q, want export", next)
	}
	plans, err := redaction.New(f.Store).Plans(f.Ctx, f.RS, access.Number)
	if err != nil {
		t.Fatal(err)
	}
	p := plans["cam1"]
	if p == nil || len(p.Tracks) != 2 || p.Source.SHA256 != "ab12" || !p.Tracks[0].Keep || !p.Tracks[1].FalsePositive {
		t.Fatalf("plan read back %+v", p)
	}
	for _, tr := range p.Tracks {
		if tr.Thumb != nil {
			t.Fatal("a face's thumbnail was stored in the register")
		}
	}
	if plan.Tracks[0].Thumb == nil {
		t.Fatal("SaveReview changed the caller's plan")
	}
	if n := f.CountActions("case.attach"); n != 1 {
		t.Fatalf("%d case.attach entries, want 1", n)
	}
	f.Verify(register.VerifyOptions{})
}

// The export options of a case are decided by the core (R-ENC-1, R-EXP-5,
// R-ANON-1).
func TestExportChoices(t *testing.T) {
	for _, tc := range []struct {
		c    Case
		want ExportChoices
	}{
		{Case{Reason: ReasonJudicial}, ExportChoices{EncryptRequired: true, NativeAllowed: true}},
		{Case{Reason: ReasonIncident, Internal: true}, ExportChoices{EncryptRequired: true, NativeAllowed: true}},
		{Case{Reason: ReasonAccess}, ExportChoices{EncryptRequired: true, Anonymized: true}},
	} {
		if got := tc.c.ExportChoices(); got != tc.want {
			t.Errorf("%s internal=%v: %+v, want %+v", tc.c.Reason, tc.c.Internal, got, tc.want)
		}
	}
}

// Who acts next is decided once, in the core, for the window and the
// command line: each state names its act and the role that takes it
// (issue #20: each state of a case says who acts next).
func TestNext(t *testing.T) {
	f := proceduretest.New(t)
	requested, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonInsurance))
	if err != nil {
		t.Fatal(err)
	}
	confirmed := f.NewCase(ReasonInsurance)
	authorized, err := f.Store.Cases.Authorize(f.Ctx, f.RS, f.NewCase(ReasonInsurance).Number, "accord")
	if err != nil {
		t.Fatal(err)
	}
	refused, err := f.Store.Cases.Refuse(f.Ctx, f.RS, f.NewCase(ReasonInsurance).Number, "hors délai")
	if err != nil {
		t.Fatal(err)
	}
	access, err := f.Store.Cases.Authorize(f.Ctx, f.RS, f.NewCase(ReasonAccess).Number, "accord")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		c    *Case
		act  Act
		role register.Role
	}{
		{"requested", requested, ActConfirm, register.RoleOperator},
		{"confirmed", confirmed, ActAuthorize, register.RoleSecurityManager},
		{"authorized", authorized, ActExport, register.RoleOperator},
		{"refused", refused, ActClose, register.RoleOperator},
		{"access request authorized", access, ActReview, register.RoleOperator},
	} {
		if act, role := tc.c.Next(); act != tc.act || role != tc.role {
			t.Errorf("%s: next %q by %q, want %q by %q", tc.name, act, role, tc.act, tc.role)
		}
	}
	closed := *refused
	closed.State = StateClosed
	if act, role := closed.Next(); act != "" || role != "" {
		t.Errorf("closed: next %q by %q", act, role)
	}
}
