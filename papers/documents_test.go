package papers

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// The documents of a case carried through the procedure on the shared
// demo archive, read back with pdftotext: the register sheet (R-REG-3
// rev.), the receipt and the letter for the recipient (R-DLV-1 rev.), for
// the four reasons and for a refused and an emergency case.

// docs are the texts of the documents of one case.
type docs struct{ sheet, receipt, letter string }

func printAll(t *testing.T, e *proceduretest.E2E, sess *account.Session, number string) docs {
	t.Helper()
	var out docs
	p := New(e.Store)
	for _, d := range []struct {
		text  *string
		print func(*bytes.Buffer) error
	}{
		{&out.sheet, func(b *bytes.Buffer) error { return p.Sheet(e.Ctx, sess, number, b, PrintOptions{}) }},
		{&out.receipt, func(b *bytes.Buffer) error { return p.Receipt(e.Ctx, sess, number, b, PrintOptions{}) }},
		{&out.letter, func(b *bytes.Buffer) error { return p.RecipientLetter(e.Ctx, sess, number, b, PrintOptions{}) }},
	} {
		var b bytes.Buffer
		err := d.print(&b)
		switch {
		case err == nil:
			*d.text = proceduretest.PDFText(t, b.Bytes())
		case errors.Is(err, register.ErrState): // nothing to print yet
		default:
			t.Fatal(err)
		}
	}
	return out
}

// page1 is the first page of a pdftotext text.
func page1(text string) string {
	p, _, _ := strings.Cut(text, "\f")
	return p
}

// noLogOnPage1 checks that page 1 of the sheet reads as a document: no
// action code, no checkpoint, no key (R-REG-3 rev.).
func noLogOnPage1(t *testing.T, sheet string) {
	t.Helper()
	p := page1(sheet)
	for _, bad := range []string{"case.new", "case.confirm", "copy.track", "mileo-extract register", "Nom : ", "Empreinte de la clé"} {
		if strings.Contains(p, bad) {
			t.Errorf("page 1 of the sheet holds %q", bad)
		}
	}
}

func deliver(t *testing.T, e *proceduretest.E2E, sess *account.Session, number string, in procedure.DeliverInput) {
	t.Helper()
	in.Date = e.Clock.Now()
	if _, err := e.Store.Delivery.Deliver(e.Ctx, sess, number, in); err != nil {
		t.Fatal(err)
	}
}

