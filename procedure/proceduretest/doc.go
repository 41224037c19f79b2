// Package proceduretest builds registers with the procedure on them for
// the tests of package procedure and of the packages built on it or for
// it (papers, retention): a [Fixture] with one logged-in user per role and
// an injectable [Clock], an [E2E] whose requests target the shared demo
// archive, and the helpers that read what a test printed ([PDFText]) or
// forge what an insider could ([RawDB]).
//
// It is imported by tests only. The tests of package procedure import it
// from the external test package procedure_test, with procedure itself
// dot-imported (a test of procedure cannot import a package that imports
// procedure otherwise). Importing it switches the register to cheap
// password hashing (register.UseTestKDF), which panics outside a test.
package proceduretest
