package register

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mileo.tech/extract/internal/i18n"
)

// Every error of the core (register, account and procedure) names a message of the
// catalogue that exists in French and English, and every sentinel has a
// stable code (issue 14, point 3).
func TestErrorKeysInCatalogue(t *testing.T) {
	re := regexp.MustCompile(`(?:errorf|NewError)\((?:register\.)?(Err\w+), "([^"]+)"`)
	fr, en := i18n.New("fr"), i18n.New("en")
	n := 0
	for _, dir := range []string{".", "../account", "../procedure"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				n++
				if !fr.Has(m[2]) || !en.Has(m[2]) {
					t.Errorf("%s: %s has no French or English text", f, m[2])
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d errors found in the sources", n)
	}
	for kind, code := range codes {
		if code == "" || Code(kind) != code {
			t.Errorf("%v: code %q", kind, code)
		}
	}
}

// An Error reads in English for the log (Error), in the person's language
// through the catalogue, and unwraps to its sentinel; data that are
// catalogue ids are rendered in the language of the message.
func TestErrorMessage(t *testing.T) {
	err := fmt.Errorf("login: %w", NewError(ErrForbidden, "err.user.forbidden", "Role", i18n.Key("role.operator"), "Op", i18n.Key(opKey(OpManageUsers))))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrForbidden) || e.Code != "forbidden" || e.Key != "err.user.forbidden" {
		t.Fatalf("%#v", e)
	}
	if got, want := e.Error(), "a user with the role operator may not manage users"; got != want {
		t.Errorf("detail %q, want %q", got, want)
	}
	if got, want := i18n.New("fr").Err(err), "Un utilisateur de rôle opérateur ne peut pas gérer les utilisateurs."; got != want {
		t.Errorf("French %q, want %q", got, want)
	}
	// Anything else shows a generic sentence, never the chain.
	if got := i18n.New("fr").Err(errors.New("sqlite: disk I/O error")); strings.Contains(got, "sqlite") || got == "error.unexpected" {
		t.Errorf("unexpected error shown as %q", got)
	}
}
