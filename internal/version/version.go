// Package version names this build of Mileo Extract, for manifests, sheets
// and the register. Set at link time: -ldflags "-X mileo.tech/extract/internal/version.Version=1.2.3".
package version

// Version of the software.
var Version = "0.1.0-dev"

// Name is the product name.
const Name = "Mileo Extract"

// String is "Mileo Extract 0.1.0-dev".
func String() string { return Name + " " + Version }
