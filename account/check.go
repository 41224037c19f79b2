package account

import (
	"bytes"
	"context"
	"fmt"

	"mileo.tech/extract/register"
)

// Check returns the check of table users against the register, for one
// verification ([register.VerifyOptions].Checks): every row belongs to an
// account the register added, holds the public key the register published
// (none while the account awaits its first login), and matches the
// commitment of the newest user entry that set it; no account lacks its
// row. An edit of the table — a swapped password hash, sealed key or
// public key — is reported, naming the entry it contradicts (issue 16).
func (a *Service) Check() register.Check { return credentialsCheck{} }

type credentialsCheck struct{}

// Entry: the user entries are read again, in Done's transaction.
func (credentialsCheck) Entry(*register.Entry) string { return "" }

func (credentialsCheck) Done(ctx context.Context, q register.Querier) ([]*register.VerifyError, error) {
	r, err := register.ReadRoster(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT name, password, key_kdf, key_box, public_key FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("account: read credentials: %w", err)
	}
	defer rows.Close()
	var problems []*register.VerifyError
	add := func(seq int64, format string, a ...any) {
		problems = append(problems, &register.VerifyError{Seq: seq, Kind: register.ErrTampered, Msg: fmt.Sprintf(format, a...)})
	}
	seen := map[string]bool{}
	for rows.Next() {
		c := &credentials{}
		var box, pub []byte
		if err := rows.Scan(&c.name, &c.phc, &c.kdf, &box, &pub); err != nil {
			return nil, err
		}
		c.box, c.pub = box, pub
		seen[c.name] = true
		sg := r.Signatory(c.name)
		if sg == nil {
			add(0, "table users holds credentials for %s, whom the register never added", c.name)
			continue
		}
		var want []byte
		var seq int64 = sg.CredentialsSeq
		if sg.Key != nil {
			want, seq = sg.Key.Public, max(seq, sg.Key.From)
		}
		switch {
		case !bytes.Equal(c.pub, want):
			add(seq, "the public key of %s in table users is not the one the register published (table edited)", c.name)
		case sg.Credentials != "" && c.commit() != sg.Credentials:
			add(sg.CredentialsSeq, "the credentials of %s in table users differ from those this entry recorded (table edited)", c.name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, sg := range r.Signatories() {
		if !seen[sg.Name] {
			add(sg.CredentialsSeq, "the credentials of %s are missing from table users (deleted)", sg.Name)
		}
	}
	return problems, nil
}
