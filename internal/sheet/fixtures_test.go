package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

var (
	tParis = mustParis()
	t0     = time.Date(2026, 3, 2, 9, 15, 0, 0, tParis)
)

func mustParis() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}

func hexHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// zeroReader makes note.GenerateKey deterministic.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// signedCheckpoint builds a real signed note (golang.org/x/mod/sumdb/note)
// with a fixed key, so the text is the same on every run.
func signedCheckpoint(t testing.TB, size int64) Checkpoint {
	t.Helper()
	skey, _, err := note.GenerateKey(zeroReader{}, "mileo-siege-paris")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	root := sha256.Sum256([]byte(fmt.Sprint("root", size)))
	hash := base64.StdEncoding.EncodeToString(root[:])
	body := fmt.Sprintf("mileo.tech/extract/register v1\n%d\n%s\n", size, hash)
	msg, err := note.Sign(&note.Note{Text: body}, signer)
	if err != nil {
		t.Fatal(err)
	}
	return Checkpoint{Text: string(msg), Size: size, Hash: hash}
}

const longJustification = "Dans la nuit du 1er au 2 mars 2026, un vol avec effraction a été constaté au quai de livraison. " +
	"La police judiciaire a adressé une réquisition écrite visant la «\u00a0période comprise entre 21\u202fh\u202f30 et 23\u202fh\u202f00\u00a0» " +
	"sur les trois caméras qui couvrent l'accès au quai. Les images sont nécessaires à l'enquête et doivent être " +
	"conservées avant la purge automatique du VMS prévue à J+30. Motif vérifié avec le demandeur par téléphone à 9 h 40. "

func words(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "mot%03d", i)
	}
	return b.String()
}

func fixtureEntries(n int, actors ...string) []Entry {
	actions := []struct{ action, summary string }{
		{"Demande enregistrée", "Réquisition judiciaire reçue par courriel ; dossier ouvert."},
		{"Confirmation", "Plage horaire et caméras confirmées avec le demandeur («\u202fSécurité\u202f» du site)."},
		{"Autorisation", "Autorisation écrite préalable accordée par le Responsable Sécurité."},
		{"Export démarré", "Export MP4 (H.264) de 3 caméras, 21:30–23:00, sans réencodage."},
		{"Export vérifié", "Complétude : aucune lacune. Lisibilité : 3/3 fichiers décodés jusqu'à la dernière image."},
		{"Chiffrement", "Archive chiffrée AES-256 ; mot de passe généré (20 caractères), affiché une fois."},
		{"Remise", "Clé USB scellée n° USB-0007 remise en mains propres contre signature."},
		{"Mot de passe transmis", "Mot de passe remis sur feuille séparée, par un canal distinct du support."},
	}
	if len(actors) == 0 {
		actors = []string{"Karim Benali", "Sophie Marchand"}
	}
	roles := map[string]string{"Karim Benali": "opérateur", "Sophie Marchand": "responsable sécurité"}
	out := make([]Entry, n)
	for i := range out {
		a := actions[i%len(actions)]
		who := actors[i%len(actors)]
		if a.action == "Autorisation" {
			who = "Sophie Marchand"
		}
		out[i] = Entry{
			Seq:     int64(1000 + i),
			Time:    t0.Add(time.Duration(i) * 7 * time.Minute),
			Actor:   who,
			Role:    roles[who],
			Action:  a.action,
			Summary: a.summary,
			Hash:    hexHash(fmt.Sprint("entry", i)),
		}
	}
	return out
}

var (
	karim  = Person{Name: "k.benali", Role: "Opérateur", KeyFingerprint: "SHA256:q1Vr3yX7mW0fT2nB8cL5dK9pE4sH6jA0uZ1iO7gR3tY"}
	sophie = Person{Name: "s.marchand", Role: "Responsable Sécurité", KeyFingerprint: "SHA256:Zp8Lw2Qe5Rt7Yu9Io1Pa3Sd5Fg7Hj9Kl2Xc4Vb6Nm8"}
	dpo    = Person{Name: "l.moreau", Role: "DPO", KeyFingerprint: "SHA256:Dp0Lw2Qe5Rt7Yu9Io1Pa3Sd5Fg7Hj9Kl2Xc4Vb6Nm8"}
)

func at(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, tParis) }

