// Package i18n holds the texts of the desktop application in French (the
// default) and English, and looks them up with go-i18n.
//
// # Messages
//
// Every text the window shows has an id ("login.title") and lives in
// messages/fr.json and messages/en.json, flat JSON objects from id to text.
// Texts are Go templates over the data given to [Catalog.T]
// ("{{.Number}}"); a message given as {"one": …, "other": …} is chosen by
// the "Count" datum. A test checks that both files hold the same ids and
// that every id the ui package asks for exists.
//
// # Why not Fyne's lang package
//
// Fyne's own translations follow the system locale only; the operators
// choose the language in Settings, so the application keeps its own
// catalog and rebuilds its screens when the language changes.
package i18n
