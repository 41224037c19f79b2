package procedure

import "mileo.tech/extract/register"

// Tests use cheap argon2id parameters; production uses the register's.
func init() { register.UseTestKDF() }
