package ui

import (
	"strings"

	"fyne.io/fyne/v2"
)

// settings are the window's preferences, kept by Fyne in the user's
// configuration folder (they hold no personal data): language, VMS source
// addresses, face model and the data folder for the next start.
type settings struct {
	p fyne.Preferences
}

const (
	prefLang    = "lang"
	prefSources = "sources"
	prefModel   = "model"
	prefDataDir = "data_dir"
)

func loadSettings(p fyne.Preferences) *settings { return &settings{p: p} }

// Lang is "fr" (default) or "en".
func (s *settings) Lang() string {
	if s.p.StringWithFallback(prefLang, "fr") == "en" {
		return "en"
	}
	return "fr"
}

func (s *settings) SetLang(l string) { s.p.SetString(prefLang, l) }

// Sources are the saved source addresses.
func (s *settings) Sources() []string {
	var out []string
	for _, a := range s.p.StringList(prefSources) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func (s *settings) AddSource(addr string) {
	list := s.Sources()
	for _, a := range list {
		if a == addr {
			return
		}
	}
	s.p.SetStringList(prefSources, append(list, addr))
}

func (s *settings) RemoveSource(addr string) {
	var out []string
	for _, a := range s.Sources() {
		if a != addr {
			out = append(out, a)
		}
	}
	s.p.SetStringList(prefSources, out)
}

// Model is the face model chosen in Settings ("" searches the usual places).
func (s *settings) Model() string     { return s.p.String(prefModel) }
func (s *settings) SetModel(m string) { s.p.SetString(prefModel, m) }

// DataDir is the data folder to use at the next start ("" = default).
func (s *settings) DataDir() string     { return s.p.String(prefDataDir) }
func (s *settings) SetDataDir(d string) { s.p.SetString(prefDataDir, d) }
