package cli

import "mileo.tech/extract/export"

// NewAnonymizer builds the anonymizer used by `export --anonymize` and by
// access-request case exports; reviewer is recorded in the anonymization's
// documentation (R-ANON-4). The anonymize command file sets it; it stays nil
// in builds without it.
var NewAnonymizer func(env *Env, keep []int, mode, reviewer string) (export.Anonymizer, error)
