package cli

import "mileo.tech/extract/export"

// NewAnonymizer builds the anonymizer used by `export --anonymize` and by
// access-request case exports. The anonymize command file sets it; it stays
// nil in builds without it.
var NewAnonymizer func(env *Env, keep []int, mode string) (export.Anonymizer, error)
