package frigate

import "mileo.tech/extract/vms/internal/fetch"

// Errors of this connector, wrapped with %w. They are the values of the
// HTTP layer shared by the connectors, so errors.Is works on either name.
var (
	// ErrBadResponse is a malformed, oversized or unexpected answer.
	ErrBadResponse = fetch.ErrBadResponse
	// ErrTruncated is a clip whose body ended before its MP4 structure did.
	ErrTruncated = fetch.ErrTruncated
	// ErrTimeout is a server that did not answer, or stopped sending, in time.
	ErrTimeout = fetch.ErrTimeout
	// ErrUnauthorized is a 401 or 403 answer: wrong or missing credentials.
	ErrUnauthorized = fetch.ErrUnauthorized
	// ErrTooLarge is a clip cut at the bound from its duration
	// (vms.ErrTooLarge).
	ErrTooLarge = fetch.ErrTooLarge
	// ErrStalled is a clip trickling in too slowly (vms.ErrStalled); it is
	// also an ErrTimeout.
	ErrStalled = fetch.ErrStalled
	// ErrDeadline is a clip not downloaded within its overall deadline
	// (vms.ErrDeadline); it is also an ErrTimeout.
	ErrDeadline = fetch.ErrDeadline
)

// StatusError is a non-2xx answer, e.g. Op "GET /api/config". It unwraps
// to [ErrUnauthorized] for 401 and 403.
type StatusError = fetch.StatusError
