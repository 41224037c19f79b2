package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/vms"
)

// gapTolerance ignores holes shorter than this (frame timing jitter).
const gapTolerance = 1500 * time.Millisecond

func run(ctx context.Context, job Job) (*Result, error) {
	if job.Source == nil {
		return nil, errors.New("export: no source")
	}
	if len(job.Cameras) == 0 {
		return nil, errors.New("export: no camera selected")
	}
	if err := job.Range.Check(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if job.Location == nil {
		job.Location = paris()
	}
	if err := prepareOutDir(job.OutDir); err != nil {
		return nil, err
	}
	cams, err := job.Source.Cameras(ctx)
	if err != nil {
		return nil, fmt.Errorf("export: list cameras: %w", err)
	}
	names := map[string]string{}
	for _, c := range cams {
		names[c.ID] = c.Name
	}
	for _, id := range job.Cameras {
		if _, ok := names[id]; !ok {
			return nil, fmt.Errorf("export: %w: %q", vms.ErrUnknownCamera, id)
		}
	}
	// Working copies (the remux before a re-encode, and every file of an
	// encrypted export until it is in the archive) are encrypted under a
	// key held only in memory; erasing the folder is a crypto-erase.
	parent := job.WorkDir
	if parent == "" {
		parent = os.TempDir()
	}
	wd, err := workdir.New(parent)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer wd.Erase()
	fs := &files{dir: job.OutDir, wd: wd, enc: job.Encrypt}
	res := &Result{Gaps: []Gap{}}
	// A disk that is full stops the export: every later camera would fail
	// the same way. What was delivered keeps its manifest if it fits.
	// An encrypted export delivers nothing without its archive; a clear
	// one keeps the cameras already verified if their manifest fits, and
	// removes them otherwise (no video without its manifest).
	stop := func(err error) (*Result, error) {
		if len(res.Files) == 0 || job.Encrypt {
			return nil, err
		}
		res.Complete, res.Status = false, StatusWithGaps
		res.Errors = append(res.Errors, err.Error())
		res.Manifest = newManifest(job, res)
		if merr := res.Manifest.writeFiles(job.OutDir); merr != nil {
			for _, f := range res.Files {
				_ = os.Remove(filepath.Join(job.OutDir, f.Name))
			}
			return nil, err
		}
		return res, err
	}
	for i, id := range job.Cameras {
		name := fmt.Sprintf("video-%02d.mp4", i+1)
		f, gaps, errs, err := exportCamera(ctx, job, fs, id, names[id], name)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if av.IsDiskFull(err) {
				return stop(diskFullFor(ctx, job, err))
			}
			if errors.Is(err, errNoReadable) {
				res.Gaps = append(res.Gaps, gaps...)
				res.Errors = append(res.Errors, errs...)
				continue
			}
			// A damaged camera never stops the others (R-EXP-3): it is
			// reported over the whole range and the export goes on.
			ce := &CameraError{Camera: id, Segment: damagedInput(err), Err: err, Message: fmt.Sprintf("camera %q: %v", id, err)}
			res.Gaps = append(res.Gaps, Gap{Camera: id, Range: job.Range, Cause: CauseCameraFailed, Segment: ce.Segment})
			res.Errors = append(res.Errors, errs...)
			res.Errors = append(res.Errors, ce.Message)
			res.CameraErrors = append(res.CameraErrors, ce)
			continue
		}
		res.Files = append(res.Files, *f)
		res.Gaps = append(res.Gaps, gaps...)
		res.Errors = append(res.Errors, errs...)
	}
	if job.Native {
		if err := copyNative(ctx, job, fs, res); err != nil {
			if av.IsDiskFull(err) {
				return stop(diskFull(job.OutDir, err))
			}
			return nil, err
		}
	}
	if len(res.Files) == 0 {
		return res, fmt.Errorf("export: %w (%d gap(s), %d error(s))", ErrNoFootage, len(res.Gaps), len(res.Errors))
	}
	res.Complete = len(res.Gaps) == 0 && len(res.Errors) == 0
	res.Status = StatusWithGaps
	if res.Complete {
		res.Status = StatusComplete
	}
	res.Manifest = newManifest(job, res)
	if !job.Encrypt {
		if err := res.Manifest.writeFiles(job.OutDir); err != nil {
			if av.IsDiskFull(err) {
				return res, diskFull(job.OutDir, err)
			}
			return nil, err
		}
		return res, nil
	}
	if err := encrypt(ctx, job, fs, res); err != nil {
		if av.IsDiskFull(err) {
			return nil, diskFull(job.OutDir, err)
		}
		return nil, err
	}
	return res, nil
}

