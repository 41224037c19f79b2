package sheet

import (
	"fmt"
	"strings"

	"mileo.tech/extract/internal/i18n"
)

// texts holds every fixed label of the documents in one language.
type texts struct {
	cat           *i18n.Catalog // every other text: [texts.f]
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
	kSite          string
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
	noEntries     string
	secCheckpoint string
	cpIntro       string
	cpSize        string
	cpHash        string
	cpNone        string
	cpQRFail      string
	secSignatures string
	sigName       string
	sigRole       string
	sigKey        string
	sigDate       string
	sigSign       string
	sigNote       string

	// receipt
	rcTitle       string
	secDelivery   string
	kDate         string
	kMode         string
	kSupport      string
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

var textsFR = fromCatalog("fr", texts{
	pdfLang:       "fr-FR",
	dayFmt:        "02/01/2006",
	frenchNumbers: true,
	units:         []string{"o", "ko", "Mo", "Go", "To"},
})

var textsEN = fromCatalog("en", texts{
	pdfLang: "en-GB",
	dayFmt:  "2006-01-02",
	units:   []string{"B", "kB", "MB", "GB", "TB"},
})

// fromCatalog fills the labels of t from the catalogue (ids "doc.<field>"
// of package internal/i18n). Labels with %s or %d are fmt formats.
func fromCatalog(lang string, t texts) texts {
	c := i18n.New(lang)
	t.cat = c
	t.unknown = c.T("doc.unknown")
	t.page = c.T("doc.page")
	t.confidential = c.T("doc.confidential")
	t.caseNo = c.T("doc.caseNo")
	t.caseLabel = c.T("doc.caseLabel")
	t.none = c.T("doc.none")
	t.yes = c.T("doc.yes")
	t.no = c.T("doc.no")
	t.sheetTitle = c.T("doc.sheetTitle")
	t.sheetProcs = c.T("doc.sheetProcs")
	t.kSite = c.T("doc.kSite")
	t.kReason = c.T("doc.kReason")
	t.kReasonDetail = c.T("doc.kReasonDetail")
	t.kRequester = c.T("doc.kRequester")
	t.kRequesterOrg = c.T("doc.kRequesterOrg")
	t.kContact = c.T("doc.kContact")
	t.kRecipient = c.T("doc.kRecipient")
	t.kReceived = c.T("doc.kReceived")
	t.kRangeLocal = c.T("doc.kRangeLocal")
	t.kRangeUTC = c.T("doc.kRangeUTC")
	t.kCameras = c.T("doc.kCameras")
	t.kJustification = c.T("doc.kJustification")
	t.rangeFmt = c.T("doc.rangeFmt")
	t.secFiles = c.T("doc.secFiles")
	t.cFile = c.T("doc.cFile")
	t.cSize = c.T("doc.cSize")
	t.cDuration = c.T("doc.cDuration")
	t.cTreatment = c.T("doc.cTreatment")
	t.cSHA256 = c.T("doc.cSHA256")
	t.tOriginal = c.T("doc.tOriginal")
	t.tReencoded = c.T("doc.tReencoded")
	t.tAnonymized = c.T("doc.tAnonymized")
	t.filesNote = c.T("doc.filesNote")
	t.secEntries = c.T("doc.secEntries")
	t.cSeq = c.T("doc.cSeq")
	t.cTime = c.T("doc.cTime")
	t.cTimeUTC = c.T("doc.cTimeUTC")
	t.cActor = c.T("doc.cActor")
	t.cAction = c.T("doc.cAction")
	t.cSummary = c.T("doc.cSummary")
	t.noEntries = c.T("doc.noEntries")
	t.secCheckpoint = c.T("doc.secCheckpoint")
	t.cpIntro = c.T("doc.cpIntro")
	t.cpSize = c.T("doc.cpSize")
	t.cpHash = c.T("doc.cpHash")
	t.cpNone = c.T("doc.cpNone")
	t.cpQRFail = c.T("doc.cpQRFail")
	t.secSignatures = c.T("doc.secSignatures")
	t.sigName = c.T("doc.sigName")
	t.sigRole = c.T("doc.sigRole")
	t.sigKey = c.T("doc.sigKey")
	t.sigDate = c.T("doc.sigDate")
	t.sigSign = c.T("doc.sigSign")
	t.sigNote = c.T("doc.sigNote")
	t.rcTitle = c.T("doc.rcTitle")
	t.secDelivery = c.T("doc.secDelivery")
	t.kDate = c.T("doc.kDate")
	t.kMode = c.T("doc.kMode")
	t.kSupport = c.T("doc.kSupport")
	t.kDataRecip = c.T("doc.kDataRecip")
	t.secRecordings = c.T("doc.secRecordings")
	t.kNature = c.T("doc.kNature")
	t.rcFilesNote = c.T("doc.rcFilesNote")
	t.sigGivenBy = c.T("doc.sigGivenBy")
	t.sigReceivedBy = c.T("doc.sigReceivedBy")
	t.rcCopies = c.T("doc.rcCopies")
	t.lbExport = c.T("doc.lbExport")
	t.lbMedia = c.T("doc.lbMedia")
	t.lbSite = c.T("doc.lbSite")
	t.pwTitle = c.T("doc.pwTitle")
	t.pwWarnHead = c.T("doc.pwWarnHead")
	t.pwWarn = c.T("doc.pwWarn")
	t.kPwCase = c.T("doc.kPwCase")
	t.kPwRecip = c.T("doc.kPwRecip")
	t.kPwDate = c.T("doc.kPwDate")
	t.kPwChannel = c.T("doc.kPwChannel")
	t.pwLabel = c.T("doc.pwLabel")
	t.pwSpell = c.T("doc.pwSpell")
	t.pwUpper = c.T("doc.pwUpper")
	t.pwLower = c.T("doc.pwLower")
	t.pwDigit = c.T("doc.pwDigit")
	t.pwSpecial = c.T("doc.pwSpecial")
	t.pwSpace = c.T("doc.pwSpace")
	t.regTitle = c.T("doc.regTitle")
	t.regSummary = c.T("doc.regSummary")
	t.regEmpty = c.T("doc.regEmpty")
	t.kGenerated = c.T("doc.kGenerated")
	t.kPeriod = c.T("doc.kPeriod")
	t.kCount = c.T("doc.kCount")
	t.pwNotes = []string{c.T("doc.pwNotes.1"), c.T("doc.pwNotes.2"), c.T("doc.pwNotes.3")}
	return t
}

// f is the text id of the catalogue ("doc.…"), a fmt format filled with a
// when a is given.
func (t *texts) f(id string, a ...any) string {
	s := t.cat.T(id)
	if len(a) == 0 {
		return s
	}
	return fmt.Sprintf(s, a...)
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
