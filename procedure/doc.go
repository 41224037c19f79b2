// Package procedure is the extraction procedure of PROC-RGPD-001 and
// PROC-VMS-006, built on the signed log of package register: extraction
// cases, their authorization, export, delivery, the purge of every
// temporary copy, the media inventory, incidents, settings and the
// documents printed from the register. Every rule (who may do what, in
// which state, with which deadline, what each act records) is decided here,
// once, for the window (ui/) and the command line (cli/). The people who
// act are package account's: every act asks it for the session's signer
// ([account.Service.SignerTx]) in the transaction that records it.
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
// delivered → closed ([Store.NewCase], [Store.Confirm], [Store.Authorize],
// [Store.Refuse], [Store.ExportCase], [Store.Deliver], [Store.CloseCase]).
// A judicial requisition is the authorization and creates a task for the
// security manager; an emergency export needs a reason, records an
// incident and must be authorized afterwards. Temporary copies are tracked
// with their purge deadline; overdue ones become incidents at every login
// ([Store.Login]).
package procedure