// files is where an export writes its videos: the output folder of a
// clear export, or the encrypted working folder. In the output folder a
// file is written under its name plus partSuffix and renamed by commit
// once verified: nothing partial or unverified ever lies under a final
// name (R-EXP-3).
type files struct {
	dir string       // output folder
	wd  *workdir.Dir // working copies
	enc bool         // the videos themselves are working copies until archived
}

// partSuffix marks a file of the output folder that is being written.
const partSuffix = ".part"

func (fs *files) clear(work bool) bool { return !work && !fs.enc }

// create opens the file name for writing: a working copy when work is set
// or the export is encrypted. Call done once written.
func (fs *files) create(name string, work bool) (out av.Output, done func() error, err error) {
	if fs.clear(work) {
		// Created 0600 here: FFmpeg, which writes it by name, keeps the
		// mode of an existing file and would create it 0644 (issue #15).
		p := filepath.Join(fs.dir, name+partSuffix)
		f, err := os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return av.Output{}, nil, fmt.Errorf("export: %w", err)
		}
		if err := errors.Join(f.Chmod(0o600), f.Close()); err != nil {
			return av.Output{}, nil, fmt.Errorf("export: %w", err)
		}
		return av.Output{Path: p}, func() error { return nil }, nil
	}
	w, err := fs.wd.CreateSeekable(name)
	if err != nil {
		return av.Output{}, nil, fmt.Errorf("export: %w", err)
	}
	return av.Output{Path: name, W: w}, w.Close, nil
}

// open opens a file written by create for reading.
func (fs *files) open(name string, work bool) (av.Input, func(), error) {
	if fs.clear(work) {
		return av.Input{Path: filepath.Join(fs.dir, name+partSuffix)}, func() {}, nil
	}
	ra, size, err := fs.wd.OpenReaderAt(name)
	if err != nil {
		return av.Input{}, func() {}, fmt.Errorf("export: %w", err)
	}
	return av.Input{Path: name, ReaderAt: ra, Size: size}, func() { ra.(io.Closer).Close() }, nil
}

// commit gives a verified file of the output folder its final name.
func (fs *files) commit(name string) error {
	if !fs.clear(false) {
		return nil
	}
	final := filepath.Join(fs.dir, name)
	if _, err := os.Lstat(final); err == nil {
		return fmt.Errorf("export: %w: %s", ErrOutDirNotEmpty, final)
	}
	if err := syncFile(final + partSuffix); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(final+partSuffix, final); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// syncFile flushes the file at p to its disk (FFmpeg writes it by name and
// does not).
func syncFile(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

// discard removes what create wrote under name, if anything.
func (fs *files) discard(name string, work bool) {
	if fs.clear(work) {
		_ = os.Remove(filepath.Join(fs.dir, name+partSuffix))
		return
	}
	_ = fs.wd.Remove(name)
}

// path is the file's final place in the output folder, "" for a working copy.
func (fs *files) path(name string) string {
	if fs.enc {
		return ""
	}
	return filepath.Join(fs.dir, name)
}

func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

func prepareOutDir(dir string) error {
	if dir == "" {
		return errors.New("export: no output folder")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, n := range []string{"manifest.json", "archive.zip", "video-01.mp4"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return fmt.Errorf("export: %w: %s", ErrOutDirNotEmpty, dir)
		}
	}
	if _, err := Sweep(dir); err != nil {
		return err
	}
	return nil
}

// Sweep removes from an output folder the partial files an interrupted
// export left (killed, power cut): files still under their temporary name
// (…​.part), never verified. It returns the names removed. [Run] sweeps
// its output folder before it starts.
func Sweep(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("export: sweep %s: %w", dir, err)
	}
	var removed []string
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, partSuffix) || !ours(strings.TrimSuffix(n, partSuffix)) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, fmt.Errorf("export: sweep %s: %w", dir, err)
		}
		removed = append(removed, n)
	}
	return removed, nil
}

// ours reports whether name is one an export writes in its output folder.
func ours(name string) bool {
	switch {
	case name == "manifest.json", name == "manifest.txt", name == "archive.zip":
		return true
	case strings.HasPrefix(name, "video-"), strings.HasPrefix(name, "native-"):
		return true
	}
	return false
}

var errNoReadable = errors.New("no readable footage")

func progress(job Job, camera, stage string, done, total int64) {
	if job.OnProgress != nil {
		job.OnProgress(Progress{Camera: camera, Stage: stage, Done: done, Total: total})
	}
}

// exportCamera writes one camera's MP4 as name. On error nothing of it is
// left in the output folder.
func exportCamera(ctx context.Context, job Job, fs *files, id, cameraName, name string) (_ *File, _ []Gap, _ []string, err error) {
	r := job.Range
	spans, err := job.Source.Recordings(ctx, id, r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("export camera %q: %w", id, err)
	}
	var errs []string
	inputs, cleanup, err := openInputs(ctx, job, id, spans, &errs)
	defer cleanup()
	if err != nil {
		return nil, nil, nil, err
	}
	if len(inputs) == 0 {
		return nil, gapsOf(id, r, nil), nil, errNoReadable
	}
	needEncode := job.Reencode || job.Anonymizer != nil
	if !needEncode {
		if inf, err := probeInput(inputs[0]); err == nil && !av.CanRemux(inf.Codec) {
			needEncode = true
		}
	}
	remuxName := name
	if needEncode {
		remuxName = name + ".remux"
		defer fs.wd.Remove(remuxName)
	}
	defer func() {
		if err != nil {
			fs.discard(name, false)
		}
	}()
	rout, closeOut, err := fs.create(remuxName, needEncode)
	if err != nil {
		return nil, nil, nil, err
	}
	rr, err := remuxClip(ctx, inputs, rout, r, func(done, total time.Duration) {
		progress(job, id, "remux", int64(done/time.Microsecond), int64(total/time.Microsecond))
	})
	err = errors.Join(err, closeOut())
	damaged := map[string]bool{}
	if rr != nil {
		for _, e := range rr.Errors {
			errs = append(errs, e.Error())
			if in := damagedInput(e); in != "" {
				damaged[in] = true
			}
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, nil, ctx.Err()
		}
		if errors.Is(err, av.ErrNothingWritten) {
			fs.discard(remuxName, needEncode)
			return nil, nameGaps(gapsOf(id, r, nil), inputs, damaged), errs, errNoReadable
		}
		return nil, nil, errs, fmt.Errorf("export camera %q: %w", id, err)
	}
	covered := make([]vms.Span, 0, len(rr.Covered))
	for _, c := range rr.Covered {
		covered = append(covered, vms.Span{Start: c.Start, End: c.End})
	}
	gaps := nameGaps(gapsOf(id, r, vms.ClipTo(vms.Merge(covered, gapTolerance), r)), inputs, damaged)
	// Frames lost inside a segment are gaps too (R-EXP-3).
	gaps = append(gaps, holeGaps(id, r, rr.Holes)...)
	f := &File{Camera: id, CameraName: cameraName, Name: name, Path: fs.path(name), Actual: vms.Range{Start: rr.Start, End: rr.End}}
	if needEncode {
		if err := encodeCamera(ctx, job, fs, id, remuxName, name, rr.Start, f); err != nil {
			return nil, nil, errs, err
		}
	}
	// Readability (R-EXP-3): decode every frame of what we hand over.
	progress(job, id, "verify", 0, 1)
	in, closeIn, err := fs.open(name, false)
	if err != nil {
		return nil, nil, errs, err
	}
	defer closeIn()
	// The SHA-256 is computed while the frames are decoded: reading (and,
	// for a working copy, decrypting) the file again afterwards would add
	// to the wait.
	var inf av.Info
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		inf, err = av.VerifyInput(gctx, in, func(done, total int64) { progress(job, id, "verify", done, total) })
		if err != nil {
			return fmt.Errorf("verify camera %q: the exported file does not decode: %w", id, err)
		}
		return nil
	})
	g.Go(func() (err error) {
		f.Size, f.SHA256, err = in.Hash(gctx)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, errs, err
	}
	f.Codec, f.Width, f.Height, f.Frames, f.Duration = inf.Codec, inf.Width, inf.Height, inf.Frames, inf.Duration
	gaps = append(gaps, decodedHoles(id, r, f.Actual.Start, inf, gaps)...)
	if err := fs.commit(name); err != nil {
		return nil, nil, errs, err
	}
	return f, gaps, errs, nil
}

// damagedInput returns the base name of the input an error of av names,
// or "" (also when it names one of our own files).
func damagedInput(err error) string {
	var ae *av.Error
	if errors.As(err, &ae) && ae.Path != "" {
		n := filepath.Base(ae.Path)
		if ours(strings.TrimSuffix(strings.TrimSuffix(n, partSuffix), ".remux")) {
			return ""
		}
		return n
	}
	return ""
}

// diskFullFor is diskFull with an estimate of the export's size: the
// recordings' bytes over the range (a remux copies about as many).
func diskFullFor(ctx context.Context, job Job, err error) error {
	e := diskFull(job.OutDir, err)
	var dfe *DiskFullError
	if !errors.As(e, &dfe) {
		return e
	}
	sl, ok := job.Source.(vms.SegmentLister)
	if !ok {
		return e
	}
	var n int64
	for _, id := range job.Cameras {
		segs, err := sl.Segments(ctx, id, job.Range)
		if err != nil {
			return e
		}
		for _, sg := range segs {
			if st, err := os.Stat(sg.Path); err == nil {
				n += st.Size()
			}
		}
	}
	dfe.Needed = n
	return e
}

// diskFull describes a write that failed because the disk of dir is full.
func diskFull(dir string, err error) error {
	var dfe *DiskFullError
	if errors.As(err, &dfe) {
		return err
	}
	return &DiskFullError{Dir: dir, Free: freeSpace(dir), Needed: -1, Err: err}
}

// nameGaps names, in each gap, the damaged input it starts in or after:
// the last input that starts before the gap does (within a second), when
// that input could not be read to its end. Other gaps are periods without
// recording.
func nameGaps(gaps []Gap, inputs []av.Input, damaged map[string]bool) []Gap {
	for i := range gaps {
		gaps[i].Cause = CauseNoRecording
		var last string
		for _, in := range inputs {
			if in.Start.IsZero() || in.Start.After(gaps[i].Range.Start.Add(time.Second)) {
				break
			}
			last = filepath.Base(in.Path)
		}
		if last != "" && damaged[last] {
			gaps[i].Cause, gaps[i].Segment = CauseDamaged, last
		}
	}
	return gaps
}

// decodedHoles returns, as gaps, the holes found in the timestamps of the
// delivered file's decoded frames (zero at wall clock zero) that no gap
// listed yet covers: "complete" is said only of what was verified. Holes
// shorter than gapTolerance are left to the remux, which sees them inside
// each segment.
func decodedHoles(camera string, r vms.Range, zero time.Time, inf av.Info, listed []Gap) []Gap {
	var out []Gap
	frame := time.Duration(0)
	if inf.FrameRate.Num > 0 && inf.FrameRate.Den > 0 {
		frame = time.Duration(float64(time.Second) / inf.FrameRate.Float())
	}
	for _, h := range inf.Holes {
		hr, ok := vms.Range{Start: zero.Add(h.From), End: zero.Add(h.To)}.Intersect(r)
		if !ok || hr.Duration() < gapTolerance {
			continue // the jitter between segments, as for gapsOf
		}
		var known time.Duration
		for _, g := range listed {
			if in, ok := g.Range.Intersect(hr); ok && g.Camera == camera {
				known += in.Duration()
			}
		}
		if known*2 >= hr.Duration() {
			continue
		}
		g := Gap{Camera: camera, Range: hr, Cause: CauseFramesLost}
		if frame > 0 {
			g.Frames = int64(hr.Duration() / frame)
		}
		out = append(out, g)
	}
	return out
}

// holeGaps turns the holes of a remux inside r into gaps.
func holeGaps(camera string, r vms.Range, holes []av.Hole) []Gap {
	var out []Gap
	for _, h := range holes {
		in, ok := vms.Range{Start: h.Start, End: h.End}.Intersect(r)
		if !ok {
			continue
		}
		out = append(out, Gap{Camera: camera, Range: in, Cause: CauseFramesLost, Segment: filepath.Base(h.Input), Frames: h.Frames})
	}
	return out
}

// encodeCamera re-encodes (or anonymizes) the remuxed working copy src
// into the file name.
func encodeCamera(ctx context.Context, job Job, fs *files, id, src, name string, zero time.Time, f *File) error {
	in, closeIn, err := fs.open(src, true)
	if err != nil {
		return err
	}
	defer closeIn()
	out, closeOut, err := fs.create(name, false)
	if err != nil {
		return err
	}
	if job.Anonymizer != nil {
		progress(job, id, "anonymize", 0, 1)
		doc, err := job.Anonymizer.Anonymize(ctx, in, out, func(done, total int64) { progress(job, id, "anonymize", done, total) })
		if err = errors.Join(err, closeOut()); err != nil {
			return fmt.Errorf("anonymize camera %q: %w", id, err)
		}
		if ch, ok := job.Anonymizer.(Checker); ok && doc != nil {
			if doc.Check, err = finalCheck(ctx, job, fs, ch, doc, id, name); err != nil {
				return err
			}
		}
		f.Reencoded, f.Anonymized, f.Anon = true, true, doc
		return nil
	}
	act, err := reencode(ctx, in, out, zero, job.Range, func(done, total int64) { progress(job, id, "encode", done, total) })
	if err = errors.Join(err, closeOut()); err != nil {
		return fmt.Errorf("re-encode camera %q: %w", id, err)
	}
	f.Reencoded, f.Actual = true, act
	return nil
}

// finalCheck runs the independent check of an anonymized file (R-ANON-2
// rev.). Only a cancellation stops the export: a check that fails
// otherwise is recorded as not run, so that nothing is called verified.
func finalCheck(ctx context.Context, job Job, fs *files, ch Checker, doc *Anonymization, id, name string) (*FinalCheck, error) {
	in, closeIn, err := fs.open(name, false)
	if err != nil {
		return nil, err
	}
	defer closeIn()
	progress(job, id, "check", 0, 1)
	fc, err := ch.CheckRendered(ctx, doc, in, func(done, total int64) { progress(job, id, "check", done, total) })
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return &FinalCheck{Error: err.Error(), Suspects: []Suspect{}}, nil
	}
	return fc, nil
}

func gapsOf(camera string, r vms.Range, covered []vms.Span) []Gap {
	var out []Gap
	for _, g := range vms.Gaps(r, covered) {
		if g.Duration() < gapTolerance && g.Start.After(r.Start) && g.End.Before(r.End) {
			continue
		}
		// A hole at the very start smaller than a GOP is covered by the
		// keyframe before it; ignore sub-second edges.
		if g.Duration() < 200*time.Millisecond {
			continue
		}
		out = append(out, Gap{Camera: camera, Range: g})
	}
	return out
}

