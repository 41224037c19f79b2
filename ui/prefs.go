package ui

import (
	"encoding/base64"
	"sort"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/vms/connect"

	"fyne.io/fyne/v2"
)

// prefs are the window's preferences, kept by Fyne in the user's
// configuration folder (they hold no personal data): language, VMS source
// addresses, face model, and the data and witness folders for the next
// start.
type prefs struct {
	p fyne.Preferences
	// full maps a stored (redacted) source address to the address with its
	// credentials. Credentials reach the preferences file only sealed with
	// the logged-in user's key (account.Session.Seal).
	full map[string]string
	sess *account.Session
}

const prefSealed = "sources.sealed."

// unlock opens the user's sealed source addresses (at login).
func (s *prefs) unlock(sess *account.Session) {
	s.sess, s.full = sess, map[string]string{}
	for _, b64 := range s.p.StringList(prefSealed + sess.User) {
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		if addr, err := sess.Unseal(b); err == nil {
			s.full[connect.Redact(string(addr))] = string(addr)
		}
	}
}

// lock forgets the credentials (at logout).
func (s *prefs) lock() { s.sess, s.full = nil, nil }

// saveSealed writes the user's full addresses, sealed.
func (s *prefs) saveSealed() {
	if s.sess == nil {
		return
	}
	var list []string
	for _, addr := range s.full {
		if b, err := s.sess.Seal([]byte(addr)); err == nil {
			list = append(list, base64.StdEncoding.EncodeToString(b))
		}
	}
	sort.Strings(list)
	s.p.SetStringList(prefSealed+s.sess.User, list)
}

const (
	prefLang    = "lang"
	prefSources = "sources"
	prefModel   = "model"
	prefDataDir = "data_dir"
	prefWitness = "witness_dir"
	// prefRegister is the shared register's postgres:// URL (#21), never
	// with a password (~/.pgpass or a client certificate holds it).
	prefRegister = "register_url"
)

func loadSettings(p fyne.Preferences) *prefs { return &prefs{p: p} }

// Lang is "fr" (default) or "en".
func (s *prefs) Lang() string {
	if s.p.StringWithFallback(prefLang, "fr") == "en" {
		return "en"
	}
	return "fr"
}

func (s *prefs) SetLang(l string) { s.p.SetString(prefLang, l) }

// Sources are the saved source addresses.
func (s *prefs) Sources() []string {
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

func (s *prefs) AddSource(addr string) {
	stored := connect.Redact(addr)
	if stored != addr {
		if s.full == nil {
			s.full = map[string]string{}
		}
		s.full[stored] = addr
		s.saveSealed()
	}
	list := s.p.StringList(prefSources)
	for _, a := range list {
		if a == stored {
			return
		}
	}
	s.p.SetStringList(prefSources, append(list, stored))
}

func (s *prefs) RemoveSource(addr string) {
	stored := connect.Redact(addr)
	if _, ok := s.full[stored]; ok {
		delete(s.full, stored)
		s.saveSealed()
	}
	var out []string
	for _, a := range s.p.StringList(prefSources) {
		if a != stored {
			out = append(out, a)
		}
	}
	s.p.SetStringList(prefSources, out)
	s.SetSourceName(addr, "")
}

// prefSourceName keeps the display name people gave a source, by its
// address without credentials.
const prefSourceName = "source.name."

// SourceName is the display name given to the source ("" when none).
func (s *prefs) SourceName(addr string) string {
	return strings.TrimSpace(s.p.String(prefSourceName + connect.Redact(addr)))
}

// SetSourceName names the source ("" forgets its name).
func (s *prefs) SetSourceName(addr, name string) {
	key := prefSourceName + connect.Redact(addr)
	if name = strings.TrimSpace(name); name == "" {
		s.p.RemoveValue(key)
		return
	}
	s.p.SetString(key, name)
}

// Model is the face model chosen in Settings ("" searches the usual places).
func (s *prefs) Model() string     { return s.p.String(prefModel) }
func (s *prefs) SetModel(m string) { s.p.SetString(prefModel, m) }

// DataDir is the data folder to use at the next start ("" = default).
func (s *prefs) DataDir() string     { return s.p.String(prefDataDir) }
func (s *prefs) SetDataDir(d string) { s.p.SetString(prefDataDir, d) }

// Register is the shared register's URL to use at the next start ("" =
// the SQLite file of the data folder).
func (s *prefs) Register() string     { return s.p.String(prefRegister) }
func (s *prefs) SetRegister(u string) { s.p.SetString(prefRegister, u) }

// WitnessDir is the witness folder of the register to use at the next
// start ("" = none): main passes it as register.Options.WitnessDir.
func (s *prefs) WitnessDir() string     { return s.p.String(prefWitness) }
func (s *prefs) SetWitnessDir(d string) { s.p.SetString(prefWitness, d) }
