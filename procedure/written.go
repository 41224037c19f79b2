package procedure

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// writtenFiles lists the regular files under dir with their SHA-256,
// right after the export wrote them there.
func writtenFiles(dir string) ([]WrittenFile, error) {
	out := []WrittenFile{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		sum, size, err := fileSHA256(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, WrittenFile{Name: filepath.ToSlash(rel), SHA256: sum, Size: size})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// purgeWritten overwrites and removes the files of written that are still
// in dir unchanged (same SHA-256), then removes the folders they leave
// empty, dir included; anything else in dir is never touched. It returns
// how many files it purged and the names of those it kept because they
// changed since the export (a purge is then incomplete: say so).
func purgeWritten(ctx context.Context, dir string, written []WrittenFile) (int, []string, error) {
	n := 0
	var kept []string
	dirs := map[string]bool{}
	for _, w := range written {
		if err := ctx.Err(); err != nil {
			return n, kept, err
		}
		if !filepath.IsLocal(filepath.FromSlash(w.Name)) {
			kept = append(kept, w.Name)
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(w.Name))
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // already gone
		}
		if err != nil {
			return n, kept, err
		}
		if !fi.Mode().IsRegular() {
			kept = append(kept, w.Name)
			continue
		}
		sum, _, err := fileSHA256(p)
		if err != nil {
			return n, kept, err
		}
		if sum != w.SHA256 {
			kept = append(kept, w.Name)
			continue
		}
		if err := overwriteFile(p); err != nil {
			return n, kept, err
		}
		if err := os.Remove(p); err != nil {
			return n, kept, err
		}
		n++
		for d := filepath.Dir(p); within(d, dir); d = filepath.Dir(d) {
			dirs[d] = true
			if d == dir {
				break
			}
		}
	}
	// Deepest first; os.Remove refuses a folder that is not empty.
	var ds []string
	for d := range dirs {
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return len(ds[i]) > len(ds[j]) })
	for _, d := range ds {
		_ = os.Remove(d)
	}
	return n, kept, nil
}

// DefaultExportDir is where exports go when no folder is set: beside the
// data folder, never inside it (R-PRG-3: a purge never walks the data
// folder).
func DefaultExportDir(dataDir string) string {
	return filepath.Join(filepath.Dir(dataDir), filepath.Base(dataDir)+"-exports")
}