// R-REG-3 (rev.), R-DLV-1 (rev.), R-AUTH-2: a judicial requisition — its
// reference and its scan with SHA-256, acknowledged by the security
// manager, exported with the VMS's native files, handed over on a sealed
// key against the receipt, the receipt attached, the copy purged, closed.
func TestDocumentsJudicial(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(procedure.ReasonJudicial, "entree")
	if _, err := e.Store.Cases.Acknowledge(e.Ctx, e.RS, c.Number); err != nil {
		t.Fatal(err)
	}
	scan, err := e.Store.Delivery.AttachRequisition(e.Ctx, e.Op, c.Number, "réquisition.png", proceduretest.ScanPNG(t, 0x30))
	if err != nil {
		t.Fatal(err)
	}
	e.Export(e.Op, c.Number, procedure.ExportOptions{Encrypt: true, Native: true})
	e.AddMedium("USB-007")
	deliver(t, e, e.Op, c.Number, procedure.DeliverInput{Support: procedure.SupportUSB, MediaID: "USB-007", Seal: "S-0001", Mode: procedure.ModeHand,
		RecipientName: "Brigadier Léa Durand", RecipientID: "matricule 123456", RecipientOrg: "Commissariat de Créteil", PasswordChannel: "phone"})
	d := printAll(t, e, e.Op, c.Number)
	c, _ = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	archiveSHA := archiveSHA256(t, c)
	for name, text := range map[string]string{"receipt": d.receipt, "letter": d.letter} {
		t.Run(name, func(t *testing.T) {
			proceduretest.WantText(t, text, c.Number, "Brigadier Léa Durand", "entree", archiveSHA)
		})
	}
	proceduretest.WantText(t, d.receipt, "Scellé n° S-0001", "Clé USB scellée de l'organisation n° USB-007", "Remis par o.martin (Opérateur)",
		"Remis à Brigadier Léa Durand", "Organisme Commissariat de Créteil", "Pièce d'identité matricule 123456",
		"En mains propres contre signature", "transmis séparément du support, par un autre canal : Téléphone", "aucune",
		"fichier natif du", "Reçu par", "mileo-extract register")
	proceduretest.WantText(t, d.letter, "7-Zip", "Keka", "WinRAR", "L'Explorateur de fichiers de Windows ne sait pas ouvrir",
		"certutil -hashfile", "shasum -a 256", "par un autre canal", "Canal prévu : téléphone.", "contactez o.martin (Opérateur)")
	e.AttachReceipt(c.Number)
	if _, err := e.Store.Cases.Close(e.Ctx, e.Op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	due, err := e.Store.Purges.Due(e.Ctx, e.Op)
	if err != nil || len(due) == 0 {
		t.Fatalf("due %v %v", due, err)
	}
	if _, err := e.Store.Purges.Files(e.Ctx, e.Op, due[0].ID); err != nil {
		t.Fatal(err)
	}
	d = printAll(t, e, e.RS, c.Number)
	noLogOnPage1(t, d.sheet)
	proceduretest.WantText(t, d.sheet, c.Number, "Réquisition judiciaire n° PV 2026/00123 : elle tient lieu d'autorisation",
		"copie numérisée jointe : réquisition.png — SHA-256 "+scan.SHA256[:20],
		"Réquisition transmise au Responsable Sécurité, qui en prend acte : rs.bernard (Responsable Sécurité).",
		"Plage horaire et caméras confirmées avec le demandeur (téléphone) ; confirmation enregistrée par o.martin (Opérateur).",
		"Export réalisé par o.martin (Opérateur)", "toute la plage demandée est couverte", "fichier natif du",
		"Enregistrements remis à Brigadier Léa Durand (Commissariat de Créteil) par o.martin (Opérateur), en mains propres contre signature",
		"Scellé n° S-0001", "Pièce d'identité matricule 123456", "Récépissé signé joint au dossier le",
		"Pièce jointe au dossier par o.martin (Opérateur) : Récépissé signé, recepisse.pdf.",
		"purgée : fichiers écrasés puis supprimés, vérifié par le logiciel ; par o.martin (Opérateur).",
		"Dossier clos par o.martin (Opérateur).",
		"Extraction réalisée par", "o.martin — Opérateur", "Réquisition prise en compte par", "rs.bernard — Responsable Sécurité",
		"Annexe technique", "Empreinte de la clé Ed25519", "mileo-extract register", "Entrepôt Sud — Créteil")
}

// archiveSHA256 is the SHA-256 of the case's archive, from its
// case.encrypt entry.
func archiveSHA256(t *testing.T, c *procedure.Case) string {
	t.Helper()
	for _, e := range c.Entries {
		var d encryptData
		if e.Action == "case.encrypt" && e.Decode(&d) == nil && d.SHA256 != "" {
			return d.SHA256
		}
	}
	t.Fatal("no case.encrypt entry")
	return ""
}

// An incident, authorized by the delegate standing in, exported with the
// 30 s gap of camera "caisses", handed over by registered mail by the
// security manager (not the exporter): the receipt states the footage
// actually handed over per camera and its gap, and who handed it over.
func TestDocumentsIncident(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(procedure.ReasonIncident, "caisses", "parking")
	e.Designate("d.petit")
	if _, err := e.Store.Cases.StandIn(e.Ctx, e.Del, c.Number, "absent"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.Del, c.Number, "enquête interne sur le vol"); err != nil {
		t.Fatal(err)
	}
	if _, gaps := e.Export(e.Op, c.Number, procedure.ExportOptions{Encrypt: true}); strings.Join(gaps, ",") != "caisses" {
		t.Fatalf("gaps %v", gaps)
	}
	e.AddMedium("USB-100")
	deliver(t, e, e.RS, c.Number, procedure.DeliverInput{Support: procedure.SupportUSB, MediaID: "USB-100", Seal: "S-0100", Mode: procedure.ModeRegisteredMail,
		Tracking: "1A 234 567 8901 2", RecipientName: "Responsable sûreté", RecipientID: "badge 42", RecipientOrg: "Service sécurité interne", PasswordChannel: "phone"})
	d := printAll(t, e, e.Op, c.Number)
	c, _ = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	g := c.LastExport().Gaps[0]
	gapFrom := g.Range.Start.In(e.Store.Location()).Format("02/01/2006 15:04:05")
	gapTo := g.Range.End.In(e.Store.Location()).Format("02/01/2006 15:04:05")
	for name, text := range map[string]string{"sheet": d.sheet, "receipt": d.receipt} {
		t.Run(name, func(t *testing.T) {
			// caisses: footage up to the gap, then the gap to the end.
			// Cameras by their display names, with their IDs (issue #20).
			proceduretest.WantText(t, text, "Caisses (caisses)", "Parking", "au "+gapFrom+" CET", "du "+gapFrom+" CET au", gapTo+" CET — aucun")
		})
	}
	proceduretest.WantText(t, d.receipt, "Remis par rs.bernard (Responsable Sécurité)", "rs.bernard — Responsable Sécurité",
		"Recommandé n° 1A 234 567 8901 2", "Scellé n° S-0100", "Envoi recommandé avec accusé de réception",
		"Remis à Responsable sûreté", "Organisme Service sécurité interne", "Pièce d'identité badge 42",
		"Enregistrements de vidéoprotection, caméras Caisses (caisses), Parking (parking)", "; la plage effectivement remise de chaque caméra figure ci-dessous.")
	if strings.Contains(d.receipt, "Remis par o.martin") {
		t.Error("the receipt names the exporter as the person who handed over")
	}
	noLogOnPage1(t, d.sheet)
	proceduretest.WantText(t, d.sheet, "Incident de sécurité", "vol à l'étalage",
		"Responsable sécurité indisponible : absent (congés, déplacement). Le délégué désigné d.petit (Délégué désigné) statue à sa place.",
		"Extraction autorisée par écrit, avant l'export, par d.petit (Délégué désigné). Note : « enquête interne sur le vol ».",
		"avec des lacunes, détaillées plus bas", "Autorisation donnée par", "d.petit — Délégué désigné", "o.martin — Opérateur")
}

// An insurance claim authorized by the security manager with a note,
// handed over on a secure platform.
func TestDocumentsInsurance(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(procedure.ReasonInsurance, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, "sinistre déclaré le 1er mars"); err != nil {
		t.Fatal(err)
	}
	e.Export(e.Op, c.Number, procedure.ExportOptions{Encrypt: true})
	deliver(t, e, e.Op, c.Number, procedure.DeliverInput{Support: procedure.SupportPlatform, Mode: procedure.ModePlatform,
		RecipientName: "Assureur AXA", RecipientID: "dossier 42, gestionnaire M. Roy", PasswordChannel: "sms"})
	d := printAll(t, e, e.Op, c.Number)
	noLogOnPage1(t, d.sheet)
	proceduretest.WantText(t, d.sheet, "Sinistre (assurance)", "Brigadier Léa Durand", "Commissariat de Créteil", "Assureur AXA, dossier 42",
		"Vol signalé à l'accueil ; images nécessaires à l'enquête.",
		"Extraction autorisée par écrit, avant l'export, par rs.bernard (Responsable Sécurité). Note : « sinistre déclaré le 1er mars ».",
		"Enregistrements remis à Assureur AXA par o.martin (Opérateur), dépôt sur plateforme sécurisée, sur Plateforme sécurisée.",
		"Autorisation donnée par", "rs.bernard — Responsable Sécurité")
	proceduretest.WantText(t, d.receipt, "Dépôt sur plateforme sécurisée", "Plateforme sécurisée", "dossier 42, gestionnaire M. Roy", "SMS")
	proceduretest.WantText(t, d.letter, "Assureur AXA", "Canal prévu : sms.")
}

// reviewingAnonymizer stands for the anonymizer and its final check: its
// output is the clip itself, remuxed, and its documents say what a review
// kept and set aside.
type reviewingAnonymizer struct{}

func (reviewingAnonymizer) Anonymize(ctx context.Context, in av.Input, out av.Output, _ func(done, total int64)) (*export.Anonymization, error) {
	if _, err := av.Remux(ctx, []av.Input{in}, out, av.RemuxOptions{}); err != nil {
		return nil, err
	}
	return &export.Anonymization{Detector: "yunet-test", Tracks: 5, Kept: []int{2}, FalsePos: []int{4}, ManualRegion: 1, Mode: "mosaic", Reviewer: "dpo.leroy"}, nil
}

func (reviewingAnonymizer) CheckRendered(context.Context, *export.Anonymization, av.Input, func(done, total int64)) (*export.FinalCheck, error) {
	return &export.FinalCheck{Checker: "test", Frames: 500, Analysed: 100, Suspects: []export.Suspect{{ID: 1, From: 30, To: 37, Frames: 8, Reason: "head"}}}, nil
}

// An access request: the identity check, the anonymization and its review
// (kept track, false positive, reviewer, the final check settled), the
// DPO exporting and signing as DPO.
func TestDocumentsAccess(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(procedure.ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, "identité vérifiée"); err != nil {
		t.Fatal(err)
	}
	e.Export(e.DPO, c.Number, procedure.ExportOptions{Anonymizer: reviewingAnonymizer{}, Encrypt: true})
	c, _ = e.Store.Cases.Get(e.Ctx, e.DPO, c.Number)
	file := c.LastExport().Files[0].Name
	// R-DL-1: no answer letter before the export is verified.
	if err := New(e.Store).AnswerLetter(e.Ctx, e.DPO, c.Number, &bytes.Buffer{}, PrintOptions{}); !errors.Is(err, register.ErrState) {
		t.Fatalf("answer letter before the final check is settled: %v", err)
	}
	if _, err := e.Store.Cases.Settle(e.Ctx, e.DPO, c.Number, file, 1); err != nil {
		t.Fatal(err)
	}
	e.AddMedium("USB-0050")
	deliver(t, e, e.DPO, c.Number, procedure.DeliverInput{Support: procedure.SupportUSB, MediaID: "USB-0050", Seal: "S-0050", Mode: procedure.ModeHand,
		RecipientName: "Jean Dupont", RecipientID: "CNI 42", PasswordChannel: "sms"})
	d := printAll(t, e, e.DPO, c.Number)
	noLogOnPage1(t, d.sheet)
	proceduretest.WantText(t, d.sheet, "Droit d'accès (RGPD art. 15)", "Jean Dupont", "jean@example.org",
		"Identité vérifiée par o.martin : carte d'identité présentée à l'accueil. Légitimité de la demande : présent sur les lieux le jour dit.",
		"Export réalisé par dpo.leroy (DPO)", "anonymisé", "5 piste(s) de visage détectée(s) (détecteur yunet-test)",
		"Relecture par dpo.leroy", "Faux positifs écartés n° 4",
		"contrôle final indépendant : 1 point(s) signalé(s), 1 examiné(s) par dpo.leroy (DPO), aucun visage ni tête lisible.",
		"Point n° 1 du contrôle final de "+file+" examiné par dpo.leroy (DPO)",
		"Extraction réalisée par", "dpo.leroy — DPO", "Autorisation donnée par", "rs.bernard — Responsable Sécurité")
	proceduretest.WantText(t, d.sheet, "Pistes laissées visibles", "n° 2")
	proceduretest.WantText(t, d.receipt, "Jean Dupont", "CNI 42", "Remis par dpo.leroy (DPO)", "Scellé n° S-0050", "anonymisé")
	proceduretest.WantText(t, d.letter, "Jean Dupont", "Canal prévu : sms.")
	// R-DL-1: the answer letter states what GDPR art. 15 requires.
	var b bytes.Buffer
	if err := New(e.Store).AnswerLetter(e.Ctx, e.DPO, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, b.Bytes()), "Réponse à votre demande d'accès aux images", "Jean Dupont",
		"archive chiffrée", "entree", "rendues méconnaissables", "RGPD art. 15.4", "Finalités", "Sécurité des biens et des personnes",
		"Réponse à l'exercice du droit d'accès", "Catégories de données", "Images des personnes filmées", "Destinataires",
		"Durées de conservation", "Source des données", "Décision automatisée", "rectification, l'effacement ou la limitation",
		"CNIL", "3 place de Fontenoy", "Remise effectuée le", "en écrivant au responsable de traitement", "dpo.leroy (DPO)")
	// Not for another reason.
	other := e.File(procedure.ReasonIncident, "entree")
	if err := New(e.Store).AnswerLetter(e.Ctx, e.DPO, other.Number, &b, PrintOptions{}); !errors.Is(err, register.ErrState) {
		t.Fatalf("answer letter for an incident: %v", err)
	}
}

