package register

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns for something the user
// can fix is an [*Error] that wraps one of them, so callers test with
// errors.Is and show Error() as is.
var (
	ErrNotInitialized     = errors.New("register not initialized")
	ErrAlreadyInitialized = errors.New("register already initialized")
	ErrLogin              = errors.New("login failed")
	ErrLocked             = errors.New("account locked")
	ErrDisabled           = errors.New("account disabled")
	ErrWeakPassword       = errors.New("weak password")
	ErrForbidden          = errors.New("not allowed for this role")
	ErrNotFound           = errors.New("not found")
	ErrInvalid            = errors.New("invalid request")
	ErrState              = errors.New("step not allowed in this state")
	ErrNotAuthorized      = errors.New("case not authorized")
	ErrNeedsAnonymizer    = errors.New("anonymizer required")
	ErrSameChannel        = errors.New("same channel for file and password")
	ErrForbiddenMode      = errors.New("delivery mode forbidden")
	ErrRetention          = errors.New("retention period not over")

	// ErrTampered is wrapped by every [*VerifyError].
	ErrTampered = errors.New("register tampered")
	// ErrTruncated is wrapped by a [*VerifyError] when a checkpoint covers
	// more entries than the register holds.
	ErrTruncated = errors.New("register truncated")
	// ErrCheckpoint is returned for a checkpoint that cannot be parsed or
	// whose signature does not verify.
	ErrCheckpoint = errors.New("bad checkpoint")
	// ErrBody is returned by [DecodeBody] for bytes that are not a
	// canonical entry body.
	ErrBody = errors.New("bad entry body")
)

// Error is an error the user can act on: Error() is one clear sentence,
// Unwrap gives the sentinel.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func errorf(kind error, format string, a ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, a...)}
}

// VerifyError reports the first problem [Store.Verify] found, naming the
// entry.
type VerifyError struct {
	Seq  int64 // entry number concerned (the first missing one for truncation)
	Kind error // ErrTampered or ErrTruncated
	Msg  string
}

func (e *VerifyError) Error() string { return fmt.Sprintf("entry %d: %s", e.Seq, e.Msg) }

func (e *VerifyError) Unwrap() []error {
	if e.Kind == ErrTruncated {
		return []error{ErrTruncated, ErrTampered}
	}
	return []error{ErrTampered}
}
