package screen

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// The throttle runs the first update at once, keeps only the last of a
// burst, and flush hands it over before a job reports its end.
func TestThrottleKeepsLastUpdate(t *testing.T) {
	test.NewTempApp(t)
	th := NewThrottle()
	th.interval = time.Hour // nothing fires by itself during the test
	var got []int
	th.Do(func() { got = append(got, 1) })
	for i := 2; i <= 5; i++ {
		th.Do(func() { got = append(got, i) })
	}
	th.Flush()
	th.Flush() // nothing pending: no-op
	if len(got) != 2 || got[0] != 1 || got[1] != 5 {
		t.Fatalf("updates run: %v, want [1 5]", got)
	}
}
