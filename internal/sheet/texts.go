package sheet

import (
	"fmt"
	"strings"
)

// texts holds every fixed label of the documents in one language.
type texts struct {
	pdfLang       string
	dayFmt        string // time layout of a date
	frenchNumbers bool   // decimal comma, narrow no-break space between thousands
	units         []string
	unknown       string // "version inconnue"

	page         string // "Page %d / %s"
	confidential string // footer note
	caseNo       string // "Dossier n° %s"
	caseLabel    string // "Dossier n°"
	none         string // empty value
	yes, no      string

	// register sheet
	sheetTitle     string
	sheetProcs     string
	secCase        string
	kNumber        string
	kSite          string
	kState         string
	kReason        string
	kReasonDetail  string
	kRequester     string
	kRequesterOrg  string
	kContact       string
	kRecipient     string
	kReceived      string
	kRangeLocal    string
	kRangeUTC      string
	kCameras       string
	kJustification string
	rangeFmt       string // "du %s au %s"

	secFiles      string
	cFile         string
	cSize         string
	cDuration     string
	cTreatment    string
	cSHA256       string
	tOriginal     string
	tReencoded    string
	tAnonymized   string
	filesNote     string
	secEntries    string
	cSeq          string
	cTime         string
	cTimeUTC      string
	cActor        string
	cAction       string
	cSummary      string
	cHash         string
	entriesNote   string
	noEntries     string
	secCheckpoint string
	cpIntro       string
	cpSize        string
	cpHash        string
	cpNone        string
	cpQRFail      string
	secSignatures string
	sigOperator   string
	sigAuthorizer string
	sigName       string
	sigRole       string
	sigKey        string
	sigDate       string
	sigSign       string
	sigNote       string
	secHashes     string

	// receipt
	rcTitle       string
	rcIntro       string // recipient, site, case
	secDelivery   string
	kDate         string
	kMode         string
	kSupport      string
	kRecName      string
	kRecID        string
	kDataRecip    string
	secRecordings string
	kNature       string
	rcFilesNote   string
	sigGivenBy    string
	sigReceivedBy string
	rcCopies      string

	// label
	lbExport string
	lbMedia  string
	lbSite   string

	// password sheet
	pwTitle    string
	pwWarnHead string
	pwWarn     string
	kPwCase    string
	kPwRecip   string
	kPwDate    string
	kPwChannel string
	pwLabel    string
	pwSpell    string
	pwUpper    string
	pwLower    string
	pwDigit    string
	pwSpecial  string
	pwSpace    string
	pwNotes    []string

	// register
	regTitle   string
	regSummary string // "%d événements" ...
	regEmpty   string
	kGenerated string
	kPeriod    string
	kCount     string
}

