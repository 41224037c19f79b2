// Package account is the accounts that sign the register: users and their
// roles, passwords and the signing keys sealed under them, login with
// lock-out, and the signer of a session for an operation. It is built on
// the exported API of package register (append, read, [register.Roster]),
// one service ([Service]) in the style of a service per noun.
//
// # What the register knows, what this package keeps
//
// The log records every account fact that matters to a verifier: user.add
// publishes the role and the public key, user.disable closes the account,
// auth.* record logins, failures and lock-outs (SPEC.md §3, §6).
// [register.Roster] folds the user entries, so that [register.Store.Verify]
// checks each signature against its owner's key and role without this
// package. What the log cannot hold stays here, in table users (its schema
// is among the register's migrations): the argon2id hash of each password
// and the Ed25519 private key sealed under it (argon2id, AES-256-GCM).
// Roles and keys are never read from that table, so editing it grants
// nothing: a login whose unsealed key does not match the published one is
// refused.
//
// # Sessions and signers
//
// [Service.Login] checks the password, unseals the key into a [Session]
// and records the login; failures are recorded, and lock the account
// after [MaxFailedLogins] within [FailWindow]. The procedure never holds a
// key: it asks [Service.SignerTx] for the session's [register.Signer]
// inside the transaction that appends its entry, which checks that the
// account is open, not locked, unchanged, and that its role allows the
// operation. A session also seals the user's own secrets (a VMS address
// with its credentials: [Session.Seal]).
package account
