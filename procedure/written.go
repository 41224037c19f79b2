package procedure

import (
	"io/fs"
	"path/filepath"
	"sort"
)

// writtenFiles lists the regular files under dir with their SHA-256,
// right after the export wrote them there, so that their purge removes
// exactly these (package retention, R-PRG-3).
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

// DefaultExportDir is where exports go when no folder is set: beside the
// data folder, never inside it (R-PRG-3: a purge never walks the data
// folder).
func DefaultExportDir(dataDir string) string {
	return filepath.Join(filepath.Dir(dataDir), filepath.Base(dataDir)+"-exports")
}