// fixtureCase is a judicial case carried through: requisition attached and
// acknowledged, export with a gap on one camera and a native file, sealed
// key handed over, receipt attached, one copy purged, closed.
func fixtureCase(t testing.TB) Case {
	c := Case{
		Number:           "EXT-2026-0042",
		Reason:           "Réquisition judiciaire",
		ReasonDetail:     "Réquisition n° 2026/118 — Parquet de Paris, art. 77-1-1 du code de procédure pénale",
		Requester:        "Capitaine Jeanne Lefèvre",
		RequesterOrg:     "Commissariat central du 8e arrondissement — Sûreté territoriale",
		RequesterContact: "jeanne.lefevre@interieur.gouv.fr · 01 53 76 60 00",
		Recipient:        "Officier de police judiciaire, commissariat central du 8e arrondissement",
		Received:         t0,
		Cameras:          []string{"CAM-03 Hall d'entrée", "CAM-07 Parking niveau −1", "CAM-12 Quai de livraison"},
		Justification:    longJustification + words(120),
		State:            "Clos",
		Site:             "Siège — 47 boulevard de Courcelles, Paris",
		Operator:         karim,
		Authorizer:       sophie,
		Entries:          fixtureEntries(8),
	}
	c.Range.Start = time.Date(2026, 3, 1, 21, 30, 0, 0, tParis)
	c.Range.End = time.Date(2026, 3, 1, 23, 0, 0, 0, tParis)
	scan := Attachment{Act: Act{By: karim, At: at(9, 40)}, Kind: "Réquisition judiciaire numérisée", Name: "requisition-2026-118.pdf", SHA256: hexHash("scan"), Size: 182_113}
	c.Filed = &Act{By: karim, At: at(9, 20)}
	c.Confirmation = &Confirmation{Act: Act{By: karim, At: at(9, 35)}, With: "Capitaine Lefèvre", How: "téléphone"}
	c.Requisition = &Requisition{Ref: "2026/118", Scan: &scan, Acknowledged: &Act{By: sophie, At: at(9, 50)}}
	gap := Gap{Range: Range{Start: time.Date(2026, 3, 1, 22, 10, 0, 0, tParis), End: time.Date(2026, 3, 1, 22, 10, 30, 0, tParis)}, Cause: "aucun enregistrement"}
	cams := []CameraExport{
		{Camera: "CAM-03 Hall d'entrée", Range: c.Range},
		{Camera: "CAM-07 Parking niveau −1", Range: c.Range, Gaps: []Gap{gap}},
		{Camera: "CAM-12 Quai de livraison", Range: c.Range},
	}
	c.Exports = []Export{{
		Act: Act{By: karim, At: at(10, 5)}, Source: "folder VMS du siège", Complete: false, Encrypted: true, Cameras: cams,
		Files: []File{
			{Camera: "CAM-03 Hall d'entrée", Name: "EXT-2026-0042_CAM-03_Hall-d-entree_20260301-2130_20260301-2300.mp4", Size: 734_003_200, SHA256: hexHash("f1"), Duration: 90 * time.Minute},
			{Camera: "CAM-07 Parking niveau −1", Name: "EXT-2026-0042_CAM-07_Parking.mp4", Size: 512_000_000, SHA256: hexHash("f2"), Duration: 89*time.Minute + 30*time.Second},
			{Camera: "CAM-12 Quai de livraison", Name: "EXT-2026-0042_CAM-12_Quai.mp4", Size: 498_765_432, SHA256: hexHash("f3"), Duration: 90 * time.Minute, Reencoded: true},
			{Camera: "CAM-12 Quai de livraison", Name: "native-03-001.mp4", Size: 498_000_000, SHA256: hexHash("f5"), Duration: 90 * time.Minute, Native: true},
			{Name: "metadata.json", Size: 4_812, SHA256: hexHash("f4")},
		},
		Archive: &Archive{Name: "EXT-2026-0042.zip", SHA256: hexHash("archive"), Size: 2_243_000_123, Cipher: "AES-256 (ZIP)"},
	}}
	rc := Attachment{Act: Act{By: karim, At: at(17, 5)}, Kind: "Récépissé signé", Name: "recepisse-signe.pdf", SHA256: hexHash("receipt"), Size: 90_000}
	c.Deliveries = []Delivery{fixtureDelivery()}
	c.Deliveries[0].Receipt = &rc
	c.Attachments = []Attachment{scan, rc}
	c.Purges = []Purge{
		{Copy: "CP-0007", Kind: "dossier d'export", Deadline: time.Date(2026, 4, 1, 17, 0, 0, 0, tParis), Done: &Act{By: karim, At: at(17, 30)}, Method: "fichiers écrasés puis supprimés, vérifié par le logiciel"},
		{Copy: "CP-0008", Kind: "support de duplication", Deadline: time.Date(2026, 4, 1, 17, 0, 0, 0, tParis)},
	}
	c.Closed = &Act{By: karim, At: at(17, 45)}
	c.Checkpoint = signedCheckpoint(t, 1008)
	return c
}

