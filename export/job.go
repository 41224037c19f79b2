package export

import (
	"context"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/vms"
)

// Anonymizer re-encodes a clip with third parties' faces made unrecognisable.
// Package anonymize provides one; the export only calls it.
type Anonymizer interface {
	// Anonymize reads the MP4 in and writes the anonymized MP4 to out
	// (both may be encrypted working copies: see av.Input and av.Output).
	Anonymize(ctx context.Context, in av.Input, out av.Output, onProgress func(done, total int64)) (*Anonymization, error)
}

// Anonymization documents what an Anonymizer did (R-ANON-4).
type Anonymization struct {
	Detector     string   `json:"detector"` // "yunet-2023mar", "haar-fallback"
	ModelSHA256  string   `json:"model_sha256,omitempty"`
	Threshold    float64  `json:"threshold"`
	Fallback     bool     `json:"fallback"` // Haar cascades used: recall drops to a third
	Tracks       int      `json:"tracks"`
	Kept         []int    `json:"kept,omitempty"` // track ids left visible (the requester)
	FalsePos     []int    `json:"false_positives,omitempty"`
	ManualRegion int      `json:"manual_regions"`
	Mode         string   `json:"mode"` // "mosaic", "solid"
	Reviewer     string   `json:"reviewer,omitempty"`
	AudioDropped bool     `json:"audio_dropped"`
	Notes        []string `json:"notes,omitempty"`
	// Check is the independent final check of the rendered file, when the
	// Anonymizer is a [Checker] (R-ANON-2 rev.).
	Check *FinalCheck `json:"final_check,omitempty"`
}

// Checker is an [Anonymizer] that also checks what it rendered, with
// means that did not build its plan (R-ANON-2 rev.). The export calls it
// on the written file, doc being what Anonymize returned for it.
type Checker interface {
	CheckRendered(ctx context.Context, doc *Anonymization, rendered av.Input, onProgress func(done, total int64)) (*FinalCheck, error)
}

// FinalCheck lists the spans of frames of an anonymized file where a face
// or a head may still be readable outside the kept tracks. A person
// settles each suspect before the file is called verified; a check that
// could not run (Error) verifies nothing.
type FinalCheck struct {
	Checker  string    `json:"checker"`
	Frames   int64     `json:"frames"`
	Analysed int64     `json:"analysed"`
	Suspects []Suspect `json:"suspects"`
	Error    string    `json:"error,omitempty"`
}

// Suspect is a span of frames where a face or a head may be readable:
// frames From..To (inclusive), their times in the clip and on the camera,
// the box covering every place it was seen, why it was listed ("face",
// "head", "not_rendered", "gap") and the best evidence.
type Suspect struct {
	ID     int           `json:"id"`
	From   int64         `json:"from"`
	To     int64         `json:"to"`
	Start  time.Duration `json:"start"`
	End    time.Duration `json:"end"`
	At     time.Time     `json:"at,omitzero"`
	Until  time.Time     `json:"until,omitzero"`
	Box    [4]float64    `json:"box"`
	Frames int           `json:"frames"`
	Reason string        `json:"reason"`
	Score  float64       `json:"score"`
}

// Job is one export request.
type Job struct {
	Source  vms.Source
	Cameras []string  // camera ids, in the order of the output files
	Range   vms.Range // requested range
	OutDir  string    // created if missing; must be empty of our file names

	CaseNumber string         // "EXT-2026-0042" or ""
	Location   *time.Location // local time zone for the manifest; nil = Europe/Paris

	// Reencode forces libx264 re-encoding even when a remux is possible.
	Reencode bool
	// Anonymizer, when set, re-encodes every file through it (R-ANON-1).
	Anonymizer Anonymizer
	// Encrypt writes an AES-256 ZIP (archive.zip) with the videos and the
	// manifest, and removes the clear files from OutDir (R-ENC-1).
	Encrypt bool
	// Native also copies the source's own segment files (R-EXP-5).
	Native bool
	// WorkDir is where the job keeps its working copies (the remux before
	// a re-encode; with Encrypt, every file until the archive is written
	// and checked), encrypted under a key held only in memory and
	// crypto-erased at the end (internal/workdir); "" = the system's
	// temporary folder. Callers that sweep leftovers of crashed jobs point
	// it at their own work area.
	WorkDir string

	// OnProgress receives overall progress; called from the job's goroutine.
	OnProgress func(Progress)
}

