package sheet

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	update = flag.Bool("update", false, "rewrite the golden files in testdata/")
	keep   = flag.String("keep", "", "also write every rendered PDF into this folder, to look at")
)

// needTool skips the test when a poppler tool is missing (they are installed
// on the team machines and CI).
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (poppler-utils): %v", name, err)
	}
}

// writePDF stores pdf in a temp folder (and in -keep) and returns its path.
func writePDF(t testing.TB, name string, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, name+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		t.Errorf("%s %v wrote to stderr: %s", name, args, s)
	}
	return out
}

// pdfText is `pdftotext -layout` of the PDF, with trailing spaces removed and
// page breaks written as a marker line.
func pdfText(t testing.TB, path string) string {
	t.Helper()
	needTool(t, "pdftotext")
	out := string(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"))
	out = strings.ReplaceAll(strings.TrimSuffix(out, "\f"), "\f", "\n=== page break ===\n")
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}

// pages splits pdfText output into pages.
func pages(text string) []string {
	return strings.Split(text, "\n=== page break ===\n")
}

// renderPNG renders the PDF with `pdftoppm -r dpi -png` (pages first..last,
// 0 for all; optionally cropped to x, y, w, h pixels) and returns the PNG
// files in page order.
func renderPNG(t testing.TB, path string, dpi, first, last int, crop ...int) []string {
	t.Helper()
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	args := []string{"-r", strconv.Itoa(dpi), "-png"}
	if first > 0 {
		args = append(args, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last))
	}
	if len(crop) == 4 { // x, y, w, h in pixels
		args = append(args, "-x", strconv.Itoa(crop[0]), "-y", strconv.Itoa(crop[1]),
			"-W", strconv.Itoa(crop[2]), "-H", strconv.Itoa(crop[3]))
	}
	run(t, "pdftoppm", append(args, path, filepath.Join(dir, "p"))...)
	files, err := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if err != nil {
		t.Fatal(err)
	}
	// pdftoppm pads page numbers to the same width, so the names sort.
	for _, f := range files {
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Fatalf("empty render %s: %v", f, err)
		}
	}
	return files
}

func decodePNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

var pageSizeRe = regexp.MustCompile(`Page size:\s+([0-9.]+) x ([0-9.]+) pts`)

// pdfInfo returns the page count and the first page's size in mm.
func pdfInfo(t testing.TB, path string) (n int, wmm, hmm float64) {
	t.Helper()
	needTool(t, "pdfinfo")
	out := string(run(t, "pdfinfo", path))
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in\n%s", out)
	}
	n, _ = strconv.Atoi(m[1])
	if s := pageSizeRe.FindStringSubmatch(out); s != nil {
		w, _ := strconv.ParseFloat(s[1], 64)
		h, _ := strconv.ParseFloat(s[2], 64)
		wmm, hmm = w/72*25.4, h/72*25.4
	}
	return n, wmm, hmm
}

// checkGoldenPage renders page 1 of the PDF at 50 dpi in grey and compares
// it with the PNG testdata/name, or rewrites it with -update. Renderers
// differ by a few anti-aliased pixels between versions: the page matches
// when under 0.3 % of its pixels differ by more than a quarter of the grey
// scale. A moved or missing block differs by far more.
func checkGoldenPage(t *testing.T, name, pdfPath string) {
	t.Helper()
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	run(t, "pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", pdfPath, filepath.Join(dir, "p"))
	got := greys16(decodePNG(t, filepath.Join(dir, "p.png")))
	golden := filepath.Join("testdata", name)
	if *update {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if _, err := os.Stat(golden); err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	want := decodePNG(t, golden)
	if got.Bounds() != want.Bounds() {
		t.Fatalf("%s: page 1 is %v, golden %v", name, got.Bounds(), want.Bounds())
	}
	b := got.Bounds()
	bad := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g, _, _, _ := got.At(x, y).RGBA()
			w, _, _, _ := want.At(x, y).RGBA()
			if diff := int(g>>8) - int(w>>8); diff > 64 || diff < -64 {
				bad++
			}
		}
	}
	if total := b.Dx() * b.Dy(); bad*1000 > total*3 {
		t.Errorf("%s: %d of %d pixels of page 1 differ from the golden (run go test -update if the change is intended, and look at it)", name, bad, total)
	}
}

// greys16 is img in 16 levels of grey, which keeps the goldens small (4
// bits a pixel) and loses nothing a layout check needs.
func greys16(img image.Image) *image.Paletted {
	pal := make(color.Palette, 16)
	for i := range pal {
		pal[i] = color.Gray{Y: uint8(i * 17)}
	}
	b := img.Bounds()
	out := image.NewPaletted(b, pal)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			out.SetColorIndex(x, y, uint8((int(g)+8)/17))
		}
	}
	return out
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from golden at line %d:\n got: %q\nwant: %q\n(run go test -update if the change is intended)", path, i+1, g, w)
			}
		}
		t.Fatalf("%s differs from golden", path)
	}
}
