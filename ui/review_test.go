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
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/review"
)

// The reviewer detects faces, keeps the requester, marks a false positive,
// draws a manual region with a time span, renders and plays the result;
// the export then applies exactly that plan and documents it in the case.
// Its final check lists what may still be readable: the reviewer looks at
// the first item in the review, covers it and exports again, then marks
// every item left as nothing readable; only then is the export verified
// and handed over (R-ANON-1, R-ANON-2 rev., R-ANON-3, R-ANON-4, R-PRG-1,
// R-DLV-1 rev.).
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
	if cs.Primary != actReview {
		t.Fatalf("primary %q, want the review of an access request", cs.Primary)
	}
	test.Tap(cs.Actions[actReview])
	rv := screenAs[*review.Screen](t, u)
	test.Tap(rv.Detect)
	u.Wait()
	if rv.Plan == nil {
		t.Fatalf("detection failed: %s", rv.Message.Text)
	}
	if rv.DetInfo.Text == "" {
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
	if n := len(rv.Plan.Tracks); n > 0 {
		// « Garder cette personne » keeps all her tracks, « Pas un visage »
		// sets aside all of someone else's (issue #19 point 3).
		id := rv.Plan.Tracks[0].ID
		test.Tap(rv.Cards[id].Keep)
		kept = review.PersonTracks(rv.Plan, id)
		for _, tk := range rv.Plan.Tracks {
			if !slices.Contains(kept, tk.ID) {
				test.Tap(rv.Cards[tk.ID].FP)
				falsePos = review.PersonTracks(rv.Plan, tk.ID)
				break
			}
		}
	} else {
		t.Log("no face found in the clip: only the manual region is checked")
	}
	if !slices.Equal(rv.Plan.Kept(), kept) || !slices.Equal(rv.Plan.FalsePositives(), falsePos) {
		t.Fatalf("marks not in the plan: kept %v, false %v", rv.Plan.Kept(), rv.Plan.FalsePositives())
	}
	// Draw a manual region on the picture.
	waitFor(t, "the clip in the player", func() bool { return !rv.Player.Current().IsZero() })
	test.Tap(rv.DrawBtn)
	v := rv.Player.View
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	o, sz := v.PicRect()
	start := pos.Add(o).AddXY(sz.Width*0.2, sz.Height*0.2)
	test.Drag(f.win.Canvas(), start, sz.Width*0.3, sz.Height*0.3)
	if rv.RegionDlg == nil {
		t.Fatal("no dialog for the region's span")
	}
	f.tapButton(u.t("common.add"))
	if len(rv.Plan.Regions) != 1 {
		t.Fatalf("regions %+v: %s", rv.Plan.Regions, rv.Message.Text)
	}
	r := rv.Plan.Regions[0]
	if r.To <= r.From || r.Box[2]-r.Box[0] < 10 {
		t.Fatalf("region %+v", r)
	}
	// Render and play the result.
	test.Tap(rv.Render)
	u.Wait()
	if rv.Out == "" {
		t.Fatalf("render failed: %s", rv.Message.Text)
	}
	// The review clip, the plan (thumbnails are faces) and the rendering
	// are encrypted working copies (R-PRG-1).
	wd := u.caseWD[number]
	if _, _, err := wd.OpenReaderAt(rv.Out); err != nil {
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
	if !rv.ShowingRn {
		t.Fatal("the rendered clip is not in the player")
	}
	waitFor(t, "the rendered clip", func() bool { return !rv.Player.Current().IsZero() })

	// The export applies the reviewed plan.
	es := u.showExport(number, false)
	u.Wait()
	if !es.Anonymize.Checked {
		t.Fatal("an access request is exported without anonymization")
	}
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil {
		t.Fatalf("export failed: %s", es.Message.Text)
	}
	fl := es.Result.Files[0]
	if !fl.Anonymized || fl.Anon == nil {
		t.Fatal("the exported file is not anonymized")
	}
	if fl.Anon.Reviewer != "o.martin" || fl.Anon.ManualRegion != 1 || !slices.Equal(fl.Anon.Kept, kept) || !slices.Equal(fl.Anon.FalsePos, falsePos) {
		t.Fatalf("the export did not use the reviewed plan: %+v", fl.Anon)
	}
	if acts := actions(f.caseOf(number)); acts["case.anonymize"] == 0 {
		t.Fatalf("no anonymization entry: %v", acts)
	}

	// R-ANON-2 (rev.): the final check of the rendered output lists what
	// may still be readable; nothing is handed over, nor called verified,
	// before each item is settled.
	es = screenAs[*casework.ExportScreen](t, u)
	es.PwChannel.SetSelected(u.t("channel.phone"))
	pending := f.caseOf(number).LastExport().Unsettled()
	stored, err := redaction.New(f.store).Plans(context.Background(), u.sess, number)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pending {
		if p.Suspect == nil {
			t.Fatalf("the final check did not run on %s: %s", p.File, p.Error)
		}
	}
	t.Logf("the final check flags %d item(s)", len(pending))
	if len(pending) > 0 {
		if !es.ToDelivery.Disabled() || es.Examine == nil {
			t.Fatal("the export offers the delivery before the final check is settled")
		}
		if f.shows(u.t("export.complete")) {
			t.Fatal("the export is called complete and verified before its final check is settled")
		}
		cs = u.showCase(number)
		u.Wait()
		if r := cs.Actions[actDeliver].Reason(); r != u.t("reason.check_unsettled") {
			t.Fatalf("delivery offered with reason %q", r)
		}
		if cs.Hint.Text != u.t("reason.check_unsettled") || cs.Check == nil || cs.Examine == nil {
			t.Fatalf("the case screen does not say the final check is pending: hint %q", cs.Hint.Text)
		}

		// The first item, looked at in the review: its frames in the
		// player, its box outlined; it is covered with a manual region,
		// saved with the case, and the case exported again.
		test.Tap(cs.Examine)
		rv = screenAs[*review.Screen](t, u)
		k := rv.Check
		waitFor(t, "the flagged frame", func() bool {
			u.Wait()
			fr := rv.Player.CurrentFrame()
			return k.Focus != nil && fr >= k.Focus.Suspect.From-1 && fr <= k.Focus.Suspect.To+1
		})
		if len(k.Items) != len(pending) || k.Settle.Disabled() || k.Cover.Disabled() {
			t.Fatalf("%d items in the review for %d pending; settle disabled %v", len(k.Items), len(pending), k.Settle.Disabled())
		}
		first := *k.Focus.Suspect
		test.Tap(k.Cover)
		u.Wait()
		if n := len(rv.Plan.Regions); n != 2 || rv.Plan.Regions[1].From != first.From || rv.Plan.Regions[1].To != first.To {
			t.Fatalf("the item is not covered by a region: %+v (%s)", rv.Plan.Regions, rv.Message.Text)
		}
		stored, err = redaction.New(f.store).Plans(context.Background(), u.sess, number)
		if err != nil || stored["caisses"] == nil || len(stored["caisses"].Regions) != 2 {
			t.Fatalf("the covered item is not in the review saved with the case: %v", err)
		}
		if k.Note.Text != u.t("review.check.covered", "ID", 2) || !k.Again.Visible() {
			t.Fatalf("the reviewer is not told to export again: %q", k.Note.Text)
		}
		test.Tap(k.Again)
		es = screenAs[*casework.ExportScreen](t, u)
		test.Tap(es.Start)
		u.Wait()
		if es.Result == nil {
			t.Fatalf("export again failed: %s", es.Message.Text)
		}
		if fl := es.Result.Files[0]; fl.Anon == nil || fl.Anon.ManualRegion != 2 {
			t.Fatalf("the export again did not apply the covered item: %+v", fl.Anon)
		}
		es.PwChannel.SetSelected(u.t("channel.phone"))
		pending = f.caseOf(number).LastExport().Unsettled()
		t.Logf("the final check of the export again flags %d item(s)", len(pending))
		// What was covered is not flagged again.
		for _, p := range pending {
			sp := p.Suspect
			if sp.Reason == first.Reason && sp.From <= first.To && sp.To >= first.From &&
				sp.Box[0] < first.Box[2] && first.Box[0] < sp.Box[2] && sp.Box[1] < first.Box[3] && first.Box[1] < sp.Box[3] {
				t.Errorf("covered %+v, flagged again %+v", first, *sp)
			}
		}
	}
	if len(pending) > 0 {
		// Each item left, looked at, has nothing readable.
		test.Tap(es.Examine)
		rv = screenAs[*review.Screen](t, u)
		k := rv.Check
		for i := 0; len(k.Items) > 0; i++ {
			if i > len(pending) {
				t.Fatalf("%d items left after %d settled", len(k.Items), i)
			}
			waitFor(t, "an item to settle", func() bool { u.Wait(); return k.Focus != nil && !k.Settle.Disabled() })
			id := k.Focus.Suspect.ID
			test.Tap(k.Settle)
			u.Wait()
			if k.Note.Text != u.t("review.check.settled", "ID", id) {
				t.Fatalf("item %d not settled: %q %q", id, k.Note.Text, rv.Message.Text)
			}
		}
		if acts := actions(f.caseOf(number)); acts["case.settle"] != len(pending) {
			t.Fatalf("%d case.settle entries for %d items", acts["case.settle"], len(pending))
		}
	}
	// The anonymization is verified (the export itself is complete only
	// where the camera recorded: "caisses" has a gap in the range).
	if x := f.caseOf(number).LastExport(); len(x.Unsettled()) != 0 || x.Verified() != x.Complete {
		t.Fatalf("the export's anonymization is not verified: %+v", x.Unsettled())
	}
	cs = u.showCase(number)
	u.Wait()
	if cs.Primary != actDeliver || !f.shows(u.t("check.verified")) {
		t.Fatalf("primary %q once the final check is settled", cs.Primary)
	}

	// Issue #6: the same access request goes on to delivery and the printed
	// register sheet without the terminal.
	test.Tap(cs.Actions[actDeliver])
	ds := screenAs[*casework.DeliveryScreen](t, u)
	test.Tap(ds.AddMedium)
	test.Type(f.dialogEntries()[0], "USB-0042")
	f.tapButton(u.t("common.add"))
	ds = screenAs[*casework.DeliveryScreen](t, u)
	test.Type(ds.Ident, "CNI 123456789")
	test.Type(ds.Seal, "SC-0042")
	test.Tap(ds.Deliver)
	u.Wait()
	ds = screenAs[*casework.DeliveryScreen](t, u)
	if ds.Case.State != procedure.StateDelivered {
		t.Fatalf("state %s after delivery: %s", ds.Case.State, ds.Message.Text)
	}
	test.Tap(ds.PrintSheet)
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

	// In a new session the review saved with the case is taken up again
	// for the same clip (the final check refers to it), not detected anew.
	rv = u.showReview(number)
	u.Wait()
	test.Tap(rv.Detect)
	u.Wait()
	if rv.Plan == nil || len(rv.Plan.Regions) != len(stored["caisses"].Regions) || !slices.Equal(rv.Plan.Kept(), kept) {
		t.Fatalf("the saved review is not taken up again: %+v (%s)", rv.Plan, rv.Message.Text)
	}
}
