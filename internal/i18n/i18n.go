package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the application speaks, the default first.
var Languages = []string{"fr", "en"}

//go:embed messages/*.json
var files embed.FS

var (
	loadOnce sync.Once
	bundle   *goi18n.Bundle
	ids      map[string][]string
	loadErr  error
)

func load() {
	bundle = goi18n.NewBundle(language.French)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	ids = map[string][]string{}
	for _, l := range Languages {
		name := "messages/" + l + ".json"
		b, err := files.ReadFile(name)
		if err != nil {
			loadErr = fmt.Errorf("i18n: %w", err)
			return
		}
		if _, err := bundle.ParseMessageFileBytes(b, name); err != nil {
			loadErr = fmt.Errorf("i18n: %s: %w", name, err)
			return
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			loadErr = fmt.Errorf("i18n: %s: %w", name, err)
			return
		}
		for id := range raw {
			ids[l] = append(ids[l], id)
		}
		sort.Strings(ids[l])
	}
}

// Catalog gives the texts of one language.
type Catalog struct {
	lang string
	loc  *goi18n.Localizer
}

// New returns the catalog of lang ("fr" or "en"); any other value gives
// French.
func New(lang string) *Catalog {
	loadOnce.Do(load)
	if loadErr != nil {
		panic(loadErr) // embedded files: a broken build, caught by the tests
	}
	if lang != "en" {
		lang = "fr"
	}
	return &Catalog{lang: lang, loc: goi18n.NewLocalizer(bundle, lang)}
}

// Lang is the catalog's language.
func (c *Catalog) Lang() string { return c.lang }

// T returns the text of id with the template data given as key, value
// pairs: T("case.title", "Number", "EXT-2026-0042"). A "Count" datum selects
// the plural form. An unknown id is returned as is, so a missing text shows
// rather than breaking the window (a test keeps the catalogs complete).
func (c *Catalog) T(id string, kv ...any) string {
	var data map[string]any
	var count any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			data[k] = c.value(kv[i+1])
			if k == "Count" {
				count = kv[i+1]
			}
		}
	}
	s, err := c.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && count != nil {
		// A message without plural forms, given a count ("{{.Count}} / {{.Total}}"):
		// French says 0 and 1 with the "one" form it does not have.
		s, err = c.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	}
	if err != nil || s == "" {
		return id
	}
	if r := recorder.Load(); r != nil {
		(*r)(c.lang, s)
	}
	return s
}

var recorder atomic.Pointer[func(lang, text string)]

// Record calls fn with every text rendered from now on, in any catalog,
// until Record(nil). Tests use it to check that a window shows only texts
// of the catalogue.
func Record(fn func(lang, text string)) {
	if fn == nil {
		recorder.Store(nil)
		return
	}
	recorder.Store(&fn)
}

// Key is a datum that is itself a catalogue id: it is rendered in the
// catalog's language before it enters a template (a state, a role, a
// channel named in an error message).
type Key string

func (c *Catalog) value(v any) any {
	if k, ok := v.(Key); ok {
		return c.T(string(k))
	}
	return v
}

// Message is an error that carries its own catalogue message, such as the
// core's *register.Error: the id and its template data.
type Message interface {
	Message() (key string, data map[string]any)
}

// Err is the sentence shown to a person for err: the catalogue message of
// the first [Message] in its chain, a known sentinel of the standard library,
// or else "error.unexpected" (the detail belongs in the log, never on
// screen).
func (c *Catalog) Err(err error) string {
	if err == nil {
		return ""
	}
	var m Message
	if errors.As(err, &m) {
		key, data := m.Message()
		kv := make([]any, 0, 2*len(data))
		for k, v := range data {
			kv = append(kv, k, v)
		}
		return c.T(key, kv...)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return c.T("error.cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		return c.T("error.timeout")
	case errors.Is(err, fs.ErrPermission):
		return c.T("error.permission")
	case errors.Is(err, fs.ErrNotExist):
		return c.T("error.not_exist")
	case errors.Is(err, syscall.ENOSPC):
		return c.T("error.no_space")
	}
	return c.T("error.unexpected")
}

// Has reports whether id exists in the catalog's language.
func (c *Catalog) Has(id string) bool {
	_, err := c.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: 2})
	return err == nil
}

// IDs returns the message ids of lang, sorted.
func IDs(lang string) []string {
	loadOnce.Do(load)
	return append([]string(nil), ids[lang]...)
}