var textsFR = texts{
	pdfLang:       "fr-FR",
	dayFmt:        "02/01/2006",
	frenchNumbers: true,
	units:         []string{"o", "ko", "Mo", "Go", "To"},
	unknown:       "version inconnue",
	page:          "Page %d / %s",
	confidential:  "Document confidentiel — données à caractère personnel",
	caseNo:        "Dossier n° %s",
	caseLabel:     "Dossier n°",
	none:          "—",
	yes:           "oui",
	no:            "non",

	sheetTitle:     "Fiche de registre d'extraction",
	sheetProcs:     "Registre des extractions vidéo — procédures PROC-RGPD-001 et PROC-VMS-006",
	secCase:        "Dossier d'extraction",
	kNumber:        "N° de dossier",
	kSite:          "Site",
	kState:         "État",
	kReason:        "Motif",
	kReasonDetail:  "Précision / référence",
	kRequester:     "Demandeur",
	kRequesterOrg:  "Organisme",
	kContact:       "Contact",
	kRecipient:     "Destinataire des données",
	kReceived:      "Demande reçue le",
	kRangeLocal:    "Plage horaire",
	kRangeUTC:      "Plage horaire (UTC)",
	kCameras:       "Caméras",
	kJustification: "Justification écrite",
	rangeFmt:       "du %s au %s",

	secFiles:      "Fichiers exportés",
	cFile:         "Fichier",
	cSize:         "Taille",
	cDuration:     "Durée",
	cTreatment:    "Traitement",
	cSHA256:       "Empreinte SHA-256",
	tOriginal:     "flux d'origine",
	tReencoded:    "réencodé",
	tAnonymized:   "anonymisé",
	filesNote:     "L'empreinte SHA-256 de chaque fichier permet d'en vérifier l'intégrité.",
	secEntries:    "Événements du registre",
	cSeq:          "N°",
	cTime:         "Date et heure",
	cTimeUTC:      "UTC",
	cActor:        "Acteur",
	cAction:       "Action",
	cSummary:      "Résumé",
	cHash:         "Empreinte",
	entriesNote:   "Empreintes abrégées ; valeurs complètes en annexe.",
	noEntries:     "Aucun événement.",
	secCheckpoint: "Point de contrôle du registre",
	cpIntro:       "Ce point de contrôle signé atteste l'état du registre des extractions au moment de l'édition. Tout ajout, modification ou suppression ultérieure d'un événement le rend invalide. Le QR code reproduit le texte ci-dessous.",
	cpSize:        "Événements couverts",
	cpHash:        "Empreinte racine",
	cpNone:        "Aucun point de contrôle fourni.",
	cpQRFail:      "QR code impossible : texte trop long.",
	secSignatures: "Signatures",
	sigOperator:   "Opérateur ayant réalisé l'extraction",
	sigAuthorizer: "Responsable ayant autorisé l'extraction",
	sigName:       "Nom",
	sigRole:       "Qualité",
	sigKey:        "Empreinte de la clé Ed25519",
	sigDate:       "Date",
	sigSign:       "Signature",
	sigNote:       "Les signataires attestent l'exactitude des informations ci-dessus.",
	secHashes:     "Annexe — empreintes complètes des événements",

	rcTitle:       "Récépissé de remise d'enregistrements vidéo",
	rcIntro:       "Je soussigné(e) %s reconnais avoir reçu de %s, dans le cadre du dossier d'extraction %s, les enregistrements vidéo décrits ci-dessous.",
	secDelivery:   "Remise",
	kDate:         "Date de remise",
	kMode:         "Mode de remise",
	kSupport:      "Support",
	kRecName:      "Destinataire",
	kRecID:        "Identité vérifiée",
	kDataRecip:    "Destinataire des données",
	secRecordings: "Enregistrements remis",
	kNature:       "Nature",
	rcFilesNote:   "L'empreinte SHA-256 de chaque fichier permet d'en vérifier l'intégrité. Si les fichiers sont chiffrés, le mot de passe est transmis par un canal distinct du support.",
	sigGivenBy:    "Remis par",
	sigReceivedBy: "Reçu par",
	rcCopies:      "Récépissé établi en deux exemplaires. Une copie signée est conservée dans le dossier d'extraction.",

	lbExport: "Exporté le",
	lbMedia:  "Support",
	lbSite:   "Site",

	pwTitle:    "Mot de passe de déchiffrement",
	pwWarnHead: "À transmettre par un canal distinct du support",
	pwWarn:     "Cette feuille ne doit jamais accompagner le support ni l'envoi des fichiers chiffrés. Remettez-la au destinataire par un autre canal, puis détruisez-la.",
	kPwCase:    "Dossier",
	kPwRecip:   "Destinataire",
	kPwDate:    "Date",
	kPwChannel: "Canal de transmission",
	pwLabel:    "Mot de passe",
	pwSpell:    "Épellation, caractère par caractère",
	pwUpper:    "majuscule",
	pwLower:    "minuscule",
	pwDigit:    "chiffre",
	pwSpecial:  "spécial",
	pwSpace:    "espace",
	pwNotes: []string{
		"Le mot de passe respecte la casse et doit être saisi exactement tel qu'imprimé.",
		"Il ouvre les fichiers chiffrés (AES-256) du dossier indiqué ci-dessus, et eux seuls.",
		"Le logiciel ne conserve pas ce mot de passe : en cas de perte, un nouvel export est nécessaire.",
	},

	regTitle:   "Registre des extractions",
	regSummary: "%d événements",
	regEmpty:   "Le registre ne contient aucun événement.",
	kGenerated: "Édité le",
	kPeriod:    "Période",
	kCount:     "Événements",
}

