// Package browser is the window's footage browser: the cameras of a VMS
// source with their status, a timeline per camera with its recorded spans
// and gaps, and a player. The user marks in and out points and hands the
// range and the cameras ticked ([Draft]) to a new request or to the case
// it was opened for ([Pick]).
//
// # Viewing
//
// Every camera shown is a viewing of recorded footage, recorded once per
// screen (R-ACC-1): within the case the browser was opened for, or for a
// reason chosen from a closed list; without one, no picture is shown.
//
// # Window
//
// [Show] shows the browser; what it needs of the window (the VMS sources,
// the procedure, the session, jobs, texts) is its [Window].
//
// # Tests
//
// The exported fields of the screen are its widgets and what it holds
// (the camera rows, the selection), for the tests of package ui that drive
// the whole window.
package browser
