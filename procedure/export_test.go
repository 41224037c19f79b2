package procedure

import "mileo.tech/extract/account"

// Tests use cheap argon2id parameters; production uses the register's.
func init() { account.UseTestKDF() }

// The rules on who may act on a case, for the tests of procedure_test.
var (
	CheckAuthorizer = checkAuthorizer
	CheckExporter   = checkExporter
	CheckExport     = checkExport
)