// A refused request: the refusal and its reason, signed by who refused.
func TestDocumentsRefused(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonInsurance)
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.RS, c.Number, "aucune caméra ne couvre le local sinistré"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := New(f.Store).Sheet(f.Ctx, f.Op, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := proceduretest.PDFText(t, b.Bytes())
	proceduretest.WantText(t, text, "Demande refusée par rs.bernard (Responsable Sécurité). Motif du refus : « aucune caméra ne couvre le local sinistré ».",
		"Refus prononcé par", "rs.bernard — Responsable Sécurité", "Demande enregistrée par", "o.martin — Opérateur", "Refusé")
	body, _, _ := strings.Cut(text, "Annexe technique")
	if strings.Contains(body, "motif au dossier") || strings.Contains(body, "Extraction réalisée par") {
		t.Error("the refusal sheet lacks its reason or claims an extraction")
	}
	if err := New(f.Store).RecipientLetter(f.Ctx, f.Op, c.Number, &b, PrintOptions{}); !errors.Is(err, register.ErrState) {
		t.Fatalf("letter without an export: %v", err)
	}
}

// An emergency export (R-AUTH-3): its reason and its incident, then the
// authorization afterwards.
func TestDocumentsEmergency(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(procedure.ReasonIncident, "entree")
	e.Export(e.Op, c.Number, procedure.ExportOptions{Emergency: "agression en cours, police sur place", Encrypt: true})
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, "régularisation"); err != nil {
		t.Fatal(err)
	}
	c, _ = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	d := printAll(t, e, e.RS, c.Number)
	noLogOnPage1(t, d.sheet)
	proceduretest.WantText(t, d.sheet,
		"Export en urgence, avant autorisation, décidé par o.martin (Opérateur). Motif de l'urgence : « agression en cours, police sur place ».",
		"inscrit au registre de conformité ; autorisation a posteriori requise.",
		"Extraction autorisée a posteriori, après l'export en urgence, par rs.bernard (Responsable Sécurité). Note : « régularisation ».")
	if c.Emergency == nil || c.Emergency.Incident == 0 {
		t.Fatal("no incident")
	}
	proceduretest.WantText(t, d.sheet, "Incident n° "+strconv.FormatInt(c.Emergency.Incident, 10))
	if d.receipt != "" {
		t.Error("a receipt printed before any handover")
	}
}

