// Package papers prints the documents of the extraction register for
// PROC-RGPD-001 and PROC-VMS-006, through internal/sheet: the register
// sheet of a case (R-REG-3 rev.), the receipt of a delivery and the letter
// for the recipient of an archive (R-DLV-1 rev.), the label of a medium
// (R-DLV-2), the separate password sheet (R-ENC-2), the letter answering a
// refused access request (R-DL-1), and the register for the DPO or the
// CNIL (R-REG-5 rev.): as PDF and CSV one row per case, the GDPR art. 30
// record (PROC-VMS-006 §05), and the journal of every entry. It also
// writes the one-line summary of an entry ([SummaryIn]) that the sheets,
// the window and the command line show.
//
// # Facts
//
// A document states every fact of a case: what the procedure folds into
// [procedure.Case], and what only its entries hold — the archive of an
// export (case.encrypt), the anonymization documents (case.anonymize), the
// temporary copies and their purges (copy.track, copy.purge). People are
// named by account and role title: accounts carry no full name yet, so the
// signature blocks leave a line for it.
//
// # Every print is recorded
//
// A document of a case is recorded in the case before it is rendered
// ([procedure.CaseService.RecordPrint]: a step of the case, signed by the
// person who prints, refused to a role that may not read the case); an
// export of the whole register is itself an entry (register.export, GDPR
// art. 30). The sheet, the receipt and the register carry a checkpoint
// written after the entry of their own printing. A password is only
// rendered, never stored.
//
// # Place
//
// Papers is built on procedure (package procedure cannot import it):
// front ends call papers.New(store). It reads the procedure's cases
// through its exported API, and reads the few fields of entries a summary
// shows itself: a signed entry never changes, so neither do they.
package papers
