package papers

import (
	"testing"

	"mileo.tech/extract/internal/sheet"
	"mileo.tech/extract/register"
)

// R-REG-3 (rev.): a document names a person by their full name when the
// account has one, else by the login, with the role's title in the
// document's language; the login is kept for the appendix.
func TestPeopleNamed(t *testing.T) {
	names := map[string]string{"l.moreau": "Léa Moreau"}
	for _, tc := range []struct {
		lang, login string
		role        register.Role
		want        sheet.Person
	}{
		{"fr", "l.moreau", register.RoleOperator, sheet.Person{Name: "Léa Moreau", Login: "l.moreau", Role: "Opérateur"}},
		{"en", "l.moreau", register.RoleOperator, sheet.Person{Name: "Léa Moreau", Login: "l.moreau", Role: "Operator"}},
		{"fr", "d.petit", register.RoleDPO, sheet.Person{Name: "d.petit", Login: "d.petit", Role: "DPO"}},
	} {
		if got := (people{lang: tc.lang, names: names}).named(tc.login, tc.role); got != tc.want {
			t.Errorf("%s %s as %s: %+v, want %+v", tc.lang, tc.login, tc.role, got, tc.want)
		}
	}
}
