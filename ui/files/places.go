package files

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Place is one entry of the dialog's left column.
type Place struct {
	Key  string // catalogue key of its name: "files.place.home"…
	Name string // datum of the name (a medium's label), else empty
	Path string
}

// Env is where the places are found; tests give their own.
type Env struct {
	Home      string   // the home folder
	ConfigDir string   // holds user-dirs.dirs; empty is Home/.config
	User      string   // the login name, for /media/$USER
	MediaRoot []string // folders whose sub-folders are mounted media
}

// SystemEnv is the environment of the running process.
func SystemEnv() Env {
	home, _ := os.UserHomeDir()
	user := os.Getenv("USER")
	if user == "" && home != "" {
		user = filepath.Base(home)
	}
	var roots []string
	if user != "" {
		roots = []string{filepath.Join("/media", user), filepath.Join("/run/media", user)}
	}
	return Env{Home: home, ConfigDir: os.Getenv("XDG_CONFIG_HOME"), User: user, MediaRoot: roots}
}

// userDirs are the XDG user directories the dialog shows, with the names
// they have when user-dirs.dirs does not say.
var userDirs = []struct {
	xdg, key string
	usual    []string
}{
	{"XDG_DESKTOP_DIR", "files.place.desktop", []string{"Bureau", "Desktop"}},
	{"XDG_DOCUMENTS_DIR", "files.place.documents", []string{"Documents"}},
	{"XDG_DOWNLOAD_DIR", "files.place.downloads", []string{"Téléchargements", "Downloads"}},
}

// Places lists the places of env that exist: the home folder, the
// desktop, documents and downloads folders, mounted media, the root.
func Places(env Env) []Place {
	var out []Place
	if isDir(env.Home) {
		out = append(out, Place{Key: "files.place.home", Path: env.Home})
	}
	conf := env.ConfigDir
	if conf == "" && env.Home != "" {
		conf = filepath.Join(env.Home, ".config")
	}
	var xdg map[string]string
	if conf != "" {
		if b, err := os.ReadFile(filepath.Join(conf, "user-dirs.dirs")); err == nil {
			xdg = ParseUserDirs(b, env.Home)
		}
	}
	for _, d := range userDirs {
		var p string
		if v, ok := xdg[d.xdg]; ok {
			p = v
		} else if env.Home != "" {
			for _, n := range d.usual {
				if isDir(filepath.Join(env.Home, n)) {
					p = filepath.Join(env.Home, n)
					break
				}
			}
		}
		// XDG sets a disabled directory to the home folder itself.
		if p != "" && filepath.Clean(p) != filepath.Clean(env.Home) && isDir(p) {
			out = append(out, Place{Key: d.key, Path: p})
		}
	}
	for _, root := range env.MediaRoot {
		ents, err := os.ReadDir(root)
		if err != nil {
			continue
		}
		names := make([]string, 0, len(ents))
		for _, e := range ents {
			if p := filepath.Join(root, e.Name()); isDir(p) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, Place{Key: "files.place.media", Name: n, Path: filepath.Join(root, n)})
		}
	}
	return append(out, Place{Key: "files.place.root", Path: string(filepath.Separator)})
}

// ParseUserDirs reads a user-dirs.dirs file: lines XDG_NAME_DIR="path"
// where path is absolute or starts with $HOME/. Other lines are ignored.
func ParseUserDirs(b []byte, home string) map[string]string {
	out := map[string]string{}
	if home != "" {
		home = filepath.Clean(home)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !strings.HasPrefix(k, "XDG_") || !strings.HasSuffix(k, "_DIR") {
			continue
		}
		v = strings.TrimSpace(v)
		if u, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
			v = u
		} else {
			continue
		}
		switch {
		case v == "$HOME" || strings.HasPrefix(v, "$HOME/"):
			if !filepath.IsAbs(home) {
				continue
			}
			v = filepath.Join(home, v[len("$HOME"):])
		case filepath.IsAbs(v):
			v = filepath.Clean(v)
		default:
			continue
		}
		out[k] = v
	}
	return out
}

func isDir(p string) bool {
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
