package sheet

import "errors"

var (
	// ErrLanguage is returned for an [Options].Lang other than French or
	// English.
	ErrLanguage = errors.New("sheet: unsupported language")
	// ErrIncomplete is returned when a field the document cannot do without
	// (a case number, a password) is empty.
	ErrIncomplete = errors.New("sheet: required field missing")
)
