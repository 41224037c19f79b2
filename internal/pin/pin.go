//go:build pin

// Package pin keeps the pinned modules in go.mod while the packages that use
// them are being written. It is never compiled (build tag pin).
package pin

import (
	_ "codeberg.org/go-pdf/fpdf"
	_ "filippo.io/age"
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/asticode/go-astiav"
	_ "github.com/boombuler/barcode/qr"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "gocv.io/x/gocv"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/mod/sumdb/note"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/term"
	_ "golang.org/x/text/language"
	_ "modernc.org/sqlite"
)
