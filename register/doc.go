// Package register is the extraction register of PROC-RGPD-001 and
// PROC-VMS-006: users and roles, extraction cases and the procedure they
// follow, delivery, purge of temporary copies, the media inventory, and a
// tamper-evident log of every action. The GUI and the CLI both use it.
//
// # Storage
//
// One SQLite database (register.db) in the data folder, opened with the
// pragmas in the DSN, migrated by embedded numbered migrations, each in its
// own transaction. The clock is injectable ([Options].Now). Several
// processes may use the same folder: writes are BEGIN IMMEDIATE
// transactions.
//
// # The log
//
// Every action is an entry: a gap-free number, a canonical JSON body
// (time, actor, role, action, subject, data), the hash of the previous
// entry, its own SHA-256 hash and the Ed25519 signature of the acting
// user's key (unlocked at login) or of the site key. Triggers refuse
// UPDATE and DELETE. Signed checkpoints (golang.org/x/mod/sumdb/note) are
// written after each case step, to the database and to files, and printed
// with a QR code on every document. [Store.Verify] detects edited, deleted,
// reordered or inserted entries, broken signatures, roles exceeded, and
// truncation against any checkpoint it is given; it checks the signatures
// in batches (internal/edbatch) on every processor while it reads on. SPEC.md gives the format
// and what verification proves; testdata/vectors.json has test vectors.
//
// # State
//
// Nothing but credentials is stored mutably: the state of a case, of a
// copy, of a medium or of an account is rebuilt from its entries, whose
// hashes and signatures are checked whenever a case is loaded, so the
// procedure cannot be skipped by editing a table.
//
// # Procedure
//
// A case goes requested → confirmed → authorized | refused → exported →
// delivered → closed ([Store.NewCase], [Store.Confirm], [Store.Authorize],
// [Store.Refuse], [Store.ExportCase], [Store.Deliver], [Store.CloseCase]).
// A judicial requisition is the authorization and creates a task for the
// security manager; an emergency export needs a reason, records an
// incident and must be authorized afterwards. Temporary copies are tracked
// with their purge deadline; overdue ones become incidents at every login.
//
// # Personal data
//
// Names, contacts and justifications are stored beside the chain behind
// salted commitments, so that the DPO can erase them at the end of the
// retention period ([Store.ErasePersonal]) while the chain still verifies.
package register
