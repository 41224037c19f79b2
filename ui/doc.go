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
// VMS sources, the data folder); main.go only wires. Each screen is built by
// a constructor that keeps its widgets in a struct (loginScreen,
// dashboardScreen, wizardScreen, caseScreen, authorizeScreen,
// browserScreen, reviewScreen, exportScreen, deliveryScreen,
// registerScreen, settingsScreen) so that tests drive it with the Fyne test
// driver (test.Tap, test.Type) without a display.
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
