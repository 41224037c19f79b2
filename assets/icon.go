package assets

import _ "embed"

// Icon is the application icon (512×512 PNG): a surveillance camera with an
// export arrow. FyneApp.toml points at the same file for `fyne package`.
//
//go:embed icon.png
var Icon []byte
