package demo

import (
	"image"
	"image/color"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// siteZone is the time zone the demo recorder burns into its pictures: the
// site's local time, as a French recorder shows it.
var siteZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}()

// stamp burns the camera name and the site's local time into the top-left
// corner, white on a dark band, like a CCTV recorder does.
func stamp(img *image.YCbCr, t time.Time, name string) {
	text := t.In(siteZone).Format("02/01/2006 15:04:05") + "  " + ascii(name)
	face := basicfont.Face7x13
	w := font.MeasureString(face, text).Ceil() + 4
	mask := image.NewGray(image.Rect(0, 0, w, 15))
	d := &font.Drawer{Dst: mask, Src: image.NewUniform(color.Gray{255}), Face: face, Dot: fixed.P(2, 12)}
	d.DrawString(text)
	k := img.Rect.Dy() / 240 // scale: 1 at 240p, 4 at 1080p
	if k < 1 {
		k = 1
	}
	x0, y0 := 8*k, 6*k
	W, H := img.Rect.Dx(), img.Rect.Dy()
	for my := 0; my < mask.Rect.Dy(); my++ {
		for mx := 0; mx < mask.Rect.Dx(); mx++ {
			v := mask.Pix[my*mask.Stride+mx]
			for dy := 0; dy < k; dy++ {
				y := y0 + my*k + dy
				if y >= H {
					break
				}
				row := img.Y[y*img.YStride:]
				for dx := 0; dx < k; dx++ {
					x := x0 + mx*k + dx
					if x >= W {
						break
					}
					if v > 128 {
						row[x] = 235
					} else {
						row[x] = 16 + row[x]/4 // darken the band
					}
				}
			}
		}
	}
}

// ascii drops accents: the bitmap font only has ASCII.
func ascii(s string) string {
	var out []rune
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r > 127 {
			r = '?'
		}
		out = append(out, r)
	}
	return string(out)
}
