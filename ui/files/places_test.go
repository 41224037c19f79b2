package files

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The places are those that exist, with the XDG user directories when
// user-dirs.dirs names them, else their usual names (issue #20).
func TestPlaces(t *testing.T) {
	tests := []struct {
		name     string
		dirs     []string // under home
		userDirs string   // content of .config/user-dirs.dirs; empty: none
		media    []string // under the media root
		want     []string // keys and paths relative to home ("/" is the root)
	}{
		{"bare home", nil, "", nil, []string{"files.place.home=.", "files.place.root=/"}},
		{"usual English names", []string{"Desktop", "Documents", "Downloads"}, "", nil,
			[]string{"files.place.home=.", "files.place.desktop=Desktop", "files.place.documents=Documents", "files.place.downloads=Downloads", "files.place.root=/"}},
		{"usual French names", []string{"Bureau", "Documents", "Téléchargements"}, "", nil,
			[]string{"files.place.home=.", "files.place.desktop=Bureau", "files.place.documents=Documents", "files.place.downloads=Téléchargements", "files.place.root=/"}},
		{"user-dirs wins", []string{"Desktop", "Mes documents", "Documents"},
			"# comment\nXDG_DOCUMENTS_DIR=\"$HOME/Mes documents\"\nXDG_DESKTOP_DIR=\"$HOME/\"\nXDG_DOWNLOAD_DIR=\"$HOME/Absent\"\n", nil,
			[]string{"files.place.home=.", "files.place.documents=Mes documents", "files.place.root=/"}}, // "$HOME/" disables the desktop
		{"disabled desktop", []string{"Desktop"}, "XDG_DESKTOP_DIR=\"$HOME\"\n", nil,
			[]string{"files.place.home=.", "files.place.root=/"}},
		{"media", []string{"Documents"}, "", []string{"USB-0007", "CLE"},
			[]string{"files.place.home=.", "files.place.documents=Documents", "files.place.media=media/CLE", "files.place.media=media/USB-0007", "files.place.root=/"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			mkdirs(t, home, tc.dirs...)
			if tc.userDirs != "" {
				write(t, filepath.Join(home, ".config", "user-dirs.dirs"), tc.userDirs)
			}
			media := filepath.Join(home, "media")
			mkdirs(t, media, tc.media...)
			if len(tc.media) == 0 {
				media = filepath.Join(home, "no-media")
			}
			write(t, filepath.Join(media, "not-a-folder"), "x")
			var got []string
			for _, p := range Places(Env{Home: home, MediaRoot: []string{media}}) {
				rel := p.Path
				if p.Path != "/" {
					rel, _ = filepath.Rel(home, p.Path)
				}
				got = append(got, p.Key+"="+rel)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("places\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestParseUserDirs(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
	}{
		{"", map[string]string{}},
		{`XDG_DESKTOP_DIR="$HOME/Bureau"`, map[string]string{"XDG_DESKTOP_DIR": "/h/Bureau"}},
		{`XDG_DESKTOP_DIR="$HOME"`, map[string]string{"XDG_DESKTOP_DIR": "/h"}},
		{`XDG_MUSIC_DIR="/srv/musique/"`, map[string]string{"XDG_MUSIC_DIR": "/srv/musique"}},
		{"# XDG_DESKTOP_DIR=\"$HOME/x\"\n  XDG_DOWNLOAD_DIR = \"$HOME/Téléchargements\"  ", map[string]string{"XDG_DOWNLOAD_DIR": "/h/Téléchargements"}},
		{`XDG_DESKTOP_DIR=$HOME/Bureau`, map[string]string{}},                            // unquoted
		{`XDG_DESKTOP_DIR="relative"`, map[string]string{}},                              // neither absolute nor $HOME
		{`OTHER="$HOME/x"`, map[string]string{}},                                         // not an XDG directory
		{`XDG_DESKTOP_DIR="$HOME/../etc"`, map[string]string{"XDG_DESKTOP_DIR": "/etc"}}, // cleaned
	}
	for _, tc := range tests {
		if got := ParseUserDirs([]byte(tc.in), "/h"); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseUserDirs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The parser of user-dirs.dirs (a file of the person's) never panics and
// gives only absolute, clean paths.
func FuzzParseUserDirs(f *testing.F) {
	f.Add([]byte("XDG_DESKTOP_DIR=\"$HOME/Bureau\"\n"), "/home/u")
	f.Add([]byte("XDG_X_DIR=\"/a/../b\"\n# c\n"), "")
	f.Fuzz(func(t *testing.T, b []byte, home string) {
		for k, v := range ParseUserDirs(b, home) {
			if !filepath.IsAbs(v) || filepath.Clean(v) != v {
				t.Errorf("%s = %q", k, v)
			}
		}
	})
}
