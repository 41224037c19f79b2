package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
)

// The reviewer detects faces, keeps the requester, marks a false positive,
// draws a manual region with a time span, renders and plays the result;
// the export then applies exactly that plan and documents it in the case
// (R-ANON-1, R-ANON-2, R-ANON-3, R-ANON-4, R-PRG-1).
func TestAnonymizationReview(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonAccess, "caisses")
	f.confirmCase()
	f.authorizeAs(number)
	f.login("o.martin")
	cs := u.showCase(number)
	u.Wait()
	if cs.primary != actReview {
		t.Fatalf("primary %q, want the review of an access request", cs.primary)
	}
	test.Tap(cs.actions[actReview])
	rv := screenAs[*reviewScreen](t, u)
	test.Tap(rv.detect)
	u.Wait()
	if rv.plan == nil {
		t.Fatalf("detection failed: %s", rv.message.Text)
	}
	if rv.detInfo.Text == "" {
		t.Fatal("the detector is not named")
	}
	// The working folder holds faces: it is a tracked copy (R-PRG-1).
	copies, err := f.store.Purges.Copies(context.Background(), u.sess)
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) != 1 || copies[0].Kind != retention.CopyWorkdir || copies[0].Location != u.caseWD[number].Path() {
		t.Fatalf("copies %+v", copies)
	}
	var kept, falsePos []int
	if n := len(rv.plan.Tracks); n > 0 {
		id := rv.plan.Tracks[0].ID
		test.Tap(rv.cards[id].keep)
		kept = append(kept, id)
		if n > 1 {
			fp := rv.plan.Tracks[1].ID
			test.Tap(rv.cards[fp].fp)
			falsePos = append(falsePos, fp)
		}
	} else {
		t.Log("no face found in the clip: only the manual region is checked")
	}
	if !slices.Equal(rv.plan.Kept(), kept) || !slices.Equal(rv.plan.FalsePositives(), falsePos) {
		t.Fatalf("marks not in the plan: kept %v, false %v", rv.plan.Kept(), rv.plan.FalsePositives())
	}
	// Draw a manual region on the picture.
	waitFor(t, "the clip in the player", func() bool { return !rv.player.current().IsZero() })
	test.Tap(rv.drawBtn)
	v := rv.player.view
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	o, sz := v.picRect()
	start := pos.Add(o).AddXY(sz.Width*0.2, sz.Height*0.2)
	test.Drag(f.win.Canvas(), start, sz.Width*0.3, sz.Height*0.3)
	if rv.regionDlg == nil {
		t.Fatal("no dialog for the region's span")
	}
	f.tapButton(u.t("common.add"))
	if len(rv.plan.Regions) != 1 {
		t.Fatalf("regions %+v: %s", rv.plan.Regions, rv.message.Text)
	}
	r := rv.plan.Regions[0]
	if r.To <= r.From || r.Box[2]-r.Box[0] < 10 {
		t.Fatalf("region %+v", r)
	}
	// Render and play the result.
	test.Tap(rv.render)
	u.Wait()
	if rv.out == "" {
		t.Fatalf("render failed: %s", rv.message.Text)
	}
	// The review clip, the plan (thumbnails are faces) and the rendering
	// are encrypted working copies (R-PRG-1).
	wd := u.caseWD[number]
	if _, _, err := wd.OpenReaderAt(rv.out); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(wd.Path())
	if len(ents) < 4 {
		t.Errorf("the case's working folder holds %d files, want clip, plan, rendering and lock", len(ents))
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(wd.Path(), e.Name()))
		if e.Name() != ".lock" && !strings.HasPrefix(string(b), "age-encryption.org/v1\n") {
			t.Errorf("%s is not age ciphertext", e.Name())
		}
	}
	if !rv.showingRn {
		t.Fatal("the rendered clip is not in the player")
	}
	waitFor(t, "the rendered clip", func() bool { return !rv.player.current().IsZero() })

	// The export applies the reviewed plan.
	es := u.showExport(number, false)
	u.Wait()
	if !es.anonymize.Checked {
		t.Fatal("an access request is exported without anonymization")
	}
	test.Tap(es.start)
	u.Wait()
	if es.res == nil {
		t.Fatalf("export failed: %s", es.message.Text)
	}
	fl := es.res.Files[0]
	if !fl.Anonymized || fl.Anon == nil {
		t.Fatal("the exported file is not anonymized")
	}
	if fl.Anon.Reviewer != "o.martin" || fl.Anon.ManualRegion != 1 || !slices.Equal(fl.Anon.Kept, kept) || !slices.Equal(fl.Anon.FalsePos, falsePos) {
		t.Fatalf("the export did not use the reviewed plan: %+v", fl.Anon)
	}
	if acts := actions(f.caseOf(number)); acts["case.anonymize"] == 0 {
		t.Fatalf("no anonymization entry: %v", acts)
	}

	// Issue #6: the same access request goes on to delivery and the printed
	// register sheet without the terminal.
	es = screenAs[*exportScreen](t, u)
	es.pwChannel.SetSelected(u.t("channel.phone"))
	test.Tap(es.toDelivery)
	ds := screenAs[*deliveryScreen](t, u)
	test.Tap(ds.addMedium)
	test.Type(f.dialogEntries()[0], "USB-0042")
	f.tapButton(u.t("common.add"))
	ds = screenAs[*deliveryScreen](t, u)
	test.Type(ds.ident, "CNI 123456789")
	test.Tap(ds.deliver)
	u.Wait()
	ds = screenAs[*deliveryScreen](t, u)
	if ds.c.State != procedure.StateDelivered {
		t.Fatalf("state %s after delivery: %s", ds.c.State, ds.message.Text)
	}
	test.Tap(ds.printSheet)
	u.Wait()
	sheet := filepath.Join(u.printDir(), number+"-"+papers.DocSheet+".pdf")
	if text := pdfText(t, sheet); !strings.Contains(text, number) || !strings.Contains(text, "o.martin") {
		t.Fatalf("the register sheet does not show the case and its operator:\n%s", text)
	}

	// Logging out crypto-erases the review's working folder and records
	// its purge (R-PRG-3).
	u.logout()
	if _, err := os.Stat(wd.Path()); !os.IsNotExist(err) {
		t.Fatalf("the working folder survived the logout: %v", err)
	}
	f.login("o.martin")
	copies, err = f.store.Purges.Copies(context.Background(), u.sess)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range copies {
		if c.Kind == retention.CopyWorkdir && (c.Purge == nil || c.Purge.Method != retention.PurgeCryptoErase) {
			t.Errorf("working folder %s: purge %+v", c.Location, c.Purge)
		}
	}
}
