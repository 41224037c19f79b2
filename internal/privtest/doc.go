// Package privtest checks, in tests, that what the program created is
// private to its user: files 0600, folders 0700, whatever the umask
// (issue #15). Unix only.
package privtest
