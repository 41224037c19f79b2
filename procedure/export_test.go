package procedure

import "mileo.tech/extract/account"

// Tests use cheap argon2id parameters; production uses the register's.
func init() { account.UseTestKDF() }
