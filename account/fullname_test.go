package account

import (
	"errors"
	"strings"
	"testing"

	"mileo.tech/extract/register"
)

// R-REG-3 (rev.): accounts get a full name, recorded in the signed
// user.add entry, so documents name people, not logins.
func TestFullName(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"  Claire   Martin ", "Claire Martin", false},
		{"Jean-Émile d'Argent", "Jean-Émile d'Argent", false},
		{"Claire\x00Martin", "", true},
		{"Claire\u202eMartin", "Claire\u202eMartin", false}, // a format character is not a control one
		{strings.Repeat("é", MaxFullName), strings.Repeat("é", MaxFullName), false},
		{strings.Repeat("é", MaxFullName+1), "", true},
		{"\xff\xfe", "", true},
	} {
		got, err := CheckFullName(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("CheckFullName(%q) = %q, %v", tc.in, got, err)
		}
		if tc.bad && !errors.Is(err, register.ErrInvalid) {
			t.Errorf("CheckFullName(%q): %v is not ErrInvalid", tc.in, err)
		}
	}

	f := newFixture(t)
	u, _, err := f.a.AddPerson(f.ctx, f.admin, NewPerson{Name: "c.martin", FullName: " Claire  Martin", Role: register.RoleDPO})
	if err != nil {
		t.Fatal(err)
	}
	if u.FullName != "Claire Martin" || u.DisplayName() != "Claire Martin" {
		t.Fatalf("added %+v", u)
	}
	if _, _, err := f.a.AddPerson(f.ctx, f.admin, NewPerson{Name: "x.bad", FullName: "a\x07b", Role: register.RoleOperator}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("a full name with a control character: %v", err)
	}
	users, err := f.a.Users(f.ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, u := range users {
		names[u.Name] = u.DisplayName()
	}
	if names["c.martin"] != "Claire Martin" || names["o.martin"] != "o.martin" {
		t.Fatalf("display names %v", names)
	}
	if _, ok := names["x.bad"]; ok {
		t.Fatal("the refused account was added")
	}
	// The name is in the signed entry: the roster folds it from the log.
	r, err := register.ReadRoster(f.ctx, f.log.ReadDB(), "c.martin")
	if err != nil || r.Signatory("c.martin").FullName != "Claire Martin" {
		t.Fatalf("roster %v %v", r.Signatory("c.martin"), err)
	}
	if rep, err := f.log.Verify(f.ctx, register.VerifyOptions{}); err != nil || rep.Err() != nil {
		t.Fatalf("verify: %v %v", err, rep.Err())
	}
}
