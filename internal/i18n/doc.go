// Package i18n is the one catalogue of texts of Mileo Extract, in French
// (the default) and English, looked up with go-i18n: the window, the CLI's
// messages to people, the printed documents ("doc.*") and the messages of
// the core's errors ("err.*"). It is a leaf: it imports nothing of the
// module, so every layer may use it.
//
// # Messages
//
// Every text has an id ("login.title") and lives in messages/fr.json and
// messages/en.json, flat JSON objects from id to text. Texts are Go
// templates over the data given to [Catalog.T] ("{{.Number}}"); a message
// given as {"one": …, "other": …} is chosen by the "Count" datum; a datum of
// type [Key] is itself an id, rendered in the catalog's language first (a
// state, a role named in an error). A test checks that both files hold the
// same ids and that every id the ui package asks for exists.
//
// # Errors
//
// The core's errors (register.Error) carry a stable code, a message id and
// its data; their Error() is the English text, for the log. [Catalog.Err]
// gives the sentence a person reads for any error: the message of an error
// that implements [Message], a known sentinel of the standard library, or
// "error.unexpected", never a raw Go error chain.
//
// # Why not Fyne's lang package
//
// Fyne's own translations follow the system locale only; the operators
// choose the language in Settings, so the application keeps its own
// catalog and rebuilds its screens when the language changes.
package i18n
