// Package assets holds the files Mileo Extract embeds in its binary.
//
// # Fonts
//
// [Fonts] contains DejaVu Sans, DejaVu Sans Bold and DejaVu Sans Mono
// (fonts/DejaVuSans.ttf, fonts/DejaVuSans-Bold.ttf, fonts/DejaVuSansMono.ttf),
// used to print the documents of the extraction procedure with full French
// (and wider Unicode) coverage. Their licence (Bitstream Vera / public domain
// DejaVu changes, redistribution permitted) is in fonts/LICENSE.
package assets

import "embed"

// Fonts is the embedded fonts folder; paths are "fonts/<file>.ttf".
//
//go:embed fonts/*.ttf
var Fonts embed.FS
