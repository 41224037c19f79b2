// Package cli is the headless command line of Mileo Extract. The GUI and the
// CLI call the same core packages (vms, export, anonymize, register); this
// package only parses arguments, prints results and maps errors to exit
// codes.
//
// # Commands
//
// Each group of commands lives in its own file (cmd_*.go) and adds itself
// with [Add] from an init function. [Main] dispatches.
//
// # Exit codes
//
// 0 success, 1 error, 2 usage error, 3 export completed with gaps.
package cli