// R-REG-5 (rev.): the CNIL export has one row per case with the art. 30
// columns; the CSV header is fixed.
func TestCNILExportColumns(t *testing.T) {
	f := proceduretest.New(t)
	c1 := f.NewCase(procedure.ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c1.Number, "sinistre"); err != nil {
		t.Fatal(err)
	}
	c2 := f.NewCase(procedure.ReasonAccess)
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.RS, c2.Number, "images effacées"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := New(f.Store).ExportRegister(f.Ctx, f.DPO, FormatCSV, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "N° de dossier;Reçue le;Motif;Précision;Demandeur;Organisme du demandeur;Destinataire;Justification;Décision;Décidée par;Décidée le;" +
		"Note ou motif de la décision;Remis à;Organisme de la personne qui a reçu;Pièce d'identité;Remis le;Mode de remise;Purges;État;" +
		"Finalité de l'extraction;Catégories de destinataires;Copie à purger avant le;Finalité du traitement;Catégories de personnes;" +
		"Catégories de données;Durée de conservation;Mesures de sécurité;Responsable du traitement;Contact du DPO"
	if got := strings.Join(rows[0], ";"); got != want {
		t.Fatalf("header\n got %s\nwant %s", got, want)
	}
	if len(rows) != 3 || rows[1][0] != c1.Number || rows[2][0] != c2.Number {
		t.Fatalf("rows %q", rows)
	}
	for i, w := range map[int]string{2: "Sinistre (assurance)", 4: "Brigadier Léa Durand", 5: "Commissariat de Créteil", 6: "Assureur AXA, dossier 42",
		7: "Vol signalé à l'accueil ; images nécessaires à l'enquête.", 8: "Autorisé", 9: "rs.bernard (Responsable Sécurité)", 11: "sinistre", 18: "Autorisé"} {
		if rows[1][i] != w {
			t.Errorf("case 1 %s = %q, want %q", rows[0][i], rows[1][i], w)
		}
	}
	if rows[2][8] != "Refusé" || rows[2][11] != "images effacées" || rows[2][4] != "Jean Dupont" {
		t.Errorf("refused row %q", rows[2])
	}
	// The whole journal stays available, one entry per row.
	b.Reset()
	if err := New(f.Store).ExportRegister(f.Ctx, f.DPO, FormatEntriesCSV, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "register.export") {
		t.Error("the journal CSV lacks the export's own entry")
	}
}
