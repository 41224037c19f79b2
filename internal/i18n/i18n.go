package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

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
			data[k] = kv[i+1]
			if k == "Count" {
				count = kv[i+1]
			}
		}
	}
	s, err := c.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil || s == "" {
		return id
	}
	return s
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
