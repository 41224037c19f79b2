// Package registertest is the conformance suite of the register's stores:
// the same tests run on the SQLite file (the default) and on a PostgreSQL
// server (the shared register), through the same [register.Store] and the
// same verifier.
//
// # Use
//
// A store's test gives a function that makes a new, empty register and
// calls [Run]:
//
//	func TestConformance(t *testing.T) {
//		registertest.Run(t, func(t *testing.T) *registertest.Target {
//			return &registertest.Target{Dir: t.TempDir(), Tamper: ..., Guarded: ...}
//		})
//	}
//
// # What is checked
//
//   - append: entries of every kind (with personal data, with an
//     attachment) are read back as written, numbered without gap, and
//     verify with the expected counts;
//   - checkpoints: written after appends, the newest one names the head,
//     verify checks them all;
//   - concurrency: several stores (connection pools) appending at once
//     keep one chain: every entry there, no fork, no gap;
//   - tamper detection: an entry's indexed column edited, an entry
//     deleted in the middle, the newest entries deleted after a
//     checkpoint, personal data edited or erased early, each through
//     [Target].Tamper, which bypasses the database's refusals: verify
//     names the entry concerned;
//   - erasure: personal data and an attachment erased at the end of
//     retention, as package retention does, still verify;
//   - refusals: every connection of [Target].Guarded (the application's
//     role, the owner) is refused UPDATE and DELETE of entries and
//     checkpoints, the deletion or edit of personal data and
//     attachments, and an entry out of order; the register still
//     verifies afterwards.
package registertest
