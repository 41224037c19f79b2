// Package screen is what the screens of the window share, so that each
// package of the window (ui and its sub-packages) builds its screens the
// same way.
//
// # Contents
//
// [Screen] is what the window shows and closes. The widgets every screen
// is made of: [Heading], [Wrapped] labels, coloured [Badge]s with the
// colours of states ([StateColor]), [ActionButton]s that say in a tooltip
// ([TipLayer]) why they are disabled, form and message dialogs, a form's
// [Hint] and the message under it ([Say]), a folder dialog ([PickFolder]).
// [ShownError] carries the sentence already shown to the person with its
// cause for the log.
//
// # Long work
//
// A [Throttle] hands the progress reported by the core to the widgets
// about five times a second, inside fyne.Do (STYLE.md point 5).
package screen
