package player

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The speed buttons set the playback rate.
func TestPlayerSpeed(t *testing.T) {
	test.NewTempApp(t)
	p := New(nil)
	for _, tc := range []struct {
		label string
		want  float64
	}{{"2×", 2}, {"4×", 4}, {"1×", 1}} {
		p.speed.SetSelected(tc.label)
		if p.st.speed != tc.want {
			t.Errorf("%s: speed %v", tc.label, p.st.speed)
		}
	}
}
