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
// # Doors kept closed (issue #15)
//
// Footage leaves only through an authorized case: `case export`, which
// the procedure checks and records. The free `export` of earlier versions
// remains only as a hidden command that refuses and points there. The
// archive password goes to the terminal ([Env.StdoutIsTerminal]) or to
// the descriptor the caller names with --password-fd; with standard output
// redirected and no descriptor the export is refused before it starts.
// [PrivateFiles], called first by main, makes the process's files 0600 and
// folders 0700 (umask 077) behind the explicit modes of each package.
//
// # Exit codes
//
// 0 success, 1 error, 2 usage error, 3 export completed with gaps.
package cli
