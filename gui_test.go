package main

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
)

// TestGUISmoke launches the real binary under Xvfb on the demo archive,
// waits for its window, takes a screenshot with ImageMagick's import and
// checks it is not blank. MILEO_SMOKE_SHOT, when set, keeps the screenshot.
func TestGUISmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the application")
	}
	for _, tool := range []string{"Xvfb", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (scripts/deps.sh test)", tool)
		}
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "mileo-extract")
	if out, err := exec.Command("go", "build", "-tags", "customenv", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	display := startXvfb(t)
	env := append(os.Environ(), "DISPLAY="+display, "XDG_CONFIG_HOME="+filepath.Join(tmp, "config"), "LANG=fr_FR.UTF-8")

	// --check opens a window and closes it.
	check := exec.Command(bin, "gui", "--check")
	check.Env = env
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("gui --check on %s: %v\n%s", display, err, out)
	}
	noDisplay := exec.Command(bin, "gui", "--check")
	noDisplay.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	if err := noDisplay.Run(); err == nil {
		t.Fatal("gui --check succeeds without a display")
	}

	// Files, not pipes: a child the toolkit starts (dbus-launch) may keep
	// a pipe open after the application exits.
	stdout, err := os.Create(filepath.Join(tmp, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(tmp, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	output := func() string {
		o, _ := os.ReadFile(stdout.Name())
		e, _ := os.ReadFile(stderr.Name())
		return string(o) + "\n" + string(e)
	}
	app := exec.Command(bin, "gui", "--demo", demotest.Archive(t), "--data", filepath.Join(tmp, "demo-data"))
	app.Env = env
	app.Stdout, app.Stderr = stdout, stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	exited := make(chan struct{})
	go func() { exitErr = app.Wait(); close(exited) }()
	defer func() {
		app.Process.Kill()
		<-exited
	}()
	var shot []byte
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err := exec.Command("import", "-display", display, "-window", "root", "png:-").Output()
		if err == nil && colours(t, out) > 50 {
			shot = out
			break
		}
		select {
		case <-exited:
			t.Fatalf("the application exited: %v\n%s", exitErr, output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window after 90 s\n%s", output())
		}
		time.Sleep(500 * time.Millisecond)
	}
	if p := os.Getenv("MILEO_SMOKE_SHOT"); p != "" {
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := output(); !strings.Contains(out, "operator") || !strings.Contains(out, "security_manager") {
		t.Fatalf("demo accounts not printed:\n%s", out)
	}
	// Ctrl-C in the terminal closes the window cleanly.
	app.Process.Signal(os.Interrupt)
	select {
	case <-exited:
		if exitErr != nil {
			t.Fatalf("exit after interrupt: %v\n%s", exitErr, output())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the application does not quit on interrupt")
	}
}

// startXvfb starts a virtual display on a free number and stops it at the
// end of the test (SIGTERM, so that it removes its lock file).
func startXvfb(t *testing.T) string {
	t.Helper()
	for n := 91; n < 140; n++ {
		if lockHeld(n) {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		x := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := x.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { x.Wait(); close(done) }()
		t.Cleanup(func() {
			x.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				x.Process.Kill()
				<-done
			}
		})
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display
			}
			select {
			case <-done:
				i = 100 // this number was taken: try the next one
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	t.Fatal("no free X display")
	return ""
}

// lockHeld reports whether display n's lock file names a live process.
func lockHeld(n int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/tmp/.X%d-lock", n))
	if err != nil {
		return false
	}
	var pid int
	if _, err := fmt.Sscan(strings.TrimSpace(string(b)), &pid); err != nil || pid <= 0 {
		return true
	}
	return syscall.Kill(pid, 0) == nil
}

// colours counts the distinct colours of a PNG (a blank screen has one).
func colours(t *testing.T, png []byte) int {
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		return 0
	}
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bb, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bb >> 8}] = true
		}
	}
	return len(seen)
}
