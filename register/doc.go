// Package register is the signed, hash-chained log under the extraction
// register of PROC-RGPD-001 and PROC-VMS-006: it appends entries, verifies
// them, writes checkpoints and erases personal data at the end of their
// retention. It knows who signs (each account's role and public keys, as
// the log publishes them) and the facts SPEC.md lists, nothing of how a
// case proceeds nor of passwords: package account manages the accounts and
// package procedure builds the procedure on it. SPEC.md gives the format
// and what verification proves; testdata/vectors.json has test vectors.
//
// # Storage
//
// One SQLite database (register.db) in the data folder, opened with the
// pragmas in the DSN, migrated by embedded numbered migrations, each in its
// own transaction. The clock is injectable ([Options].Now). Several
// processes may use the same folder: writes are BEGIN IMMEDIATE
// transactions ([Store.Write]), in which the procedure reads its state and
// appends its entries ([Store.AppendTx]) atomically.
//
// Or, for a register shared by several workstations ([Options].URL,
// docs/shared-register.md), a PostgreSQL database reached through pgx's
// database/sql driver, wrapped so that the same SQL runs on both (the ?
// placeholders become $n): migrations/postgres holds the same tables in
// PostgreSQL's dialect, run by the owner role, with grants and triggers that
// refuse the application any change of the log; every write transaction
// takes one advisory lock first, the analogue of BEGIN IMMEDIATE, so that
// the workstations keep one chain. A server that cannot be reached gives
// [ErrUnavailable]; nothing falls back to a local file. The data folder
// keeps the site key ([Store.JoinSite] installs it on the other
// workstations) and the checkpoint files. [Store.CopyTo] moves a SQLite
// register to an empty server register. Package registertest runs the
// same conformance suite on both stores.
//
// # The log
//
// Every action is an entry: a gap-free number, a canonical JSON body
// (time, actor, role, action, subject, data), the hash of the previous
// entry, its own SHA-256 hash and the Ed25519 signature of a [Signer]: the
// acting user's key ([NewSigner], which package account calls for a
// logged-in session) or the site key for the system events SPEC.md lists
// ([Store.SystemSigner]). Triggers refuse
// UPDATE and DELETE. Signed checkpoints (golang.org/x/mod/sumdb/note) are
// written to the database and to files ([Store.WriteCheckpoint]).
// [Store.Verify] detects edited, deleted, reordered or inserted entries,
// broken signatures, roles exceeded, steps out of order, and truncation
// against any checkpoint it is given; it checks the signatures in batches
// (internal/edbatch) on every processor while it reads on.
// [Store.CheckEntries] checks a subset (a case's entries) when it is read.
//
// # Who signs
//
// Users and roles are entries too: user.add publishes an account's role,
// user.key the key its owner made (signed by that key), user.reset revokes
// it, user.disable closes the account (SPEC.md §3). [Roster] folds these
// entries, so that Verify checks each signature against the key valid when
// the entry was made ([Key.ValidAt]) and its owner's role, from the log
// alone, never from a mutable table. The smallest API package account
// needs is: [Store.Init] (which lets it create the first administrator in
// the transaction of entry 1), [NewSigner], [UserData] and [ReadRoster],
// with [Store.Write] and [Store.AppendTx] like the procedure. Passwords,
// sealed keys, sessions and lock-outs are package account's; their table
// (users) is created by this package's migrations, which hold the whole
// schema of the database.
//
// # Checks of the packages built on the log
//
// Verify checks the chain, the signatures, the roles, the key lifecycle,
// the site key's limits, personal data, attachments and checkpoints. The
// rules of the packages built on it run in the same pass through
// [VerifyOptions].Checks ([Check]): the procedure of each case (package
// procedure) and table users against the user entries (package account).
// procedure.Store.Verify adds both; every front end verifies through it.
//
// # Personal data
//
// Names, contacts and justifications are stored beside the chain behind
// salted commitments ([Record].Personal), so that they can be erased at the
// end of the retention period while the chain still verifies.
package register
