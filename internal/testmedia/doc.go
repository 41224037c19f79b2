// Package testmedia finds the team's test material (../shared/media beside
// the repository) for tests. The product never uses it.
//
// Setting MILEO_NO_MEDIA=1 (make check, the fast tier) makes every test that
// asks for media or a model skip, even when the files are present, so the
// inner loop runs only the unit tests. Tests that need heavy material they do
// not get from here (a demo archive, a server, the GUI) call SkipWithoutMedia.
package testmedia