func fixtureDelivery() Delivery {
	return Delivery{
		Act:             Act{By: karim, At: time.Date(2026, 3, 2, 16, 40, 0, 0, tParis)},
		Support:         "Clé USB scellée de l'organisation",
		MediaID:         "USB-0007",
		Seal:            "S-004211",
		Mode:            "En mains propres contre signature",
		RecipientName:   "Capitaine Jeanne Lefèvre",
		RecipientOrg:    "Commissariat central du 8e arrondissement",
		RecipientID:     "Carte professionnelle n° 1234567",
		PasswordChannel: "Téléphone",
		Nature:          "Enregistrements de vidéosurveillance (MP4 H.264), 3 caméras, avec fichier de métadonnées",
	}
}

// fixtureAccess is an access request: identity checked, anonymized by the
// DPO, reviewed and checked, delivered by registered mail.
func fixtureAccess(t testing.TB) Case {
	c := fixtureCase(t)
	c.Number = "EXT-2026-0043"
	c.Reason, c.ReasonDetail = "Droit d'accès (RGPD art. 15)", ""
	c.Requester, c.RequesterOrg, c.RequesterContact = "Jean Dupont", "", "jean@example.org"
	c.Recipient, c.Justification = "Jean Dupont", "Présent dans le hall le 1er mars au soir."
	c.Requisition = nil
	c.Identity = &Identity{Method: "carte d'identité présentée à l'accueil", CheckedBy: "k.benali", Legitimacy: "présent sur les lieux le jour dit"}
	c.Decision = &Decision{Act: Act{By: sophie, At: at(9, 50)}, Kind: Authorized, Note: "identité vérifiée, une seule caméra"}
	c.Operator = dpo
	ex := &c.Exports[0]
	ex.By = dpo
	ex.Files = ex.Files[:1]
	ex.Files[0].Anonymized, ex.Files[0].Reencoded = true, true
	ex.Cameras = ex.Cameras[:1]
	ex.Reviews = []Review{{File: ex.Files[0].Name, Camera: "CAM-03 Hall d'entrée", Detector: "yunet-2023mar", Tracks: 7, Kept: []int{2},
		FalsePos: []int{4, 6}, ManualRegions: 1, Reviewer: "l.moreau",
		Check: &FinalCheck{Suspects: 2, Settled: []Settlement{{Act: Act{By: dpo, At: at(10, 30)}, ID: 1}, {Act: Act{By: dpo, At: at(10, 31)}, ID: 2}}}}}
	dl := fixtureDelivery()
	dl.By = dpo
	dl.Support, dl.MediaID, dl.Seal = "Clé USB scellée de l'organisation", "USB-0009", "S-0099"
	dl.Mode, dl.Tracking = "Envoi recommandé avec accusé de réception", "1A 234 567 8901 2"
	dl.RecipientName, dl.RecipientOrg, dl.RecipientID = "Jean Dupont", "", "CNI 123456789"
	dl.PasswordChannel = "SMS"
	c.Deliveries = []Delivery{dl}
	c.Attachments = c.Attachments[1:]
	return c
}

// fixtureRefused is a refused insurance request, not exported.
func fixtureRefused(t testing.TB) Case {
	c := fixtureCase(t)
	c.Number = "EXT-2026-0044"
	c.Reason, c.ReasonDetail = "Sinistre (assurance)", "dégât des eaux"
	c.Requisition = nil
	c.Decision = &Decision{Act: Act{By: sophie, At: at(9, 50)}, Kind: Refused, Note: "aucune caméra ne couvre le local sinistré"}
	c.Exports, c.Deliveries, c.Attachments, c.Purges = nil, nil, nil, nil
	c.Closed = &Act{By: karim, At: at(10, 0)}
	return c
}

// fixtureEmergency is an incident exported in an emergency, authorized
// afterwards by the delegate standing in.
func fixtureEmergency(t testing.TB) Case {
	c := fixtureCase(t)
	c.Number = "EXT-2026-0045"
	c.Reason, c.ReasonDetail = "Incident de sécurité", "agression"
	c.Requisition = nil
	del := Person{Name: "d.petit", Role: "Délégué désigné", KeyFingerprint: "SHA256:De1Lw2Qe5Rt7Yu9Io1Pa3Sd5Fg7Hj9Kl2Xc4Vb6Nm8"}
	c.Emergency = &Emergency{Act: Act{By: karim, At: at(9, 55)}, Reason: "agression en cours, police sur place", Incident: 1017}
	c.StandIn = &StandIn{Act: Act{By: del, At: at(11, 0)}, Why: "absent (congés, déplacement)"}
	c.Decision = &Decision{Act: Act{By: del, At: at(11, 5)}, Kind: Authorized, AfterEmergency: true}
	c.Authorizer = del
	c.Incidents = []Incident{{Seq: 1017, At: at(9, 55), Detail: "export en urgence avant autorisation (PROC-VMS-006 §02) : à autoriser a posteriori"},
		{Seq: 1030, At: at(16, 35), Detail: "remise refusée : fichier et mot de passe par le même canal (hand)"}}
	return c
}

