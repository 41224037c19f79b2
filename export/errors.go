package export

import (
	"errors"
	"fmt"
)

// Sentinel errors of an export, wrapped with %w, for the front ends to map
// to their messages (« disque plein », « enregistrement endommagé »…).
var (
	// ErrNoFootage means no camera had readable footage in the range.
	ErrNoFootage = errors.New("no readable footage in the requested range")
	// ErrOutDirNotEmpty protects earlier exports from being overwritten.
	ErrOutDirNotEmpty = errors.New("output folder already holds an export")
	// ErrDiskFull is a write that failed for lack of space (or over the
	// file size limit, or the quota). The error is a [*DiskFullError].
	ErrDiskFull = errors.New("disk full")
	// ErrDamaged is a camera whose recordings could not be exported at all
	// (a [*CameraError] in Result.CameraErrors); the other cameras were.
	ErrDamaged = errors.New("damaged recording")
)

// DiskFullError says where the disk filled up, how much space was left
// and an estimate of what the export needed (R-EXP-3: reported as such,
// never as an I/O error). It unwraps to [ErrDiskFull] and to the cause.
type DiskFullError struct {
	Dir    string // the output folder
	Free   int64  // bytes free on its disk after the failure (-1 if unknown)
	Needed int64  // estimate of the bytes the export needed in all (-1 if unknown)
	Err    error
}

func (e *DiskFullError) Error() string {
	msg := "export: disk full in " + e.Dir
	if e.Free >= 0 {
		msg += fmt.Sprintf(" (%d bytes free", e.Free)
		if e.Needed > 0 {
			msg += fmt.Sprintf(", about %d needed", e.Needed)
		}
		msg += ")"
	}
	return msg + ": " + e.Err.Error()
}

// Unwrap returns ErrDiskFull and the cause.
func (e *DiskFullError) Unwrap() []error { return []error{ErrDiskFull, e.Err} }

// CameraError is a camera that could not be exported; the export went on
// with the others. It unwraps to [ErrDamaged] and to the cause.
type CameraError struct {
	Camera  string `json:"camera"`
	Segment string `json:"segment,omitempty"` // the damaged file, when known
	Err     error  `json:"-"`
	Message string `json:"error"`
}

func (e *CameraError) Error() string { return e.Message }

// Unwrap returns ErrDamaged and the cause.
func (e *CameraError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

// Message is the catalogue message of a full disk for a person
// (« disque plein » with the free space and what was needed; see
// internal/i18n.Message).
func (e *DiskFullError) Message() (string, map[string]any) {
	gb := func(n int64) string {
		if n < 0 {
			return "?"
		}
		return fmt.Sprintf("%.1f", float64(n)/(1<<30))
	}
	return "err.export.disk_full", map[string]any{"Dir": e.Dir, "Free": gb(e.Free), "Needed": gb(e.Needed)}
}
