package incidents

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// win is the screen's window over a real register: jobs run at once, on
// the test's goroutine, as the Fyne test driver runs fyne.Do.
type win struct {
	f    *proceduretest.Fixture
	sess *account.Session
	w    fyne.Window
	cat  *i18n.Catalog
}

func (w *win) T(id string, kv ...any) string    { return w.cat.T(id, kv...) }
func (w *win) Now() time.Time                   { return w.f.Clock.Now() }
func (w *win) FmtTime(t time.Time) string       { return t.Format("02/01/2006 15:04") }
func (w *win) RoleTitle(r register.Role) string { return w.cat.T("role." + string(r)) }
func (w *win) ErrText(err error) string         { return w.cat.Err(err) }
func (w *win) LogErr(string, error)             {}
func (w *win) Ctx() context.Context             { return w.f.Ctx }
func (w *win) Win() fyne.Window                 { return w.w }
func (w *win) Store() *procedure.Store          { return w.f.Store }
func (w *win) Session() *account.Session        { return w.sess }
func (w *win) GoJob(ctx context.Context, fn func(context.Context) error, done func(error)) {
	done(fn(ctx))
}

// R-INC-1: the compliance register in the window. A breach shows the
// DPO's 72-hour clock; the security manager cannot assess it (the DPO's);
// the DPO assesses it with the CNIL decision, then closes it; a person
// without the role is told why they cannot act.
func TestIncidentsScreen(t *testing.T) {
	a := test.NewTempApp(t)
	defer a.Quit()
	f := proceduretest.New(t)
	w := &win{f: f, sess: f.Op, w: a.NewWindow("incidents"), cat: i18n.New("fr")}
	w.w.Resize(fyne.NewSize(1280, 800))
	if _, err := f.Store.Incidents.ReportBreach(f.Ctx, f.Op, "", "clé USB perdue dans le train"); err != nil {
		t.Fatal(err)
	}
	s := New(w)
	w.w.SetContent(s.Object())
	if len(s.Items()) != 1 || !s.Items()[0].Breach {
		t.Fatalf("items %+v", s.Items())
	}
	if got := s.line(&s.Items()[0]); !strings.Contains(got, "Violation de données personnelles") || !strings.Contains(got, "décision CNIL due dans 72 h") {
		t.Fatalf("row %q", got)
	}
	// The operator may not assess.
	s.List.Select(0)
	if !s.Act.Disabled() || !strings.Contains(s.Message.Text, "DPO ou le responsable sécurité") {
		t.Fatalf("operator: act enabled %v, message %q", !s.Act.Disabled(), s.Message.Text)
	}
	// Nor the security manager: a breach is the DPO's.
	w.sess = f.RS
	s = New(w)
	s.List.Select(0)
	if !s.Act.Disabled() || !strings.Contains(s.Message.Text, "relève du DPO") {
		t.Fatalf("security manager: act enabled %v, message %q", !s.Act.Disabled(), s.Message.Text)
	}
	// The DPO assesses with the CNIL decision, then closes.
	w.sess = f.DPO
	s = New(w)
	w.w.SetContent(s.Object())
	s.List.Select(0)
	if s.Act.Disabled() || !s.CNIL.Visible() {
		t.Fatal("the DPO cannot assess the breach")
	}
	test.Type(s.Note, "support chiffré AES-256 : risque improbable")
	test.Tap(s.Act) // no CNIL decision yet: refused by the core
	if !strings.Contains(s.Message.Text, "CNIL") || s.Items()[0].Status != incident.Open {
		t.Fatalf("assess without decision: %q", s.Message.Text)
	}
	s.CNIL.SetSelected(w.T("incidents.cnil.not_required"))
	test.Tap(s.Act)
	if s.Items()[0].Status != incident.Assessed || s.Items()[0].CNIL != incident.CNILNotRequired {
		t.Fatalf("after assessing: %+v (%q)", s.Items()[0], s.Message.Text)
	}
	s.List.Select(0)
	if s.Act.Text != w.T("incidents.close") {
		t.Fatalf("next act %q", s.Act.Text)
	}
	test.Type(s.Note, "rapport transmis")
	test.Tap(s.Act)
	if s.Items()[0].Status != incident.Closed {
		t.Fatalf("after closing: %+v (%q)", s.Items()[0], s.Message.Text)
	}
}
