// Package account is the accounts that sign the register: users and their
// roles, passwords and the signing keys sealed under them, first login,
// password changes and resets, login with lock-out, and the signer of a
// session for an operation. It is built on the exported API of package
// register (append, read, [register.Roster]), one service ([Service]) in
// the style of a service per noun.
//
// # What the register knows, what this package keeps
//
// The log records every account fact a verifier needs: user.add publishes
// the role, user.key a key, user.reset the revocation of one, user.passwd a
// password change, user.disable the end of an account, auth.* the logins,
// failures and lock-outs (SPEC.md §3, §6). [register.Roster] folds the user
// entries, so that [register.Store.Verify] checks each signature against
// the key valid when it was made and its owner's role, without this
// package. What the log cannot hold stays here, in table users (its schema
// is among the register's migrations): the argon2id hash of each password
// and the Ed25519 private key sealed under it (argon2id, AES-256-GCM).
// Every user entry that writes a row carries a commitment to it, so an
// edit of the table (a swapped hash, sealed key or public key) is refused
// at login and reported by [Service.Check], which procedure.Store.Verify
// runs with the log's own checks. Roles and keys are never read from the
// table.
//
// # Each person owns their secrets (R-KEY-1)
//
// Only the first administrator chooses a password as the register is
// created ([Service.Init]). Every other account is created, or reset, by an
// administrator with a one-time password ([Service.AddUser],
// [Service.ResetUser]), shown once: a session opened with it
// ([Session.OneTime]) signs nothing ([register.ErrPasswordChange]) until
// the person sets their own password ([Service.SetPassword]), when their
// key is made, sealed under it and published by a user.key entry it signs.
// A reset revokes the old key: the entries it signed stay valid, nothing
// it signs afterwards verifies. [Service.ChangePassword] changes one's own
// password, given the current one.
//
// # Sessions and signers
//
// [Service.Login] checks the password and the row against the register,
// unseals the key into a [Session] and records the login; failures are
// recorded, and lock the account after [MaxFailedLogins] within
// [FailWindow]. The procedure never holds a key: it asks
// [Service.SignerTx] for the session's [register.Signer] inside the
// transaction that appends its entry, which checks that the account is
// open, not locked, unchanged since the login, and that its role allows the
// operation. A session also seals the user's own secrets (a VMS address
// with its credentials: [Session.Seal]).
package account