func fixtureReceipt(t testing.TB) Receipt {
	c := fixtureCase(t)
	return Receipt{Case: c, Delivery: c.Deliveries[0], Checkpoint: signedCheckpoint(t, 1009)}
}

func fixtureLetter(t testing.TB) RecipientLetter {
	c := fixtureCase(t)
	return RecipientLetter{Case: c, Delivery: &c.Deliveries[0], Date: time.Date(2026, 3, 2, 16, 30, 0, 0, tParis)}
}

// fixtureAnswer answers the access request of fixtureAccess (R-DL-1),
// whose export carries its art. 30 record (R-REG-5 rev.).
func fixtureAnswer(t testing.TB) AnswerLetter {
	c := fixtureAccess(t)
	ex := c.LastExport()
	ex.Record = &Art30{Controller: "Entrepôt Sud SAS, 1 rue du Port, 94000 Créteil", DPO: "dpo@entrepot-sud.example",
		Purpose: "Sécurité des biens et des personnes.", Extract: "Réponse à l'exercice du droit d'accès (RGPD art. 15).",
		Persons: "Salariés, clients, visiteurs.", Data: "Images des personnes filmées, date, heure et lieu.",
		Recipients: "La personne concernée ; les tiers sont anonymisés.", Retention: "30 jours ; extractions purgées 30 jours après la fin de l'usage.",
		Security: "Archive chiffrée AES-256 ; registre signé.", CopyDeadline: time.Date(2026, 4, 1, 17, 0, 0, 0, tParis)}
	l := AnswerLetter{Case: c, Export: ex, Date: time.Date(2026, 3, 3, 10, 0, 0, 0, tParis),
		Signer: Person{Name: "Claire Martin", Login: "dpo.martin", Role: "DPO"}}
	if len(c.Deliveries) > 0 {
		l.Delivery = &c.Deliveries[0]
	}
	return l
}

func fixtureRefusalLetter() RefusalLetter {
	return RefusalLetter{CaseNumber: "EXT-2026-0044", Site: "Siège — Paris 8e", Addressee: "Jean Dupont",
		Received: time.Date(2026, 3, 1, 10, 0, 0, 0, tParis), Date: time.Date(2026, 3, 3, 10, 0, 0, 0, tParis),
		Reason: "Les images de cette période ont été effacées à l'issue de leur durée de conservation.",
		Signer: Person{Name: "Sophie Marchand", Role: "Responsable Sécurité"}}
}

const fixturePassword = "kT7#qV2!mZ9$wR4&xN8p"

func fixtureLabel() Label {
	return Label{
		CaseNumber:      "EXT-2026-0042",
		ExportDate:      time.Date(2026, 3, 2, 15, 5, 0, 0, tParis),
		Confidentiality: "CONFIDENTIEL",
		MediaID:         "USB-0007",
		Site:            "Siège — Paris 8e",
	}
}

func fixturePasswordSheet() PasswordSheet {
	return PasswordSheet{
		CaseNumber: "EXT-2026-0042",
		Password:   fixturePassword,
		Recipient:  "Capitaine Jeanne Lefèvre",
		Date:       time.Date(2026, 3, 2, 16, 45, 0, 0, tParis),
		Channel:    "Remise en mains propres, séparée de la clé USB",
	}
}

func fixtureRegister(t testing.TB, n int) Register {
	return Register{
		Cases:      []Case{fixtureCase(t), fixtureAccess(t), fixtureRefused(t), fixtureEmergency(t)},
		Title:      "Registre des extractions",
		Site:       "Siège — 47 boulevard de Courcelles, Paris",
		Generated:  time.Date(2026, 3, 10, 11, 0, 0, 0, tParis),
		Entries:    fixtureEntries(n, "Karim Benali", "Sophie Marchand", "Luc Moreau"),
		Checkpoint: signedCheckpoint(t, int64(1000+n)),
	}
}

var fixtureOpts = Options{Software: "1.4.0"}

func renderBytes(t testing.TB, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
