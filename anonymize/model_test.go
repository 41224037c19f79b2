package anonymize

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"mileo.tech/extract/anonymize/anonymizetest"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
	"mileo.tech/extract/internal/testmedia"
)

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindModel(t *testing.T) {
	model := testmedia.Model(t, ModelFile)
	root := t.TempDir()
	envDir := filepath.Join(root, "env")
	dataHome := filepath.Join(root, "xdg")
	userDir := filepath.Join(dataHome, "mileo-extract", "models")
	cwd := filepath.Join(root, "cwd")
	copyFile(t, model, filepath.Join(envDir, ModelFile))
	copyFile(t, model, filepath.Join(userDir, ModelFile))
	copyFile(t, model, filepath.Join(cwd, "models", ModelFile))
	copyFile(t, model, filepath.Join(root, "other.onnx"))
	// A known name with other content: refused.
	if err := os.MkdirAll(filepath.Join(root, "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bad", cv.ModelYuNetN), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(cwd)

	tests := []struct {
		name     string
		explicit string
		env      map[string]string
		want     string
		err      error
	}{
		{"explicit file", filepath.Join(root, "other.onnx"), nil, filepath.Join(root, "other.onnx"), nil},
		{"explicit folder", envDir, nil, filepath.Join(envDir, ModelFile), nil},
		{"explicit name in MILEO_MODELS", ModelFile, map[string]string{"MILEO_MODELS": envDir}, filepath.Join(envDir, ModelFile), nil},
		{"explicit missing", filepath.Join(root, "none.onnx"), nil, "", ErrNoModel},
		{"explicit bad sum", filepath.Join(root, "bad", cv.ModelYuNetN), nil, "", ErrModelChecksum},
		{"MILEO_MODELS first", "", map[string]string{"MILEO_MODELS": envDir, "XDG_DATA_HOME": dataHome}, filepath.Join(envDir, ModelFile), nil},
		{"user data folder", "", map[string]string{"XDG_DATA_HOME": dataHome}, filepath.Join(userDir, ModelFile), nil},
		{"MILEO_MODELS without model", "", map[string]string{"MILEO_MODELS": root, "XDG_DATA_HOME": dataHome}, filepath.Join(userDir, ModelFile), nil},
		{"./models", "", map[string]string{"XDG_DATA_HOME": root}, filepath.Join("models", ModelFile), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findModel(tt.explicit, func(k string) string { return tt.env[k] })
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("findModel = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
	t.Run("nothing", func(t *testing.T) {
		t.Chdir(root)
		if _, err := findModel("", func(k string) string { return map[string]string{"XDG_DATA_HOME": root}[k] }); !errors.Is(err, ErrNoModel) {
			t.Errorf("findModel = %v, want ErrNoModel", err)
		}
	})
}

// Without a model the detector falls back to Haar cascades and says so
// (R-ANON-4: the documentation records it).
func TestLoadDetectorFallback(t *testing.T) {
	if _, err := os.Stat(cv.HaarFrontal); err != nil {
		t.Skipf("opencv-data not installed: %v", err)
	}
	model := testmedia.Model(t, ModelFile)
	modelN := testmedia.Model(t, cv.ModelYuNetN)
	gif := anonymizetest.Clip(t, "face-demographics-walking.gif")
	empty := t.TempDir()
	t.Setenv("MILEO_MODELS", empty)
	t.Setenv("XDG_DATA_HOME", empty)
	t.Chdir(empty)
	d, err := LoadDetector("", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	info := d.Describe()
	if !info.Fallback || info.Name != "haar-fallback" || len(info.Notes) == 0 || info.ModelSHA256 != "" {
		t.Errorf("fallback info %+v", info)
	}
	// The fallback still tracks and covers, and the plan says it was used.
	if testing.Short() {
		return
	}
	out := filepath.Join(t.TempDir(), "out.mp4")
	plan, err := PlanOptions{}.Anonymize(context.Background(), av.Input{Path: gif}, av.Output{Path: out}, d, nil, RenderOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc := plan.Documentation(ModeMosaic); !doc.Fallback || doc.Detector != "haar-fallback" || len(plan.Tracks) == 0 {
		t.Errorf("fallback plan: %d tracks, documentation %+v", len(plan.Tracks), doc)
	}
	// An explicit model that is missing is an error, not a fallback.
	if _, err := LoadDetector(filepath.Join(empty, "none.onnx"), 0); !errors.Is(err, ErrNoModel) {
		t.Errorf("LoadDetector(missing) = %v, want ErrNoModel", err)
	}
	// With the model: YuNet, documented.
	y, err := LoadDetector(model, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	if i := y.Describe(); i.Fallback || i.Name != "yunet-2023mar" || i.ModelSHA256 != cv.ModelSHA256[cv.ModelYuNet] || i.Threshold != 0.5 || i.RegionThreshold != 0.35 {
		t.Errorf("YuNet info %+v", i)
	}
	// The stronger yunet_n model, by path.
	n, err := LoadDetector(modelN, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if i := n.Describe(); i.Name != "yunet-n" || i.ModelSHA256 != cv.ModelSHA256[cv.ModelYuNetN] {
		t.Errorf("yunet_n info %+v", i)
	}
}
