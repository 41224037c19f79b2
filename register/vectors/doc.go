// Package vectors checks the register's specification against the
// program, as an outsider would: it loads the test vectors of
// ../SPEC.md (../testdata/vectors.json, a complete, valid register) into a
// data folder from their published bytes alone — the schema SPEC.md shows,
// then every row — and runs the program's own `register verify`
// (procedure.Store.Verify, with the checks of the procedure and of the
// accounts), which must accept them; it derives from them one broken
// variant per property verify promises (SPEC.md §7, §10), which verify
// must reject at the entry named, and keeps them in
// ../testdata/vectors-broken for other verifiers.
//
// It holds tests only, apart from this comment. They live here rather
// than in package register because they need package procedure, whose
// test binary links cgo: package register's own tests stay free of it,
// and under the race detector (make race).
package vectors
