package ui

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// fyneWords makes Fyne's own words (an entry's menu: « Copier »,
// « Coller »; a dialog's default buttons) follow the window's language,
// not the system's: Fyne reads the locale from the environment, so the
// process's is set to the chosen language, then Fyne reads it again.
func fyneWords(l string) {
	loc := "fr_FR.UTF-8"
	if l == "en" {
		loc = "en_GB.UTF-8"
	}
	os.Setenv("LANGUAGE", l)
	if v := os.Getenv("LC_ALL"); v != "" {
		os.Setenv("LC_ALL", loc)
	} else {
		os.Setenv("LC_MESSAGES", loc)
	}
	// Adding an empty catalogue is how Fyne is told to read the locale
	// again (lang.updateLocalizer).
	_ = lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(l))
}
