// Package sheet prints the documents of the extraction procedure
// (PROC-RGPD-001, PROC-VMS-006) as PDF, and the register as CSV.
//
// The package is pure Go: PDFs are drawn with codeberg.org/go-pdf/fpdf and
// the embedded DejaVu fonts of package [mileo.tech/extract/assets]; QR codes
// are drawn as vector squares from github.com/boombuler/barcode/qr. Inputs are
// the package's own plain types ([Case], [Receipt], [Label], [PasswordSheet],
// [Register]); the register package maps its records onto them.
//
// # Documents
//
//   - [RegisterSheet]: the A4 register sheet of one case, with its entries,
//     the signed checkpoint and the two signature blocks (R-REG-3).
//   - [ReceiptPDF]: the delivery receipt (récépissé, R-DLV-1).
//   - [LabelPDF]: the 100 × 60 mm label of a physical medium (R-DLV-2); it
//     never carries the password.
//   - [PasswordPDF]: the separate password sheet (R-ENC-2).
//   - [RegisterPDF] and [RegisterCSV]: the whole register for the DPO or the
//     CNIL (R-REG-5).
//
// # Text and times
//
// Labels are French by default, English with [Options].Lang "en"; they come
// from the one catalogue of texts, package internal/i18n (ids "doc.*"). The
// data themselves are printed as given. Lines are wrapped by this package, only at
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
