// Package files is the window's own file chooser: open a file, save a
// file, choose a folder ([Open], [Save], [Folder]), in the language of
// the application's catalogue (French by default) rather than Fyne's,
// whose dialog names « Home » and « Computer » in English and speaks the
// system's language for the rest (issue #20).
//
// # Dialog
//
// A column of places with French names (« Dossier personnel », « Bureau »,
// « Documents », « Téléchargements », each only if it exists, the mounted
// removable media and « Racine »), an editable path with a button to the
// parent folder, and the folder's list: folders first, hidden files
// hidden, sortable by name, size and date, filtered by extension.
// A double click or Enter opens a folder or chooses a file. Saving adds
// the extension when it is missing and asks before replacing a file. An
// unreadable folder is said in the dialog; nothing panics.
//
// # Places
//
// The desktop, documents and downloads folders are read from
// ~/.config/user-dirs.dirs (XDG user directories) when present, else
// found under their usual names ([Places]).
//
// # Memory
//
// Each dialog is given a purpose ([Options.Purpose], e.g. "receipt"); the
// folder last used for that purpose is kept in the application's
// preferences and the next dialog opens there, so that a repeated attach
// is two clicks. Without one it opens in Documents, else the home folder.
//
// # Texts
//
// Texts come from a [Translator], the consumer-side view of the
// application's catalogue (keys "files.*"); a nil one is the French
// catalogue.
package files
