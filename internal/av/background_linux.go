package av

import (
	"runtime"
	"syscall"

	"github.com/asticode/go-astiav"
)

// backgroundNice is the nice value of a background encoder's threads.
const backgroundNice = 10

// inBackground opens the encoder from an OS thread of its own whose
// priority is lowered first: libx264 starts its threads (the frame threads
// and the lookahead's) while opening, and on Linux a thread inherits the
// nice value of the thread that creates it. The goroutine stays locked to
// that thread until it returns, so the Go runtime discards the thread
// instead of running other goroutines on it at the lower priority.
func inBackground(open func(*astiav.Codec, *astiav.Dictionary) error, c *astiav.Codec, d *astiav.Dictionary) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if syscall.Gettid() == syscall.Getpid() {
			// The main thread is never discarded, only parked: hold it
			// while another goroutine, on another thread, does the work.
			defer runtime.UnlockOSThread()
			errc <- inBackground(open, c, d)
			return
		}
		// Never unlocked: the thread dies with the goroutine. Lowering
		// one's own priority needs no privilege; should it fail, the
		// encoder runs at the normal priority, only less politely.
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), backgroundNice)
		errc <- open(c, d)
	}()
	return <-errc
}
