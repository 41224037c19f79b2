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
		State:            "Remis — purge à effectuer avant le 01/04/2026",
		Site:             "Siège — 47 boulevard de Courcelles, Paris",
		Operator:         Person{Name: "Karim Benali", Role: "Opérateur de sécurité", KeyFingerprint: "SHA256:q1Vr3yX7mW0fT2nB8cL5dK9pE4sH6jA0uZ1iO7gR3tY"},
		Authorizer:       Person{Name: "Sophie Marchand", Role: "Responsable Sécurité", KeyFingerprint: "SHA256:Zp8Lw2Qe5Rt7Yu9Io1Pa3Sd5Fg7Hj9Kl2Xc4Vb6Nm8"},
		Entries:          fixtureEntries(8),
		Files: []File{
			{Name: "EXT-2026-0042_CAM-03_Hall-d-entree_20260301-2130_20260301-2300.mp4", Size: 734_003_200, SHA256: hexHash("f1"), Duration: 90 * time.Minute},
			{Name: "EXT-2026-0042_CAM-07_Parking.mp4", Size: 512_000_000, SHA256: hexHash("f2"), Duration: 89*time.Minute + 58*time.Second},
			{Name: "EXT-2026-0042_CAM-12_Quai.mp4", Size: 498_765_432, SHA256: hexHash("f3"), Duration: 90 * time.Minute, Reencoded: true, Anonymized: true},
			{Name: "metadata.json", Size: 4_812, SHA256: hexHash("f4")},
		},
	}
	c.Range.Start = time.Date(2026, 3, 1, 21, 30, 0, 0, tParis)
	c.Range.End = time.Date(2026, 3, 1, 23, 0, 0, 0, tParis)
	c.Checkpoint = signedCheckpoint(t, 1008)
	return c
}

func fixtureReceipt(t testing.TB) Receipt {
	return Receipt{
		Case:          fixtureCase(t),
		Support:       "Clé USB scellée n° USB-0007 (support dédié Mileo Technology)",
		Mode:          "En mains propres contre signature",
		RecipientName: "Capitaine Jeanne Lefèvre",
		RecipientID:   "Carte professionnelle n° 1234567, vérifiée par Karim Benali",
		Date:          time.Date(2026, 3, 2, 16, 40, 0, 0, tParis),
		Nature:        "Enregistrements de vidéosurveillance (MP4 H.264), 3 caméras, avec fichier de métadonnées",
		Checkpoint:    signedCheckpoint(t, 1009),
	}
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
