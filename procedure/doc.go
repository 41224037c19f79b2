// Package procedure is the extraction procedure of PROC-RGPD-001 and
// PROC-VMS-006, built on the signed log of package register: extraction
// cases, their authorization, export and delivery, incidents, deadlines,
// the viewing of footage and settings. Every rule (who may do what, in
// which state, with which deadline, what each act records) is decided here
// or in the two packages beside it, once, for the window (ui/) and the
// command line (cli/).
//
// # Beside it
//
// The import graph is papers → procedure → retention → register:
//
//   - package retention keeps the temporary copies, the removable media and
//     the personal data only as long as the rules allow, and purges them.
//     The procedure builds it ([New]) and hands it its own facts through
//     [retention.Procedure]: what a case says about its copies, which
//     medium a delivery handed over, and the incident of an overdue purge,
//     whose format stays the procedure's. [Store.Purges] and [Store.Media]
//     are its services; the export tracks its output folder inside its own
//     transaction ([retention.PurgeService.TrackRecord]).
//   - package papers prints the documents of a case and of the register.
//     Every print of a case is a step of the case, recorded here before
//     anything is rendered ([CaseService.RecordPrint]).
//   - package account holds the people who act: every act asks it for the
//     session's signer ([account.Service.SignerTx]) in the transaction that
//     records it, and a session opened with a one-time password signs
//     nothing (R-KEY-1).
//
// # State
//
// Nothing but credentials is stored mutably: the state of a case, of a
// copy or of a medium is rebuilt from its entries, whose hashes and
// signatures are checked whenever a case is loaded
// ([register.Store.CheckEntries]), so the procedure cannot be skipped by
// editing a table.
//
// # Procedure
//
// A case goes requested → confirmed → authorized | refused → exported →
// delivered → closed ([CaseService.New], [CaseService.Confirm],
// [CaseService.Authorize], [CaseService.Refuse], [CaseService.Export],
// [DeliveryService.Deliver], [CaseService.Close]). A judicial requisition
// is the authorization and creates a task for the security manager; an
// emergency export needs a reason, records an incident and must be
// authorized afterwards. Temporary copies are tracked with their purge
// deadline; overdue ones and unanswered access requests become incidents
// at every login ([Store.Login]).
//
// # Tests
//
// The fixture of these tests and of the packages beside is package
// proceduretest; the tests run as the external package procedure_test,
// with procedure dot-imported, and export_test.go lends them the rules
// they check directly.
package procedure
