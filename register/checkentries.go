package register

import (
	"context"
	"crypto/ed25519"
	"fmt"

	"mileo.tech/extract/internal/edbatch"
)

// CheckEntries checks, for entries read by the procedure (a case's), the
// hash and the signature of each entry, that its signer's key was valid
// then and that its signer had a role allowed to take it. It returns the problem of the
// lowest entry; the signatures are checked in one batch (internal/edbatch).
func (s *Store) CheckEntries(ctx context.Context, q Querier, es []*Entry) error {
	k, err := s.siteKey()
	if err != nil {
		return err
	}
	roster, err := ReadRoster(ctx, q)
	if err != nil {
		return err
	}
	items := make([]edbatch.Item, 0, len(es))
	var problem error // of the first entry with a problem other than its signature
	for _, e := range es {
		if string(EntryHash(e.Seq, e.Prev, e.Raw)) != string(e.Hash) {
			problem = &VerifyError{Seq: e.Seq, Kind: ErrTampered, Msg: "its content does not match its hash (entry edited): run register verify"}
			break
		}
		var pub ed25519.PublicKey
		if e.Signer == k.fingerprint() {
			pub = k.pub
			if !systemActions[e.Action] {
				problem = &VerifyError{Seq: e.Seq, Kind: ErrTampered, Msg: "signed by the site key for a user action: run register verify"}
				break
			}
		} else if k := roster.Key(e.Signer); k != nil && k.Owner == e.Actor {
			u := roster.Signatory(k.Owner)
			pub = k.Public
			if !k.ValidAt(e.Seq) {
				problem = &VerifyError{Seq: e.Seq, Kind: ErrTampered, Msg: fmt.Sprintf("signed by a key of %s that was revoked at entry %d: run register verify", u.Name, k.Revoked)}
				break
			}
			if op, ok := actionOps[e.Action]; !ok || !u.Role.May(op) {
				problem = &VerifyError{Seq: e.Seq, Kind: ErrTampered, Msg: fmt.Sprintf("%s (%s) may not take action %s: run register verify", u.Name, u.Role, e.Action)}
				break
			}
		} else {
			problem = &VerifyError{Seq: e.Seq, Kind: ErrTampered, Msg: "signed by an unknown key: run register verify"}
			break
		}
		items = append(items, edbatch.Item{PublicKey: pub, Message: SigMessage(e.Hash), Signature: e.Sig})
	}
	if bad := edbatch.Invalid(items); len(bad) > 0 {
		return &VerifyError{Seq: es[bad[0]].Seq, Kind: ErrTampered, Msg: "bad signature: run register verify"}
	}
	return problem
}
