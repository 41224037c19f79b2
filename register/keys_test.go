package register

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
)

// keyData is the data of the user.key entry that publishes priv for name.
func keyData(name string, priv ed25519.PrivateKey) UserData {
	pub := priv.Public().(ed25519.PublicKey)
	return UserData{User: name, PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: Fingerprint(pub), Credentials: strings.Repeat("c", 64)}
}

// R-KEY-1 in verify: an account added without a key gets the one its
// owner makes and signs with (user.key); a reset revokes the current key
// from its entry on; the old entries still verify, an entry signed by the
// revoked key after it does not.
func TestKeyLifecycle(t *testing.T) {
	f := newFixture(t)
	neuf := &testUser{name: "o.neuf", role: RoleOperator, priv: testKey("o.neuf")}
	mustAppend := func(sg *Signer, r Record) *Entry {
		t.Helper()
		e, err := f.s.AppendOne(f.ctx, sg, r)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	mustAppend(f.admin.signer(), Record{Action: "user.add", Subject: UserSubject(neuf.name), Data: UserData{User: neuf.name, Role: RoleOperator, Credentials: strings.Repeat("a", 64)}})
	mustAppend(neuf.signer(), Record{Action: "user.key", Subject: UserSubject(neuf.name), Data: keyData(neuf.name, neuf.priv)})
	mustAppend(neuf.signer(), Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": "première clé"}})
	mustAppend(neuf.signer(), Record{Action: "user.passwd", Subject: UserSubject(neuf.name), Data: UserData{User: neuf.name, Credentials: strings.Repeat("b", 64)}})
	reset := mustAppend(f.admin.signer(), Record{Action: "user.reset", Subject: UserSubject(neuf.name),
		Data: UserData{User: neuf.name, Revoked: Fingerprint(neuf.priv.Public().(ed25519.PublicKey)), Credentials: strings.Repeat("d", 64)}})
	second := ed25519.NewKeyFromSeed(make([]byte, 32))
	mustAppend(NewSigner(neuf.name, RoleOperator, second), Record{Action: "user.key", Subject: UserSubject(neuf.name), Data: keyData(neuf.name, second)})
	mustAppend(NewSigner(neuf.name, RoleOperator, second), Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": "deuxième clé"}})
	f.verify(VerifyOptions{})
	r, err := ReadRoster(f.ctx, f.s.ReadDB(), neuf.name)
	if err != nil {
		t.Fatal(err)
	}
	if sg := r.Signatory(neuf.name); len(sg.Keys) != 2 || sg.Keys[0].Revoked != reset.Seq || sg.Key != sg.Keys[1] || sg.CredentialsSeq <= reset.Seq {
		t.Fatalf("roster %+v", sg)
	}
	forged := mustAppend(neuf.signer(), Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": "ancienne clé"}})
	wantVerifyError(t, f, VerifyOptions{}, forged.Seq, ErrTampered)
}

// The key lifecycle rules of verify (SPEC.md §3), one broken entry each.
func TestKeyLifecycleRules(t *testing.T) {
	other := ed25519.NewKeyFromSeed(make([]byte, 32))
	for _, tc := range []struct {
		name string
		sg   func(f *fixture) *Signer
		r    func(f *fixture) Record
		want string
	}{
		{"a second key without a reset", func(f *fixture) *Signer { return NewSigner("o.martin", RoleOperator, other) },
			func(f *fixture) Record {
				return Record{Action: "user.key", Subject: "user:o.martin", Data: keyData("o.martin", other)}
			}, "second key"},
		{"a key published by another", func(f *fixture) *Signer { return f.rs.signer() },
			func(f *fixture) Record {
				return Record{Action: "user.key", Subject: "user:o.martin", Data: keyData("o.martin", other)}
			}, "unknown key"},
		{"a password changed by another", func(f *fixture) *Signer { return f.admin.signer() },
			func(f *fixture) Record {
				return Record{Action: "user.passwd", Subject: "user:o.martin", Data: UserData{User: "o.martin", Credentials: strings.Repeat("e", 64)}}
			}, "changed by admin"},
		{"an administrator resets themselves", func(f *fixture) *Signer { return f.admin.signer() },
			func(f *fixture) Record {
				return Record{Action: "user.reset", Subject: "user:admin", Data: UserData{User: "admin", Revoked: f.admin.addData().Fingerprint}}
			}, "their own account"},
		{"a reset that does not name the key", func(f *fixture) *Signer { return f.admin.signer() },
			func(f *fixture) Record {
				return Record{Action: "user.reset", Subject: "user:o.martin", Data: UserData{User: "o.martin"}}
			}, "does not name"},
		// SPEC §7.1: an account added after the first makes its own key.
		{"an account added with a key", func(f *fixture) *Signer { return f.admin.signer() },
			func(f *fixture) Record {
				d := newTestUser("o.neuf", RoleOperator).addData()
				d.Credentials = strings.Repeat("c", 64) // a register that commits to credentials (R-KEY-1)
				return Record{Action: "user.add", Subject: "user:o.neuf", Data: d}
			}, "carries a key"},
		{"a second register.init", func(f *fixture) *Signer { return f.admin.signer() },
			func(f *fixture) Record {
				return Record{Action: "register.init", Subject: "site", Data: map[string]string{"site": "x"}}
			}, "register.init after entry 1"},
		{"an operator resets", func(f *fixture) *Signer { return f.op.signer() },
			func(f *fixture) Record {
				return Record{Action: "user.reset", Subject: "user:rs.bernard", Data: UserData{User: "rs.bernard", Revoked: f.rs.addData().Fingerprint}}
			}, "may not manage users"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			e, err := f.s.AppendOne(f.ctx, tc.sg(f), tc.r(f))
			if err != nil {
				t.Fatal(err)
			}
			wantVerifyError(t, f, VerifyOptions{}, e.Seq, ErrTampered)
			if _, err := f.s.Verify(f.ctx, VerifyOptions{}); !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("verify: %v, want %q", err, tc.want)
			}
		})
	}
}

// Registers older than R-KEY-1 added accounts with their key and no
// credentials commitment: their entries still verify (SPEC §7.2).
func TestKeyedUserAddBeforeCommitments(t *testing.T) {
	f := newFixture(t)
	old := newTestUser("o.ancien", RoleOperator)
	if _, err := f.s.AppendOne(f.ctx, f.admin.signer(), Record{Action: "user.add", Subject: UserSubject(old.name), Data: old.addData()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AppendOne(f.ctx, old.signer(), Record{Action: "incident", Data: map[string]string{"kind": "other", "detail": "compte ancien"}}); err != nil {
		t.Fatal(err)
	}
	f.verify(VerifyOptions{})
}
