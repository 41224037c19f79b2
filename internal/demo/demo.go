package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"mileo.tech/extract/internal/av"
)

// Camera is one demo camera.
type Camera struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	FPS    int    `json:"fps"`
	Clip   string `json:"clip,omitempty"` // file name in the media folder, "" = synthetic
	// GapFrom and GapTo delimit a hole in the recording, relative to the
	// archive start.
	GapFrom time.Duration `json:"gap_from,omitempty"`
	GapTo   time.Duration `json:"gap_to,omitempty"`
}

// Options configures Generate.
type Options struct {
	// Start is the archive's first instant; zero = today 08:00 local time.
	Start time.Time
	// Duration per camera; zero = 10 minutes.
	Duration time.Duration
	// Segment length; zero = 60 s.
	Segment time.Duration
	// MediaDir holds real clips; "" = look for ../shared/media/video.
	MediaDir string
	// Short makes a small archive for tests: 3 minutes, small pictures.
	Short bool
	// Cameras overrides the default set.
	Cameras []Camera
	// OnProgress reports frames written.
	OnProgress func(done, total int64)
}

// Cameras returns the default demo cameras.
func Cameras(short bool) []Camera {
	if short {
		return []Camera{
			{ID: "entree", Name: "Entrée principale", Width: 640, Height: 360, FPS: 25, Clip: "one-by-one-person-detection.mp4"},
			{ID: "caisses", Name: "Caisses", Width: 480, Height: 270, FPS: 15, Clip: "face-demographics-walking.gif", GapFrom: 75 * time.Second, GapTo: 105 * time.Second},
			{ID: "parking", Name: "Parking", Width: 320, Height: 180, FPS: 10, Clip: ""},
		}
	}
	return []Camera{
		{ID: "entree", Name: "Entrée principale", Width: 1920, Height: 1080, FPS: 25, Clip: "one-by-one-person-detection.mp4"},
		{ID: "caisses", Name: "Caisses", Width: 1280, Height: 720, FPS: 15, Clip: "face-demographics-walking.gif", GapFrom: 5 * time.Minute, GapTo: 5*time.Minute + 30*time.Second},
		{ID: "accueil", Name: "Accueil", Width: 960, Height: 540, FPS: 12, Clip: "head-pose-face-detection-female-and-male.gif"},
	}
}

