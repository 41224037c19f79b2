package cv

import (
	"fmt"
	"image"
	"math"

	"gocv.io/x/gocv"
)

// Region batching: DetectRegions packs the regions into one canvas, a grid
// of cells of padTo32(side) pixels apart by RegionGap pixels of black, and
// runs the network once; a small network input costs mostly its fixed
// overhead (layers dispatched, blobs, conversions), so N regions in one
// canvas cost much less than N calls.
const (
	// RegionGap is the black between two cells of the canvas, a multiple of
	// 32 so that every cell sits on the network's coarsest grid as a region
	// searched alone does.
	RegionGap = 32
	// regionCols and regionRows bound the grid of one canvas; more regions
	// take more canvases. Each canvas shape keeps its own network (about
	// 80 bytes per input pixel): 4×2 cells of 160 px is 736×352, ~20 MB.
	regionCols = 4
	regionRows = 2
	// minShrink: regions shrunk by this factor or more (faces of 107 px
	// and more at side 160) are resized in YCbCr, by a whole factor first,
	// before anything is converted: converting them whole to BGR, then
	// shrinking them with OpenCV's general area interpolation, made about
	// a tenth of the one-pass anonymizer's time on crowded 1080p footage.
	// Smaller regions are searched exactly as before (converted, then
	// resized): the change moved boxes enough to split a person's track
	// behind a pillar (TestOnePersonOneTrack).
	minShrink = 2
)

// DetectRegions searches the parts rs of img as DetectRegion searches each
// (score RegionThreshold or more, each part resized so that its larger side
// is side pixels) and returns the boxes of each part, in pixels of img.
// The parts of a 4:2:0 picture shrunk by minShrink or more are searched in
// batches: each resized in YCbCr (only their own pixels are converted to
// BGR, once shrunk), they share one canvas and one run of the network; a
// box that reaches into the gap beyond half of it, towards another cell,
// is dropped, as a box cut by the edge of a region is by its callers.
// Other parts, and the parts of other pictures, are searched one at a
// time, converted to BGR at their own size, then resized.
func (d *YuNet) DetectRegions(img image.Image, rs []image.Rectangle, side int) ([][]Box, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, ErrClosed
	}
	out := make([][]Box, len(rs))
	if side <= 0 {
		return out, nil
	}
	y, ok := isI420(img)
	if !ok {
		for i, r := range rs {
			found, err := d.regionBGR(img, r, side)
			if err != nil {
				return nil, err
			}
			out[i] = found
		}
		return out, nil
	}
	var cells []regionCell
	for i, r := range rs {
		c := evenRect(r.Intersect(y.Rect), y.Rect)
		if c.Empty() {
			continue
		}
		cell := newRegionCell(i, c, side)
		if min(c.Dx()/cell.sw, c.Dy()/cell.sh) < minShrink {
			// Converting the region at its own size costs little; the
			// search stays exactly what it was before batching.
			found, err := d.regionBGR(img, r, side)
			if err != nil {
				return nil, err
			}
			out[i] = found
			continue
		}
		cells = append(cells, cell)
	}
	// As few canvases as can hold the cells, filled evenly: an empty cell
	// costs the network as much as a full one.
	const most = regionCols * regionRows
	canvases := (len(cells) + most - 1) / most
	for k := 0; k < canvases; k++ {
		batch := cells[k*len(cells)/canvases : (k+1)*len(cells)/canvases]
		if err := d.searchCells(y, batch, side, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// regionCell is one region of a canvas.
type regionCell struct {
	i      int             // index of the region in the caller's list
	r      image.Rectangle // the region, clipped, corner even
	sw, sh int             // its size once resized
	ox, oy int             // its corner in the canvas
}

// newRegionCell sizes the region r of the caller's i-th region for side.
func newRegionCell(i int, r image.Rectangle, side int) regionCell {
	w, h := r.Dx(), r.Dy()
	s := float64(side) / float64(max(w, h))
	return regionCell{i: i, r: r,
		sw: max(1, min(side, int(math.Round(float64(w)*s)))),
		sh: max(1, min(side, int(math.Round(float64(h)*s))))}
}

// canvasLayout returns the grid (columns, rows) of a canvas of n cells
// (at most regionCols×regionRows): the fewest rows, then the fewest
// columns.
func canvasLayout(n int) (cols, rows int) {
	rows = (n + regionCols - 1) / regionCols
	return (n + rows - 1) / rows, rows
}

// searchCells runs the network once on the canvas of cells (at most
// regionCols×regionRows) and stores the boxes of each in out.
func (d *YuNet) searchCells(img *image.YCbCr, cells []regionCell, side int, out [][]Box) error {
	p := padTo32(side)
	pitch := p + RegionGap
	cols, rows := canvasLayout(len(cells))
	cw, ch := cols*pitch-RegionGap, rows*pitch-RegionGap
	buf := d.staging(cw * ch * 3 / 2)
	fill(buf[:cw*ch], 16) // black in studio range
	fill(buf[cw*ch:], 128)
	for k := range cells {
		c := &cells[k]
		c.ox, c.oy = (k%cols)*pitch, (k/cols)*pitch
		if !packI420(img, c.r, buf, cw, ch, c.ox, c.oy, c.sw, c.sh) {
			return fmt.Errorf("cv: resizing region %v failed", c.r)
		}
	}
	src, err := gocv.NewMatFromBytes(ch*3/2, cw, gocv.MatTypeCV8UC1, buf)
	if err != nil {
		return err
	}
	defer src.Close()
	in := gocv.NewMat()
	defer in.Close()
	gocv.CvtColor(src, &in, gocv.ColorYUVToBGRIYUV)
	net, err := d.netFor(image.Pt(cw, ch))
	if err != nil {
		return err
	}
	boxes, err := d.runRaw(net, in, d.rthr)
	if err != nil {
		return err
	}
	per := make([][]Box, len(cells))
	half := float64(RegionGap) / 2
	for _, b := range boxes {
		cx, cy := (b.X1+b.X2)/2, (b.Y1+b.Y2)/2
		col, row := int(math.Floor((cx+half)/float64(pitch))), int(math.Floor((cy+half)/float64(pitch)))
		k := row*cols + col
		if col < 0 || col >= cols || row < 0 || row >= rows || k >= len(cells) {
			continue
		}
		c := cells[k]
		x0, y0 := float64(c.ox)-half, float64(c.oy)-half
		x1, y1 := float64(c.ox+p)+half, float64(c.oy+p)+half
		if b.X1 < x0 || b.Y1 < y0 || b.X2 > x1 || b.Y2 > y1 {
			continue // reaches towards another cell
		}
		sx, sy := float64(c.sw)/float64(c.r.Dx()), float64(c.sh)/float64(c.r.Dy())
		b.X1, b.X2 = (b.X1-float64(c.ox))/sx+float64(c.r.Min.X), (b.X2-float64(c.ox))/sx+float64(c.r.Min.X)
		b.Y1, b.Y2 = (b.Y1-float64(c.oy))/sy+float64(c.r.Min.Y), (b.Y2-float64(c.oy))/sy+float64(c.r.Min.Y)
		per[k] = append(per[k], b)
	}
	for k, c := range cells {
		out[c.i] = NMS(per[k], d.nms)
	}
	return nil
}
