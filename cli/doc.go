// Package cli is the headless command line of Mileo Extract. The GUI and the
// CLI call the same core packages (procedure on register, export,
// anonymize, vms); this package only parses arguments, prints results and
// maps errors to exit codes. A test drives the same case through both front
// ends and compares the register entries (ui/frontends_test.go).
//
// # Commands
//
// Each group of commands lives in its own file (cmd_*.go) and adds itself
// with [Add] from an init function. [Main] dispatches.
//
// # Language
//
// Messages to people and the core's errors come from the catalogue
// (internal/i18n): French by default, English when LC_ALL, LC_MESSAGES or
// LANG starts with "en". Machine output (JSON, tables' columns, case
// numbers) does not change with the language; the register's one-line
// summaries follow it (papers.SummaryIn). Still in French only: the
// headers of the listings; still in English only: usage texts, flag errors
// and the diagnostics of the detect, plan and anonymize commands.
//
// # Exit codes
//
// 0 success, 1 error, 2 usage error, 3 export completed with gaps.
package cli