// Manifest is written as demo.json at the archive root.
type Manifest struct {
	Address string    `json:"address"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Cameras []Camera  `json:"cameras"`
}

// FileName is the MediaMTX segment name for t, in the machine's time zone
// (the folder source's default).
func FileName(t time.Time) string {
	t = t.In(time.Local)
	return t.Format("2006-01-02_15-04-05") + fmt.Sprintf("-%06d.mp4", t.Nanosecond()/1000)
}

// Generate writes the archive into dir and returns its description.
func Generate(ctx context.Context, dir string, opt Options) (*Manifest, error) {
	if opt.Duration == 0 {
		opt.Duration = 10 * time.Minute
		if opt.Short {
			opt.Duration = 3 * time.Minute
		}
	}
	if opt.Segment == 0 {
		opt.Segment = time.Minute
	}
	if opt.Start.IsZero() {
		now := time.Now()
		opt.Start = time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, time.Local)
	}
	if opt.MediaDir == "" {
		opt.MediaDir = findMedia()
	}
	cams := opt.Cameras
	if cams == nil {
		cams = Cameras(opt.Short)
	}
	var total, done int64
	for _, c := range cams {
		total += int64(opt.Duration.Seconds() * float64(c.FPS))
	}
	for _, c := range cams {
		if err := writeCamera(ctx, dir, c, opt, func() {
			done++
			if opt.OnProgress != nil && done%50 == 0 {
				opt.OnProgress(done, total)
			}
		}); err != nil {
			return nil, err
		}
	}
	m := &Manifest{Address: "folder:" + dir, Start: opt.Start, End: opt.Start.Add(opt.Duration), Cameras: cams}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "demo.json"), b, 0o644); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	names := map[string]string{}
	for _, c := range cams {
		names[c.ID] = c.Name
	}
	b, _ = json.MarshalIndent(names, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "cameras.json"), b, 0o644); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return m, nil
}

func findMedia() string {
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "..", "shared", "media", "video")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func writeCamera(ctx context.Context, dir string, c Camera, opt Options, tick func()) error {
	cdir := filepath.Join(dir, c.ID)
	if err := os.MkdirAll(cdir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	src := newSource(c, opt.MediaDir)
	defer src.Close()
	n := int64(opt.Duration.Seconds() * float64(c.FPS))
	var w *av.Writer
	var segStart time.Duration = -1
	var segFrame int64
	closeSeg := func() error {
		if w == nil {
			return nil
		}
		err := w.Close()
		w = nil
		return err
	}
	for i := int64(0); i < n; i++ {
		if err := ctx.Err(); err != nil {
			closeSeg()
			return err
		}
		t := time.Duration(i) * time.Second / time.Duration(c.FPS)
		img, err := src.Next(ctx)
		if err != nil {
			closeSeg()
			return fmt.Errorf("demo camera %s: %w", c.ID, err)
		}
		tick()
		inGap := c.GapTo > c.GapFrom && t >= c.GapFrom && t < c.GapTo
		if inGap {
			if err := closeSeg(); err != nil {
				return err
			}
			continue
		}
		if w == nil || t/opt.Segment != segStart/opt.Segment {
			if err := closeSeg(); err != nil {
				return err
			}
			segStart, segFrame = t, 0
			name := FileName(opt.Start.Add(t))
			w, err = av.CreateOutput(av.Output{Path: filepath.Join(cdir, name), Fragmented: true}, av.EncodeOptions{
				Width: c.Width, Height: c.Height, FrameRate: av.Rational{Num: c.FPS, Den: 1},
				Preset: "ultrafast", CRF: 26,
			})
			if err != nil {
				return fmt.Errorf("demo camera %s: %w", c.ID, err)
			}
		}
		stamp(img, opt.Start.Add(t), c.Name)
		if err := w.Write(&av.Frame{Index: i, PTS: t - segStart, Image: img}); err != nil {
			closeSeg()
			return fmt.Errorf("demo camera %s: %w", c.ID, err)
		}
		segFrame++
	}
	return closeSeg()
}

// source yields pictures of a camera's size, looping a real clip or drawing
// a synthetic scene.
type source struct {
	cam    Camera
	path   string
	r      *av.Reader
	scaler *av.Scaler
	i      int
}

func newSource(c Camera, mediaDir string) *source {
	s := &source{cam: c}
	if c.Clip != "" && mediaDir != "" {
		if _, err := os.Stat(filepath.Join(mediaDir, c.Clip)); err == nil {
			s.path = filepath.Join(mediaDir, c.Clip)
		}
	}
	return s
}

func (s *source) Next(ctx context.Context) (*image.YCbCr, error) {
	s.i++
	if s.path == "" {
		return synthetic(s.cam.Width, s.cam.Height, s.i, s.cam.FPS), nil
	}
	for attempt := 0; attempt < 2; attempt++ {
		if s.r == nil {
			r, err := av.Open(s.path)
			if err != nil {
				return nil, err
			}
			s.r = r
		}
		f, err := s.r.Read(ctx)
		if errors.Is(err, io.EOF) {
			s.r.Close()
			s.r = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		b := f.Image.Rect
		if s.scaler == nil {
			if s.scaler, err = av.NewScaler(b.Dx(), b.Dy(), s.cam.Width, s.cam.Height); err != nil {
				return nil, err
			}
		}
		return s.scaler.Scale(f.Image)
	}
	return nil, fmt.Errorf("clip %s has no frame", s.path)
}

func (s *source) Close() {
	if s.r != nil {
		s.r.Close()
	}
	if s.scaler != nil {
		s.scaler.Close()
	}
}

// synthetic draws a slowly moving gradient with two walking "people".
func synthetic(w, h, i, fps int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		row := img.Y[y*img.YStride:]
		for x := 0; x < w; x++ {
			row[x] = uint8(60 + (x*90)/w + (y*40)/h)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 120, 134
	}
	t := float64(i) / float64(fps)
	for k, speed := range []float64{0.07, -0.05} {
		cx := int((0.5 + 0.4*math.Sin(t*speed*2*math.Pi+float64(k))) * float64(w))
		cy := h/2 + k*h/6
		bw, bh := w/16+1, h/5+1
		for y := max(cy-bh/2, 0); y < min(cy+bh/2, h); y++ {
			for x := max(cx-bw/2, 0); x < min(cx+bw/2, w); x++ {
				img.Y[y*img.YStride+x] = uint8(30 + 150*k)
			}
		}
	}
	return img
}
