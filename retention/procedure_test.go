package retention_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	. "mileo.tech/extract/retention"
)

// fakeProcedure stands for the procedure: retention knows no case, it asks.
type fakeProcedure struct {
	raised int // overdue incidents asked for
}

// fakeIncident is an incident the register's verify accepts from the
// site key (SPEC.md).
type fakeIncident struct {
	Kind string `json:"kind"`
	Copy string `json:"copy"`
}

func (*fakeProcedure) Case(context.Context, register.Querier, string, bool) (CaseFacts, error) {
	return CaseFacts{}, nil
}
func (*fakeProcedure) HandedOver(*register.Entry) (string, error)   { return "", nil }
func (*fakeProcedure) ExportedCopy(*register.Entry) (string, error) { return "", nil }
func (p *fakeProcedure) OverdueIncident(c *Copy, detail string) register.Record {
	p.raised++
	return register.Record{Action: "incident", Data: fakeIncident{Kind: "purge_overdue", Copy: c.ID}}
}
func (*fakeProcedure) OverdueCopy(e *register.Entry) (string, error) {
	var d fakeIncident
	err := json.Unmarshal(e.Data, &d)
	return d.Copy, err
}

// R-PRG-2: an overdue copy is raised through the procedure once, and read
// back through it, on a register with no procedure on it.
func TestOverdueThroughProcedure(t *testing.T) {
	ctx := context.Background()
	clock := proceduretest.NewClock(proceduretest.T0)
	log, err := register.Open(ctx, t.TempDir(), register.Options{Now: clock.Now, Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	acc := account.New(log)
	if err := acc.Init(ctx, account.InitParams{Site: "Site", Admin: "admin", Password: proceduretest.AdminPW}); err != nil {
		t.Fatal(err)
	}
	admin, err := acc.Login(ctx, "admin", proceduretest.AdminPW)
	if err != nil {
		t.Fatal(err)
	}
	_, otp, err := acc.AddUser(ctx, admin, "o.martin", register.RoleOperator)
	if err != nil {
		t.Fatal(err)
	}
	op, err := acc.Login(ctx, "o.martin", otp)
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.SetPassword(ctx, op, proceduretest.OpPW); err != nil {
		t.Fatal(err)
	}
	p := &fakeProcedure{}
	r := New(log, acc, p)
	cp, err := r.Purges.Track(ctx, op, TrackInput{Kind: CopyExport, Location: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if d := cp.Deadline.Sub(cp.Created).Round(time.Hour); d != PurgeDelay {
		t.Fatalf("deadline after %v", d)
	}
	clock.Advance(PurgeDelay + time.Hour)
	for i := 0; i < 3; i++ {
		o, err := r.Purges.CheckOverdue(ctx)
		if err != nil || len(o) != 1 || o[0].Incident == 0 {
			t.Fatalf("overdue %+v %v", o, err)
		}
	}
	if p.raised != 1 {
		t.Fatalf("%d incidents raised, want 1", p.raised)
	}
	if _, err := log.Verify(ctx, register.VerifyOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Each copy names the workstation that made it, so that with a shared
// register the purge list says where each copy is to be purged (R-PRG-1).
func TestCopyWorkstation(t *testing.T) {
	ctx := context.Background()
	clock := proceduretest.NewClock(proceduretest.T0)
	dir := t.TempDir()
	open := func(host string) *register.Store {
		log, err := register.Open(ctx, dir, register.Options{Now: clock.Now, Software: "test", Workstation: host})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { log.Close() })
		return log
	}
	front, back := open("poste-accueil"), open("poste-pc-securite")
	acc := account.New(front)
	if err := acc.Init(ctx, account.InitParams{Site: "Site", Admin: "admin", Password: proceduretest.AdminPW}); err != nil {
		t.Fatal(err)
	}
	admin, err := acc.Login(ctx, "admin", proceduretest.AdminPW)
	if err != nil {
		t.Fatal(err)
	}
	_, otp, err := acc.AddUser(ctx, admin, "o.martin", register.RoleOperator)
	if err != nil {
		t.Fatal(err)
	}
	op, err := acc.Login(ctx, "o.martin", otp)
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.SetPassword(ctx, op, proceduretest.OpPW); err != nil {
		t.Fatal(err)
	}
	for _, log := range []*register.Store{front, back} {
		r := New(log, account.New(log), &fakeProcedure{})
		if _, err := r.Purges.Track(ctx, op, TrackInput{Kind: CopyExport, Location: "/srv/exports/" + log.Workstation()}); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := New(front, acc, &fakeProcedure{}).Purges.Copies(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Workstation != "poste-accueil" || cs[1].Workstation != "poste-pc-securite" {
		for _, c := range cs {
			t.Logf("%s %s %s", c.ID, c.Workstation, c.Location)
		}
		t.Fatalf("%d copies, want 2 named by their workstations", len(cs))
	}
}
