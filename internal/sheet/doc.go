// Package sheet prints the documents of the extraction procedure
// (PROC-RGPD-001, PROC-VMS-006) as PDF, and the register as CSV.
//
// The package is pure Go: PDFs are drawn with codeberg.org/go-pdf/fpdf and
// the embedded DejaVu fonts of package [mileo.tech/extract/assets]; QR codes
// are drawn as vector squares from github.com/boombuler/barcode/qr. Inputs are
// the plain types of package [mileo.tech/extract/internal/sheet/model]
// ([Case] with its facts, [Receipt], [RecipientLetter], [AnswerLetter],
// [RefusalLetter], [Label], [PasswordSheet], [Register]), kept in this
// package's API as aliases; package papers maps the procedure's cases onto
// them, titles already in the document's language.
//
// # Documents
//
//   - [RegisterSheet]: the A4 register sheet of one case, a document a
//     security manager reads and signs (R-REG-3 rev.): the request, the
//     procedure step by step in sentences, the footage exported per camera
//     with its gaps, files and archive with their SHA-256, the
//     anonymization review, each handover with the recipient's identity,
//     attachments, purges, and the signature blocks of the person who
//     exported and of the person who decided (a line for their name written
//     by hand: accounts carry no full name yet). Key fingerprints, the
//     entries with their digests and the signed checkpoint are in a
//     technical appendix on pages of their own.
//   - [ReceiptPDF]: the delivery receipt (récépissé, R-DLV-1 rev.): what was
//     actually handed over, by whom, to whom, with the seal or registered
//     mail number and the archive's SHA-256.
//   - [RecipientLetterPDF]: one page for the recipient of an encrypted
//     archive: what it holds, how to open it and check its SHA-256, that the
//     password comes by another channel.
//   - [LabelPDF]: the 100 × 60 mm label of a physical medium (R-DLV-2); it
//     never carries the password.
//   - [PasswordPDF]: the separate password sheet (R-ENC-2).
//   - [RegisterPDF], [CasesCSV] and [RegisterCSV]: the register for the DPO
//     or the CNIL (R-REG-5 rev.): one row per case (the GDPR art. 30
//     record), then every entry.
//
// # Text and times
//
// Labels and sentences are French by default, English with [Options].Lang
// "en"; they come from the one catalogue of texts, package internal/i18n
// (ids "doc.*", fmt formats with indexed verbs so each language orders its
// sentence). The data themselves are printed as given; a personal datum
// erased at the end of its retention ([Case].Erased) prints as erased. The
// CSV is French, as the CNIL and French spreadsheets expect. Lines are wrapped by this package, only at
// ordinary spaces, so « guillemets » with non-breaking spaces (U+00A0,
// U+202F) stay together; a word wider than its column is cut. Times are
// printed in Europe/Paris (or [Options].Loc) with the zone shown, and in UTC
// where a range is stated. The package imports time/tzdata so Europe/Paris
// resolves on every platform.
//
// # Reproducible output
//
// The same input gives the same bytes: the PDF creation date is taken from
// the document's own date (the last entry of a case, the delivery date, the
// export date, the sheet date, the register's generation time; the time of
// writing only when that date is zero), resources are written in a fixed order
// and fonts are subset deterministically. A printed sheet can therefore be
// regenerated and compared. Documents may be drawn from several goroutines.
//
// # Confidentiality
//
// The documents hold personal data; the password sheet holds a secret. The
// package writes only to the given io.Writer, never to disk, and never logs.
// Callers should send the password sheet straight to the printer.
package sheet
