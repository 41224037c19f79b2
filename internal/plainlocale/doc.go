// Package plainlocale drops the C and POSIX locale values from the
// environment when the program starts. They name no language, and Fyne,
// which reads the locale while its packages are initialised, would print
// an error about them on stderr on every run, command line included (C.UTF-8
// is the default of Debian's and Docker's minimal systems). Mileo Extract's
// own language comes from its settings (French by default), not the
// locale.
//
// Importing this package is enough. Its init runs before Fyne's: since Go
// 1.21 packages are initialised in the order of their import paths among
// those whose imports are ready, this package imports only os and strings,
// and fyne.io/fyne/v2/lang waits for text/template, which imports both and
// sorts after mileo.tech.
package plainlocale
