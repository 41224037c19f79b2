package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"mileo.tech/extract/assets"
)

var iconResource = fyne.NewStaticResource("icon.png", assets.Icon)

// appIcon is the application icon.
func appIcon() fyne.Resource { return iconResource }

// Icon is the application icon, for the window and the desktop entry.
func Icon() fyne.Resource { return iconResource }

// mileoTheme is Fyne's theme, light, with the Mileo blue as primary colour:
// a control-room desktop tool, read for hours.
type mileoTheme struct{}

var _ fyne.Theme = mileoTheme{}

func (mileoTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary:
		return color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff}
	case theme.ColorNameBackground:
		return color.NRGBA{R: 0xf5, G: 0xf6, B: 0xf8, A: 0xff}
	case theme.ColorNameHeaderBackground:
		return color.NRGBA{R: 0xe8, G: 0xec, B: 0xf2, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (mileoTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (mileoTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (mileoTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }
