package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/vms"
)

// Sentinel errors.
var (
	// ErrNoFootage means no camera had readable footage in the range.
	ErrNoFootage = errors.New("no readable footage in the requested range")
	// ErrOutDirNotEmpty protects earlier exports from being overwritten.
	ErrOutDirNotEmpty = errors.New("output folder already holds an export")
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
	// With encryption only the archive goes to OutDir: the videos are
	// written to a private working folder removed at the end.
	videoDir := job.OutDir
	if job.Encrypt {
		if job.WorkDir != "" {
			if err := os.MkdirAll(job.WorkDir, 0o700); err != nil {
				return nil, fmt.Errorf("export: %w", err)
			}
		}
		if videoDir, err = os.MkdirTemp(job.WorkDir, "mileo-export-"); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		defer os.RemoveAll(videoDir)
	}
	res := &Result{Gaps: []Gap{}}
	for i, id := range job.Cameras {
		name := fmt.Sprintf("video-%02d.mp4", i+1)
		f, gaps, errs, err := exportCamera(ctx, job, id, names[id], filepath.Join(videoDir, name))
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, errNoReadable) {
				res.Gaps = append(res.Gaps, gaps...)
				res.Errors = append(res.Errors, errs...)
				continue
			}
			return nil, err
		}
		f.Name = name
		res.Files = append(res.Files, *f)
		res.Gaps = append(res.Gaps, gaps...)
		res.Errors = append(res.Errors, errs...)
	}
	if job.Native {
		if err := copyNative(ctx, job, videoDir, res); err != nil {
			return nil, err
		}
	}
	if len(res.Files) == 0 {
		return res, fmt.Errorf("export: %w (%d gap(s), %d error(s))", ErrNoFootage, len(res.Gaps), len(res.Errors))
	}
	res.Complete = len(res.Gaps) == 0 && len(res.Errors) == 0
	res.Manifest = newManifest(job, res)
	if err := res.Manifest.writeFiles(videoDir); err != nil {
		return nil, err
	}
	if job.Encrypt {
		if err := encrypt(ctx, job, videoDir, res); err != nil {
			return nil, err
		}
		for i := range res.Files {
			res.Files[i].Path = ""
		}
	}
	return res, nil
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
	return nil
}

var errNoReadable = errors.New("no readable footage")

func progress(job Job, camera, stage string, done, total int64) {
	if job.OnProgress != nil {
		job.OnProgress(Progress{Camera: camera, Stage: stage, Done: done, Total: total})
	}
}

// exportCamera writes one camera's MP4 at out.
func exportCamera(ctx context.Context, job Job, id, name, out string) (*File, []Gap, []string, error) {
	r := job.Range
	spans, err := job.Source.Recordings(ctx, id, r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("export camera %q: %w", id, err)
	}
	var errs []string
	inputs, cleanup, err := openInputs(ctx, job, id, spans)
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
	remuxOut := out
	if needEncode {
		remuxOut = out + ".remux.mp4"
		defer os.Remove(remuxOut)
	}
	rr, err := av.Remux(ctx, inputs, remuxOut, av.RemuxOptions{
		From: r.Start, To: r.End,
		OnProgress: func(done, total time.Duration) {
			progress(job, id, "remux", int64(done/time.Microsecond), int64(total/time.Microsecond))
		},
	})
	if rr != nil {
		for _, e := range rr.Errors {
			errs = append(errs, e.Error())
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, nil, ctx.Err()
		}
		if errors.Is(err, av.ErrNothingWritten) {
			os.Remove(remuxOut)
			return nil, gapsOf(id, r, nil), errs, errNoReadable
		}
		return nil, nil, nil, fmt.Errorf("export camera %q: %w", id, err)
	}
	covered := make([]vms.Span, 0, len(rr.Covered))
	for _, c := range rr.Covered {
		covered = append(covered, vms.Span{Start: c.Start, End: c.End})
	}
	gaps := gapsOf(id, r, vms.ClipTo(vms.Merge(covered, gapTolerance), r))
	f := &File{Camera: id, CameraName: name, Path: out, Actual: vms.Range{Start: rr.Start, End: rr.End}}
	switch {
	case job.Anonymizer != nil:
		progress(job, id, "anonymize", 0, 1)
		doc, err := job.Anonymizer.Anonymize(ctx, remuxOut, out, func(done, total int64) { progress(job, id, "anonymize", done, total) })
		if err != nil {
			return nil, nil, nil, fmt.Errorf("anonymize camera %q: %w", id, err)
		}
		f.Reencoded, f.Anonymized, f.Anon = true, true, doc
	case needEncode:
		act, err := reencode(ctx, remuxOut, out, rr.Start, r, func(done, total int64) { progress(job, id, "encode", done, total) })
		if err != nil {
			return nil, nil, nil, fmt.Errorf("re-encode camera %q: %w", id, err)
		}
		f.Reencoded, f.Actual = true, act
	}
	// Readability (R-EXP-3): decode every frame of what we hand over.
	progress(job, id, "verify", 0, 1)
	inf, err := av.Verify(ctx, out, func(done, total int64) { progress(job, id, "verify", done, total) })
	if err != nil {
		return nil, nil, nil, fmt.Errorf("verify camera %q: the exported file does not decode: %w", id, err)
	}
	f.Codec, f.Width, f.Height, f.Frames, f.Duration = inf.Codec, inf.Width, inf.Height, inf.Frames, inf.Duration
	if f.Size, f.SHA256, err = hashFile(out); err != nil {
		return nil, nil, nil, err
	}
	return f, gaps, errs, nil
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
func openInputs(ctx context.Context, job Job, id string, spans []vms.Span) ([]av.Input, func(), error) {
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
		if err != nil {
			erase()
			return nil, noop, fmt.Errorf("export camera %q: download %s: %w", id, s, err)
		}
		in = append(in, av.Input{Path: clip.Name, ReaderAt: ra, Size: size, Start: clip.Start, StartIsZero: true})
	}
	return in, erase, nil
}

// spoolClip copies r into the working folder and opens it for random access.
func spoolClip(wd *workdir.Dir, name string, r io.Reader) (io.ReaderAt, int64, error) {
	w, err := wd.Create(name)
	if err != nil {
		return nil, 0, err
	}
	if _, err := io.CopyBuffer(w, r, make([]byte, 1<<20)); err != nil {
		w.Close()
		return nil, 0, err
	}
	if err := w.Close(); err != nil {
		return nil, 0, err
	}
	return wd.OpenReaderAt(name)
}

func probeInput(in av.Input) (av.Info, error) {
	if in.ReaderAt != nil {
		return av.ProbeReaderAt(in.ReaderAt, in.Size, in.Path)
	}
	return av.Probe(in.Path)
}

// reencode decodes src (whose time zero is at wall clock zero) and encodes
// the frames inside r to dst with libx264; it returns the actual range.
func reencode(ctx context.Context, src, dst string, zero time.Time, r vms.Range, onProgress func(done, total int64)) (vms.Range, error) {
	rd, err := av.Open(src)
	if err != nil {
		return vms.Range{}, err
	}
	defer rd.Close()
	inf := rd.Info()
	w, err := av.Create(dst, av.EncodeOptions{Width: inf.Width, Height: inf.Height, FrameRate: inf.FrameRate})
	if err != nil {
		return vms.Range{}, err
	}
	var act vms.Range
	var first time.Duration = -1
	frame := time.Duration(0)
	if inf.FrameRate.Num > 0 {
		frame = time.Duration(float64(time.Second) / inf.FrameRate.Float())
	}
	for {
		f, err := rd.Read(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.Close()
			return vms.Range{}, err
		}
		wall := zero.Add(f.PTS)
		if wall.Add(frame / 2).Before(r.Start) {
			continue // exact start when re-encoding
		}
		if !wall.Before(r.End) {
			break
		}
		if first < 0 {
			first = f.PTS
			act.Start = wall
		}
		act.End = wall.Add(frame)
		f.PTS -= first
		if err := w.Write(f); err != nil {
			w.Close()
			return vms.Range{}, err
		}
		if onProgress != nil && f.Index%25 == 0 {
			onProgress(f.Index, inf.Frames)
		}
	}
	if err := w.Close(); err != nil {
		return vms.Range{}, err
	}
	if first < 0 {
		return vms.Range{}, fmt.Errorf("no frame inside %s", r)
	}
	return act, nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", fmt.Errorf("hash %q: %w", p, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, make([]byte, 1<<20))
	if err != nil {
		return 0, "", fmt.Errorf("hash %q: %w", p, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
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
// recorded (R-EXP-5), hashed like the MP4s and listed in the manifest.
func copyNative(ctx context.Context, job Job, dir string, res *Result) error {
	sl, ok := job.Source.(vms.SegmentLister)
	if !ok {
		return fmt.Errorf("export: the source %s cannot hand its native files", job.Source.Info().Kind)
	}
	for i, id := range job.Cameras {
		segs, err := sl.Segments(ctx, id, job.Range)
		if err != nil {
			return fmt.Errorf("export native files of %q: %w", id, err)
		}
		for k, sg := range segs {
			name := fmt.Sprintf("native-%02d-%03d%s", i+1, k+1, filepath.Ext(sg.Path))
			dst := filepath.Join(dir, name)
			if err := copyFile(sg.Path, dst); err != nil {
				return fmt.Errorf("export native file %q: %w", sg.Path, err)
			}
			f := File{Camera: id, Name: name, Path: dst, Actual: sg.Range, Native: true}
			if inf, err := av.Probe(dst); err == nil {
				f.Codec, f.Width, f.Height, f.Duration = inf.Codec, inf.Width, inf.Height, inf.Duration
			}
			if f.Size, f.SHA256, err = hashFile(dst); err != nil {
				return err
			}
			res.Files = append(res.Files, f)
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
