package ui

import (
	"mileo.tech/extract/vms/connect"
	"strings"

	"fyne.io/fyne/v2"
)

// settings are the window's preferences, kept by Fyne in the user's
// configuration folder (they hold no personal data): language, VMS source
// addresses, face model and the data folder for the next start.
type settings struct {
	p fyne.Preferences
	// full maps a stored (redacted) source address to the address with its
	// credentials, for this session only: credentials never reach the
	// preferences file.
	full map[string]string
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
			if f, ok := s.full[a]; ok {
				a = f // credentials typed in this session
			}
			out = append(out, a)
		}
	}
	return out
}

func (s *settings) AddSource(addr string) {
	stored := connect.Redact(addr)
	if stored != addr {
		if s.full == nil {
			s.full = map[string]string{}
		}
		s.full[stored] = addr
	}
	list := s.p.StringList(prefSources)
	for _, a := range list {
		if a == stored {
			return
		}
	}
	s.p.SetStringList(prefSources, append(list, stored))
}

func (s *settings) RemoveSource(addr string) {
	stored := connect.Redact(addr)
	delete(s.full, stored)
	var out []string
	for _, a := range s.p.StringList(prefSources) {
		if a != stored {
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
