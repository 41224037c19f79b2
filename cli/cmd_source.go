package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/demo"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/connect"
)

func init() {
	Add(&Command{Name: "demo", Usage: "demo DIR [--short]", Summary: "write a demo VMS archive (3 cameras, 10 minutes, one gap)", Run: runDemo})
	Add(&Command{Name: "cameras", Usage: "cameras --source SRC", Summary: "list the cameras of a source", Run: runCameras})
	Add(&Command{Name: "recordings", Usage: "recordings --source SRC --camera ID --from T --to T", Summary: "list the recorded spans of a camera", Run: runRecordings})
	Add(&Command{Name: "export", Usage: "case export CASE … --as NAME", Summary: "refused: footage leaves only through an authorized case (case export)",
		Run: runExportClosed, Hidden: true})
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("demo", env)
	short := fs.Bool("short", false, "small archive (3 minutes, small pictures) for tests")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one folder")
	}
	opt := demo.Options{Short: *short}
	if env.StderrIsTerminal {
		opt.OnProgress = bar(env.Stderr, "demo")
	}
	m, err := demo.Generate(ctx, pos[0], opt)
	if err != nil {
		return err
	}
	if env.StderrIsTerminal {
		fmt.Fprintln(env.Stderr)
	}
	return writeJSON(env.Stdout, m)
}

func openSource(ctx context.Context, addr string) (vms.Source, error) {
	if addr == "" {
		return nil, Usagef("--source is required (e.g. folder:/srv/recordings)")
	}
	return connect.Open(ctx, addr)
}

func runCameras(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("cameras", env)
	src := fs.String("source", "", "source address")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	s, err := openSource(ctx, *src)
	if err != nil {
		return err
	}
	cams, err := s.Cameras(ctx)
	if err != nil {
		return err
	}
	return writeJSON(env.Stdout, cams)
}

func runRecordings(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("recordings", env)
	src := fs.String("source", "", "source address")
	cam := fs.String("camera", "", "camera id")
	from := fs.String("from", "", "start (RFC 3339)")
	to := fs.String("to", "", "end (RFC 3339)")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	r, err := parseRange(*from, *to)
	if err != nil {
		return err
	}
	s, err := openSource(ctx, *src)
	if err != nil {
		return err
	}
	spans, err := s.Recordings(ctx, *cam, r)
	if err != nil {
		return err
	}
	return writeJSON(env.Stdout, map[string]any{"camera": *cam, "spans": nonNil(spans), "gaps": nonNil(vms.Gaps(r, spans))})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func parseRange(from, to string) (vms.Range, error) {
	if from == "" || to == "" {
		return vms.Range{}, Usagef("--from and --to are required (RFC 3339)")
	}
	f, err := ParseTime(from)
	if err != nil {
		return vms.Range{}, err
	}
	t, err := ParseTime(to)
	if err != nil {
		return vms.Range{}, err
	}
	r := vms.Range{Start: f, End: t}
	if !r.Valid() {
		return r, Usagef("--to must be after --from")
	}
	return r, nil
}

// runExportClosed is what is left of the free export of earlier versions,
// which wrote any camera and range with no login, no case and no register
// entry (issue #15): footage leaves only through an authorized case,
// encrypted and recorded (`case export`; R-AUTH-1, R-ENC-1, R-REG-1,
// R-MIN-1). It refuses, whatever its arguments, and says where to go.
func runExportClosed(context.Context, *Env, []string) error {
	return &refusal{key: "err.cli.export_outside_case"}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// bar returns a progress callback drawing a one-line bar on w.
func bar(w io.Writer, label string) func(done, total int64) {
	var mu sync.Mutex
	last := time.Time{}
	return func(done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < 200*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		drawBar(w, label, done, total)
	}
}

func drawBar(w io.Writer, label string, done, total int64) {
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	if frac > 1 {
		frac = 1
	}
	n := int(frac * 30)
	fmt.Fprintf(w, "\r%-22s [%s%s] %3.0f%%", label, strings.Repeat("█", n), strings.Repeat(" ", 30-n), frac*100)
}

func exportBar(w io.Writer) func(export.Progress) {
	var mu sync.Mutex
	last := time.Time{}
	return func(p export.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < 200*time.Millisecond && p.Done < p.Total {
			return
		}
		last = time.Now()
		label := p.Stage
		if p.Camera != "" {
			label = p.Camera + " " + p.Stage
		}
		drawBar(w, label, p.Done, p.Total)
	}
}
