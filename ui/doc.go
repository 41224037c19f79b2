// Package ui is the desktop window of Mileo Extract, built with Fyne. It walks
// the operator, the security manager and the DPO through the extraction
// procedure (PROC-RGPD-001, PROC-VMS-006) and adds no business logic of its
// own: every rule (who may do what, in which state, with which deadline,
// which acts a case offers and why not) is decided by package procedure on
// the signed log of package register, every export by packages export and
// anonymize, every picture comes from packages vms and internal/av.
//
// # Shape
//
// [New] builds the window's content from [Deps] (the procedure, a way to open
// VMS sources, the data folder); main.go only wires. Package ui is the
// shell: the session (login, first run), the header and the navigation,
// the dashboard, the register and the list of cases, the printed documents
// and purges, and the state of the window (the VMS source
// in use, the encrypted working folders, what was decided during the
// session). The other screens live in packages named for what they do:
//
//   - ui/casework: the screens of a case (request wizard, case, authorization,
//     export, delivery);
//   - ui/browser: the footage browser;
//   - ui/review: the anonymization review;
//   - ui/settings: the settings (sources, folders, model, witness folder,
//     accounts and their one-time passwords, site settings, delegates,
//     media);
//   - ui/player: the video player widget, its timeline and the footage it plays;
//   - ui/screen: what every screen shares (the Screen interface, small
//     widgets, colours, the progress throttle).
//
// Each of them declares the small Window interface it needs of the window;
// the unexported window type of this package implements them all, so no
// package sees the UI type. Each screen is built by a constructor that keeps
// its widgets in a struct (loginScreen, dashboardScreen, casework.WizardScreen,
// casework.CaseScreen, browser.Screen, review.Screen, registerScreen,
// settings.Screen, ...) so that tests drive it with the Fyne test driver
// (test.Tap, test.Type) without a display; the tests that drive the whole
// window stay in this package.
//
// # Long work
//
// Exports, detection, rendering, previews and register verification run in
// goroutines with a cancellable context. Widgets are only touched inside
// fyne.Do; progress is throttled to about 5 updates a second. Every long job
// has a cancel button, and [UI.Close] cancels and waits for them.
//
// # Texts
//
// Texts come from package internal/i18n (French by default, English in Settings);
// errors show as their catalogue message (errText), never as a Go error chain.
// Errors the user can act on (register.Error) are shown as their message;
// the full chain goes to the log, without personal data.
package ui
