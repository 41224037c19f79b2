package cli

import (
	"strings"
	"testing"
)

// R-REG-5 (rev.): the DPO states the site's record of processing (GDPR
// art. 30) from the CLI; the admin cannot. R-REG-3 (rev.): accounts get a
// full name, listed by `user list`.
func TestCLIRecordsAndFullNames(t *testing.T) {
	c := newCLI(t)
	c.setup()
	out := c.ok(cliDPO, "records", "show", "--as", "dpo.leroy")
	if !strings.Contains(out, "art30.purpose") || !strings.Contains(out, "default text") {
		t.Fatalf("records show:\n%s", out)
	}
	c.fail(1, "may not keep the record of processing", cliAdmin, "records", "set", "art30.purpose", "x", "--as", "admin")
	c.fail(1, "is not a heading", cliDPO, "records", "set", "art30.nope", "x", "--as", "dpo.leroy")
	c.fail(2, "want a heading and its text", cliDPO, "records", "set", "art30.purpose", "--as", "dpo.leroy")
	c.ok(cliDPO, "records", "set", "art30.dpo", "dpo@example.fr", "--as", "dpo.leroy")
	if out := c.ok(cliDPO, "records", "show", "--as", "dpo.leroy"); !strings.Contains(out, "(art30.dpo): dpo@example.fr") {
		t.Fatalf("records show after set:\n%s", out)
	}
	c.oneTime(c.ok(cliAdmin, "user", "add", "c.roux", "--role", "operator", "--full-name", "Camille Roux", "--as", "admin"))
	c.fail(1, "full name", cliAdmin, "user", "add", "c.bad", "--role", "operator", "--full-name", "a\x07b", "--as", "admin")
	if out := c.ok(cliAdmin, "user", "list", "--as", "admin"); !strings.Contains(out, "Camille Roux") {
		t.Fatalf("user list:\n%s", out)
	}
}
