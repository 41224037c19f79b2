package screen

import "fyne.io/fyne/v2"

// Screen is one screen of the window.
type Screen interface {
	Object() fyne.CanvasObject
	// Close stops what the screen runs (players, jobs) and forgets what
	// it must not keep (a password shown once).
	Close()
}

// ShownError is an error whose text is already the sentence for the
// person, built from the catalogue; Err is the cause, for the log.
type ShownError struct {
	Text string
	Err  error
}

func (e *ShownError) Error() string { return e.Text + ": " + e.Err.Error() }
func (e *ShownError) Unwrap() error { return e.Err }