// openInputs returns the remux inputs of a camera: the segment files of a
// folder source, or one spooled clip per span for network sources.
func openInputs(ctx context.Context, job Job, id string, spans []vms.Span, errs *[]string) ([]av.Input, func(), error) {
	noop := func() {}
	if len(spans) == 0 {
		return nil, noop, nil
	}
	if sl, ok := job.Source.(vms.SegmentLister); ok {
		segs, err := sl.Segments(ctx, id, job.Range)
		if err != nil {
			return nil, noop, fmt.Errorf("export camera %q: %w", id, err)
		}
		in := make([]av.Input, len(segs))
		for i, s := range segs {
			in[i] = av.Input{Path: s.Path, Start: s.Range.Start}
		}
		return in, noop, nil
	}
	// Clips are spooled encrypted under a key held only in memory: erasing
	// the folder afterwards (or losing it in a crash) is a crypto-erase.
	parent := job.WorkDir
	if parent == "" {
		parent = os.TempDir()
	}
	wd, err := workdir.New(parent)
	if err != nil {
		return nil, noop, fmt.Errorf("export camera %q: %w", id, err)
	}
	erase := func() { _ = wd.Erase() }
	var in []av.Input
	for i, s := range spans {
		clip, err := job.Source.OpenClip(ctx, id, s)
		if err != nil {
			erase()
			return nil, noop, fmt.Errorf("export camera %q, %s: %w", id, s, err)
		}
		name := fmt.Sprintf("clip-%03d", i+1)
		ra, size, err := spoolClip(wd, name, clip)
		clip.Close()
		if err != nil && (ctx.Err() != nil || av.IsDiskFull(err) || ra == nil) {
			erase()
			return nil, noop, fmt.Errorf("export camera %q: download %s: %w", id, s, err)
		}
		if err != nil {
			// A clip cut by its bound, truncated, stalled or too slow:
			// what arrived is remuxed, and the cut is named in the
			// errors; its missing part becomes a gap (R-EXP-3).
			*errs = append(*errs, fmt.Sprintf("download %s of camera %q (%s): cut after %d bytes: %v", clip.Name, id, s, size, err))
		}
		in = append(in, av.Input{Path: clip.Name, ReaderAt: ra, Size: size, Start: clip.Start, StartIsZero: true})
	}
	return in, erase, nil
}

// spoolClip copies r into the working folder and opens it for random
// access. When reading r fails, what was read is kept and opened, and the
// error is returned with it (ra is nil when nothing could be kept).
func spoolClip(wd *workdir.Dir, name string, r io.Reader) (io.ReaderAt, int64, error) {
	w, err := wd.Create(name)
	if err != nil {
		return nil, 0, err
	}
	n, cerr := io.CopyBuffer(w, &readErr{r: r}, make([]byte, 1<<20))
	var re *readFailure
	if cerr != nil && !errors.As(cerr, &re) {
		w.Close()
		return nil, 0, cerr // the working copy failed: nothing to keep
	}
	if err := w.Close(); err != nil {
		return nil, 0, err
	}
	if cerr != nil && n == 0 {
		return nil, 0, re.err
	}
	ra, size, err := wd.OpenReaderAt(name)
	if err != nil {
		return nil, 0, err
	}
	if cerr != nil {
		return ra, size, re.err
	}
	return ra, size, nil
}

// readErr marks the errors of the source, to tell them from the errors of
// the working copy.
type readErr struct{ r io.Reader }

type readFailure struct{ err error }

func (e *readFailure) Error() string { return e.err.Error() }
func (e *readFailure) Unwrap() error { return e.err }

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readFailure{err}
	}
	return n, err
}

func probeInput(in av.Input) (av.Info, error) {
	return av.ProbeInput(in)
}

