package testmedia

import "testing"

// TestNoMedia checks the switch make check relies on to stay fast.
func TestNoMedia(t *testing.T) {
	for _, tc := range []struct {
		val  string
		want bool
	}{{"", false}, {"0", false}, {"1", true}, {"yes", true}} {
		t.Setenv(EnvNoMedia, tc.val)
		if got := NoMedia(); got != tc.want {
			t.Errorf("%s=%q: NoMedia() = %v, want %v", EnvNoMedia, tc.val, got, tc.want)
		}
	}
}

// TestDirSkipsWithoutMedia: with MILEO_NO_MEDIA=1 Dir and Model skip even
// when the files exist.
func TestDirSkipsWithoutMedia(t *testing.T) {
	t.Setenv(EnvNoMedia, "1")
	for name, f := range map[string]func(testing.TB){
		"Dir":   func(tb testing.TB) { Dir(tb) },
		"Model": func(tb testing.TB) { Model(tb, "any.onnx") },
	} {
		t.Run(name, func(t *testing.T) {
			ran := false
			t.Run("inner", func(t *testing.T) {
				f(t)
				ran = true
			})
			if ran {
				t.Errorf("%s did not skip with %s=1", name, EnvNoMedia)
			}
		})
	}
}