// Progress is reported while a job runs.
type Progress struct {
	Camera string // camera being processed
	Stage  string // "remux", "encode", "anonymize", "check", "verify", "hash", "encrypt"
	Done   int64  // work units done in this stage (microseconds of footage, or bytes)
	Total  int64
}

// Result is what an export produced.
type Result struct {
	Files  []File   `json:"files"`
	Gaps   []Gap    `json:"gaps"`
	Errors []string `json:"errors,omitempty"` // unreadable parts, named by file
	// CameraErrors are the cameras that could not be exported at all (also
	// in Errors, and as a CauseCameraFailed gap over the whole range).
	CameraErrors []*CameraError `json:"camera_errors,omitempty"`
	Archive      string         `json:"archive,omitempty"`
	Password     string         `json:"password,omitempty"` // only with Encrypt; never stored
	Manifest     *Manifest      `json:"-"`
	// Complete is true when there is no gap and no error: every requested
	// frame of every camera was delivered and verified (R-EXP-3).
	Complete bool `json:"complete"`
	// Status is StatusComplete or StatusWithGaps ("complete with gaps":
	// files were delivered and verified, but gaps or errors are listed).
	Status string `json:"status"`
}

// Values of Result.Status.
const (
	StatusComplete = "complete"
	StatusWithGaps = "complete-with-gaps"
)

// WithGaps reports an export that delivered verified files but not the
// whole request: gaps (lost frames included) or unreadable parts are listed.
// A front end says « complet avec lacunes » (exit code 3), never « complet ».
func (r *Result) WithGaps() bool { return r != nil && !r.Complete && len(r.Files) > 0 }

// File is one exported video.
type File struct {
	Camera     string         `json:"camera"`
	CameraName string         `json:"camera_name"`
	Name       string         `json:"name"` // file name inside OutDir or the archive
	Path       string         `json:"path,omitempty"`
	Size       int64          `json:"size"`
	SHA256     string         `json:"sha256"`
	Codec      string         `json:"codec"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Frames     int64          `json:"frames"`
	Duration   time.Duration  `json:"duration_ns"`
	Actual     vms.Range      `json:"actual"`
	Reencoded  bool           `json:"reencoded"`
	Anonymized bool           `json:"anonymized"`
	Anon       *Anonymization `json:"anonymization,omitempty"`
	Native     bool           `json:"native,omitempty"`
}

// Gap is a part of the requested range with no footage.
type Gap struct {
	Camera string    `json:"camera"`
	Range  vms.Range `json:"range"`
	// Cause is one of the Cause constants ("" is CauseNoRecording).
	Cause string `json:"cause,omitempty"`
	// Segment names the recording file (or clip) the gap lies in or after,
	// when it is a damaged one.
	Segment string `json:"segment,omitempty"`
	// Frames is the estimated number of frames lost (CauseFramesLost).
	Frames int64 `json:"frames_lost,omitempty"`
}

// Causes of a Gap.
const (
	// CauseNoRecording: the source has no footage there.
	CauseNoRecording = "no-recording"
	// CauseFramesLost: frames are missing inside a segment (a damaged
	// moof or mdat): the timestamps jump by more than a few frames.
	CauseFramesLost = "frames-lost"
	// CauseDamaged: the named segment could not be read (entirely or from
	// some point on).
	CauseDamaged = "damaged-segment"
	// CauseCameraFailed: the camera could not be exported at all; the
	// error is in Result.Errors.
	CauseCameraFailed = "camera-failed"
)

// Run executes the job.
func Run(ctx context.Context, job Job) (*Result, error) { return run(ctx, job) }