// reencode decodes src (whose time zero is at wall clock zero) and encodes
// the frames inside r to dst with libx264; it returns the actual range.
// Decoding runs ahead in its own goroutine (FFmpeg's decoder and libx264
// each use their own threads), and each picture goes back to the decoder
// once encoded instead of becoming 3 MB of garbage per 1080p frame.
func reencode(ctx context.Context, src av.Input, dst av.Output, zero time.Time, r vms.Range, onProgress func(done, total int64)) (vms.Range, error) {
	rd, err := av.OpenInput(src)
	if err != nil {
		return vms.Range{}, err
	}
	defer rd.Close()
	inf := rd.Info()
	w, err := av.CreateOutput(dst, av.EncodeOptions{Width: inf.Width, Height: inf.Height, FrameRate: inf.FrameRate})
	if err != nil {
		return vms.Range{}, err
	}
	frame := time.Duration(0)
	if inf.FrameRate.Num > 0 {
		frame = time.Duration(float64(time.Second) / inf.FrameRate.Float())
	}
	g, gctx := errgroup.WithContext(ctx)
	frames := make(chan *av.Frame, 4)
	g.Go(func() error {
		defer close(frames)
		for {
			f, err := rd.Read(gctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			wall := zero.Add(f.PTS)
			if wall.Add(frame / 2).Before(r.Start) {
				rd.Recycle(f.Image)
				continue // exact start when re-encoding
			}
			if !wall.Before(r.End) {
				rd.Recycle(f.Image)
				return nil
			}
			select {
			case frames <- f:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
	})
	var act vms.Range
	var first time.Duration = -1
	g.Go(func() error {
		for f := range frames {
			wall := zero.Add(f.PTS)
			if first < 0 {
				first = f.PTS
				act.Start = wall
			}
			act.End = wall.Add(frame)
			f.PTS -= first
			if err := w.Write(f); err != nil {
				return err
			}
			rd.Recycle(f.Image) // Write copied it into the encoder's frame
			if onProgress != nil && f.Index%25 == 0 {
				onProgress(f.Index, inf.Frames)
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		w.Close()
		return vms.Range{}, err
	}
	if err := w.Close(); err != nil {
		return vms.Range{}, err
	}
	if first < 0 {
		return vms.Range{}, fmt.Errorf("no frame inside %s", r)
	}
	return act, nil
}

// sortGaps orders gaps by camera then start.
func sortGaps(g []Gap) {
	sort.Slice(g, func(i, j int) bool {
		if g[i].Camera != g[j].Camera {
			return g[i].Camera < g[j].Camera
		}
		return g[i].Range.Start.Before(g[j].Range.Start)
	})
}

// copyNative copies the source's own segment files over the range, as
// recorded (R-EXP-5), hashed like the MP4s and listed in the manifest. A
// file that cannot be copied is named in the errors; the others are
// delivered.
func copyNative(ctx context.Context, job Job, fs *files, res *Result) error {
	sl, ok := job.Source.(vms.SegmentLister)
	if !ok {
		return fmt.Errorf("export: the source %s cannot hand its native files", job.Source.Info().Kind)
	}
	for i, id := range job.Cameras {
		segs, err := sl.Segments(ctx, id, job.Range)
		if err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("native files of camera %q: %v", id, err))
			continue
		}
		for k, sg := range segs {
			if err := ctx.Err(); err != nil {
				return err
			}
			name := fmt.Sprintf("native-%02d-%03d%s", i+1, k+1, filepath.Ext(sg.Path))
			f, err := copyNativeFile(ctx, fs, id, name, sg)
			if err != nil {
				fs.discard(name, false)
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if av.IsDiskFull(err) {
					return err
				}
				res.Errors = append(res.Errors, fmt.Sprintf("native file %q: %v", filepath.Base(sg.Path), err))
				continue
			}
			res.Files = append(res.Files, *f)
		}
	}
	return nil
}

func copyNativeFile(ctx context.Context, fs *files, id, name string, sg vms.Segment) (*File, error) {
	if err := fs.copyIn(name, sg.Path); err != nil {
		return nil, err
	}
	f := File{Camera: id, Name: name, Path: fs.path(name), Actual: sg.Range, Native: true}
	in, closeIn, err := fs.open(name, false)
	if err != nil {
		return nil, err
	}
	if inf, err := av.ProbeInput(in); err == nil {
		f.Codec, f.Width, f.Height, f.Duration = inf.Codec, inf.Width, inf.Height, inf.Duration
	}
	f.Size, f.SHA256, err = in.Hash(ctx)
	closeIn()
	if err != nil {
		return nil, err
	}
	if err := fs.commit(name); err != nil {
		return nil, err
	}
	return &f, nil
}

// copyIn copies the file at src as name (under its temporary name in the
// output folder: see commit).
func (fs *files) copyIn(name, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var out io.WriteCloser
	sync := func() error { return nil }
	if fs.enc {
		out, err = fs.wd.Create(name)
	} else {
		var f *os.File
		f, err = os.OpenFile(filepath.Join(fs.dir, name+partSuffix), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		out, sync = f, func() error { return f.Sync() }
	}
	if err != nil {
		return err
	}
	if _, err := io.CopyBuffer(out, in, make([]byte, 1<<20)); err != nil {
		out.Close()
		return err
	}
	if err := sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
