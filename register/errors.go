package register

import (
	"errors"
	"fmt"
	"sync"

	"mileo.tech/extract/internal/i18n"
)

// Sentinel errors. Every error the package returns for something the user
// can fix is an [*Error] that wraps one of them, so callers test with
// errors.Is; a front end shows its catalogue message (i18n.Catalog.Err),
// never Error(), which is the English detail for the log.
var (
	ErrNotInitialized     = errors.New("register not initialized")
	ErrAlreadyInitialized = errors.New("register already initialized")
	ErrLogin              = errors.New("login failed")
	ErrLocked             = errors.New("account locked")
	ErrDisabled           = errors.New("account disabled")
	ErrWeakPassword       = errors.New("weak password")
	// ErrPasswordChange is returned for any act of a session opened with a
	// one-time password: it may only set the person's own password (R-KEY-1).
	ErrPasswordChange  = errors.New("one-time password: set your own password first")
	ErrForbidden       = errors.New("not allowed for this role")
	ErrNotFound        = errors.New("not found")
	ErrInvalid         = errors.New("invalid request")
	ErrState           = errors.New("step not allowed in this state")
	ErrNotAuthorized   = errors.New("case not authorized")
	ErrNeedsAnonymizer = errors.New("anonymizer required")
	ErrSameChannel     = errors.New("same channel for file and password")
	ErrForbiddenMode   = errors.New("delivery mode forbidden")
	ErrRetention       = errors.New("retention period not over")
	// ErrUnavailable: the register's server cannot be reached; nothing
	// was written.
	ErrUnavailable = errors.New("register server unavailable")

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

// Error is an error the user can act on. The person reads the message
// Key of the catalogue (package internal/i18n) rendered with Data in their
// language; logs and tests read Detail, the same sentence in English
// (Error()). Code is stable for scripts; Unwrap gives the sentinel.
type Error struct {
	Kind   error
	Code   string         // stable code of Kind ("invalid", "not_found"…)
	Key    string         // catalogue id of the message ("err.case.not_found")
	Data   map[string]any // template data of the message
	Detail string         // the message in English, for the log
}

func (e *Error) Error() string { return e.Detail }
func (e *Error) Unwrap() error { return e.Kind }

// Message gives the catalogue id and data of the message shown to a person
// (see [i18n.Catalog.Err]).
func (e *Error) Message() (string, map[string]any) { return e.Key, e.Data }

// codes are the stable codes of the sentinels.
var codes = map[error]string{
	ErrNotInitialized: "not_initialized", ErrAlreadyInitialized: "already_initialized", ErrLogin: "login",
	ErrLocked: "locked", ErrDisabled: "disabled", ErrWeakPassword: "weak_password", ErrPasswordChange: "password_change", ErrForbidden: "forbidden",
	ErrNotFound: "not_found", ErrInvalid: "invalid", ErrState: "state", ErrNotAuthorized: "not_authorized",
	ErrNeedsAnonymizer: "needs_anonymizer", ErrSameChannel: "same_channel", ErrForbiddenMode: "forbidden_mode",
	ErrRetention: "retention", ErrTampered: "tampered", ErrTruncated: "truncated", ErrCheckpoint: "checkpoint", ErrBody: "body",
	ErrUnavailable: "unavailable",
}

// Code is the stable code of a sentinel of this package ("" for others).
func Code(kind error) string { return codes[kind] }

var english = sync.OnceValue(func() *i18n.Catalog { return i18n.New("en") })

// NewError builds the [*Error] of sentinel kind with the catalogue message
// key and its data as key, value pairs ("Number", "EXT-2026-0042").
func NewError(kind error, key string, kv ...any) *Error {
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		data[k] = kv[i+1]
	}
	return &Error{Kind: kind, Code: codes[kind], Key: key, Data: data, Detail: english().T(key, kv...)}
}

func errorf(kind error, key string, kv ...any) error {
	return NewError(kind, key, kv...)
}

// opKeys are the catalogue ids of the operations, for messages.
var opKeys = map[string]string{
	OpManageUsers: "op.manage_users", OpSettings: "op.settings", OpFile: "op.file", OpAuthorize: "op.authorize",
	OpHandle: "op.handle", OpPurge: "op.purge", OpReadCase: "op.read_case", OpReadAll: "op.read_all",
	OpErase: "op.erase", OpLogin: "op.login", OpIncident: "op.incident", OpDesignate: "op.designate", OpRecords: "op.records",
}

func opKey(op string) string {
	if k, ok := opKeys[op]; ok {
		return k
	}
	return "op.other"
}

// VerifyError reports the first problem [Store.Verify] found, naming the
// entry.
type VerifyError struct {
	Seq  int64 // entry number concerned (the first missing one for truncation)
	Kind error // ErrTampered or ErrTruncated
	Msg  string
}

func (e *VerifyError) Error() string { return fmt.Sprintf("entry %d: %s", e.Seq, e.Msg) }

// Message gives the catalogue id and data of the message shown to a person:
// which entry is concerned; the English Msg stays for the log.
func (e *VerifyError) Message() (string, map[string]any) {
	if e.Kind == ErrTruncated {
		return "err.verify.truncated", map[string]any{"Seq": e.Seq}
	}
	return "err.verify.tampered", map[string]any{"Seq": e.Seq}
}

func (e *VerifyError) Unwrap() []error {
	if e.Kind == ErrTruncated {
		return []error{ErrTruncated, ErrTampered}
	}
	return []error{ErrTampered}
}
