package anonymize

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mileo.tech/extract/internal/cv"
)

// ModelFile is the file name of the default face model.
const ModelFile = cv.ModelYuNet

var (
	// ErrNoModel is returned when no face model file is found.
	ErrNoModel = errors.New("no face detector model found")
	// ErrModelChecksum is returned for a known model file whose content
	// differs from its pinned SHA-256.
	ErrModelChecksum = errors.New("model file does not match its pinned SHA-256")
)

// ModelDirs returns the folders searched for models, in order:
// $MILEO_MODELS, the user data folder ($XDG_DATA_HOME/mileo-extract/models
// or ~/.local/share/mileo-extract/models) and ./models.
func ModelDirs() []string { return modelDirs(os.Getenv) }

func modelDirs(getenv func(string) string) []string {
	var dirs []string
	if d := getenv("MILEO_MODELS"); d != "" {
		dirs = append(dirs, d)
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		dirs = append(dirs, filepath.Join(d, "mileo-extract", "models"))
	} else if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "mileo-extract", "models"))
	}
	dirs = append(dirs, "models")
	// Beside the program: bin/mileo-extract finds ../models, where make
	// models puts them, from any working directory.
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			dirs = append(dirs, filepath.Join(filepath.Dir(exe), "models"), filepath.Join(filepath.Dir(exe), "..", "models"))
		}
	}
	return dirs
}

// FindModel returns the face model to use. explicit, when not empty, is a
// model file, a folder holding ModelFile, or the bare name of a model
// ("yunet_n_640_640.onnx") searched in [ModelDirs]; it must exist.
// Without it the default model is searched in [ModelDirs]. A file with the
// name of a known model must match its pinned SHA-256. The error wraps
// ErrNoModel when nothing is found.
func FindModel(explicit string) (string, error) { return findModel(explicit, os.Getenv) }

func findModel(explicit string, getenv func(string) string) (string, error) {
	dirs := modelDirs(getenv)
	if explicit != "" {
		st, err := os.Stat(explicit)
		switch {
		case err == nil && st.IsDir():
			return checkModel(filepath.Join(explicit, ModelFile))
		case err == nil:
			return checkModel(explicit)
		case !strings.ContainsRune(explicit, os.PathSeparator):
			for _, d := range dirs {
				p := filepath.Join(d, explicit)
				if _, err := os.Stat(p); err == nil {
					return checkModel(p)
				}
			}
		}
		return "", fmt.Errorf("%w: %s (searched %s)", ErrNoModel, explicit, strings.Join(dirs, ", "))
	}
	for _, d := range dirs {
		p := filepath.Join(d, ModelFile)
		if _, err := os.Stat(p); err == nil {
			return checkModel(p)
		}
	}
	return "", fmt.Errorf("%w: %s not in %s", ErrNoModel, ModelFile, strings.Join(dirs, ", "))
}

// checkModel verifies a model file against its pinned sum when its name is
// a known one.
func checkModel(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNoModel, err)
	}
	defer f.Close()
	want, known := cv.ModelSHA256[filepath.Base(p)]
	if !known {
		return p, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read model %s: %w", p, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return "", fmt.Errorf("%w: %s has %s", ErrModelChecksum, p, got)
	}
	return p, nil
}
