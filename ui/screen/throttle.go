package screen

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// progressInterval is how often progress reaches the widgets: about 5 Hz.
const progressInterval = 200 * time.Millisecond

// Throttle hands widget updates to fyne.Do at most every interval; the last
// update given is never lost (STYLE.md point 5: the core reports through
// callbacks, the window adapts).
type Throttle struct {
	interval time.Duration

	mu      sync.Mutex
	last    time.Time
	pending func()
	timer   *time.Timer
}

// NewThrottle hands updates over about five times a second.
func NewThrottle() *Throttle { return &Throttle{interval: progressInterval} }

// Do schedules f; it may be called from any goroutine.
func (t *Throttle) Do(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if t.timer == nil && now.Sub(t.last) >= t.interval {
		t.last = now
		fyne.Do(f)
		return
	}
	t.pending = f
	if t.timer == nil {
		t.timer = time.AfterFunc(t.interval-now.Sub(t.last), t.fire)
	}
}

func (t *Throttle) fire() {
	t.mu.Lock()
	f := t.pending
	t.pending, t.timer = nil, nil
	t.last = time.Now()
	t.mu.Unlock()
	if f != nil {
		fyne.Do(f)
	}
}

// Flush hands the pending update over now, before the job reports its end
// (fyne.Do keeps the order).
func (t *Throttle) Flush() {
	t.mu.Lock()
	f := t.pending
	if t.timer != nil {
		t.timer.Stop()
	}
	t.pending, t.timer = nil, nil
	t.mu.Unlock()
	if f != nil {
		fyne.Do(f)
	}
}
