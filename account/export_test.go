package account

// Tests use cheap argon2id parameters; production uses productionKDF.
func init() { newKDF = kdfParams{Memory: 64, Time: 1, Threads: 1} }