var textsEN = texts{
	pdfLang:      "en-GB",
	dayFmt:       "2006-01-02",
	units:        []string{"B", "kB", "MB", "GB", "TB"},
	unknown:      "unknown version",
	page:         "Page %d / %s",
	confidential: "Confidential document — personal data",
	caseNo:       "Case %s",
	caseLabel:    "Case",
	none:         "—",
	yes:          "yes",
	no:           "no",

	sheetTitle:     "Extraction register sheet",
	sheetProcs:     "Video extraction register — procedures PROC-RGPD-001 and PROC-VMS-006",
	secCase:        "Extraction case",
	kNumber:        "Case number",
	kSite:          "Site",
	kState:         "State",
	kReason:        "Reason",
	kReasonDetail:  "Detail / reference",
	kRequester:     "Requester",
	kRequesterOrg:  "Organisation",
	kContact:       "Contact",
	kRecipient:     "Recipient of the data",
	kReceived:      "Request received",
	kRangeLocal:    "Time range",
	kRangeUTC:      "Time range (UTC)",
	kCameras:       "Cameras",
	kJustification: "Written justification",
	rangeFmt:       "from %s to %s",

	secFiles:      "Exported files",
	cFile:         "File",
	cSize:         "Size",
	cDuration:     "Duration",
	cTreatment:    "Processing",
	cSHA256:       "SHA-256 digest",
	tOriginal:     "original stream",
	tReencoded:    "re-encoded",
	tAnonymized:   "anonymized",
	filesNote:     "The SHA-256 digest of each file allows its integrity to be checked.",
	secEntries:    "Register entries",
	cSeq:          "No.",
	cTime:         "Date and time",
	cTimeUTC:      "UTC",
	cActor:        "Actor",
	cAction:       "Action",
	cSummary:      "Summary",
	cHash:         "Digest",
	entriesNote:   "Shortened digests; full values in the appendix.",
	noEntries:     "No entries.",
	secCheckpoint: "Register checkpoint",
	cpIntro:       "This signed checkpoint attests the state of the extraction register when this document was produced. Any later addition, change or removal of an entry invalidates it. The QR code holds the text below.",
	cpSize:        "Entries covered",
	cpHash:        "Root hash",
	cpNone:        "No checkpoint supplied.",
	cpQRFail:      "QR code impossible: text too long.",
	secSignatures: "Signatures",
	sigOperator:   "Operator who performed the extraction",
	sigAuthorizer: "Manager who authorized the extraction",
	sigName:       "Name",
	sigRole:       "Role",
	sigKey:        "Ed25519 key fingerprint",
	sigDate:       "Date",
	sigSign:       "Signature",
	sigNote:       "The signatories attest that the information above is accurate.",
	secHashes:     "Appendix — full entry digests",

	rcTitle:       "Receipt for delivered video recordings",
	rcIntro:       "I, the undersigned %s, acknowledge receipt from %s, for extraction case %s, of the video recordings described below.",
	secDelivery:   "Delivery",
	kDate:         "Delivery date",
	kMode:         "Delivery mode",
	kSupport:      "Medium",
	kRecName:      "Recipient",
	kRecID:        "Verified identity",
	kDataRecip:    "Recipient of the data",
	secRecordings: "Recordings delivered",
	kNature:       "Nature",
	rcFilesNote:   "The SHA-256 digest of each file allows its integrity to be checked. If the files are encrypted, the password is sent through a channel separate from the medium.",
	sigGivenBy:    "Delivered by",
	sigReceivedBy: "Received by",
	rcCopies:      "Receipt made out in two copies. A signed copy is kept in the extraction case.",

	lbExport: "Exported",
	lbMedia:  "Medium",
	lbSite:   "Site",

	pwTitle:    "Decryption password",
	pwWarnHead: "Send through a channel separate from the medium",
	pwWarn:     "This sheet must never travel with the medium or with the encrypted files. Hand it to the recipient through another channel, then destroy it.",
	kPwCase:    "Case",
	kPwRecip:   "Recipient",
	kPwDate:    "Date",
	kPwChannel: "Transmission channel",
	pwLabel:    "Password",
	pwSpell:    "Spelling, character by character",
	pwUpper:    "upper",
	pwLower:    "lower",
	pwDigit:    "digit",
	pwSpecial:  "special",
	pwSpace:    "space",
	pwNotes: []string{
		"The password is case-sensitive and must be typed exactly as printed.",
		"It opens the encrypted files (AES-256) of the case above, and only those.",
		"The software does not keep this password: if it is lost, a new export is needed.",
	},

	regTitle:   "Extraction register",
	regSummary: "%d entries",
	regEmpty:   "The register holds no entries.",
	kGenerated: "Produced",
	kPeriod:    "Period",
	kCount:     "Entries",
}

// textsFor returns the labels for lang ("" and "fr…" French, "en…" English).
func textsFor(lang string) (*texts, error) {
	base := strings.ToLower(lang)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "", "fr":
		return &textsFR, nil
	case "en":
		return &textsEN, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrLanguage, lang)
}
