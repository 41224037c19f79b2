package cv

import (
	"fmt"
	"image"
	"os"

	"gocv.io/x/gocv"
)

// ReadImage decodes a picture file (JPEG, PNG, ...) the way OpenCV does,
// so detections match those of OpenCV tools.
func ReadImage(path string) (image.Image, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	m := gocv.IMRead(path, gocv.IMReadColor)
	defer m.Close()
	if m.Empty() {
		return nil, fmt.Errorf("read image %q: not a picture OpenCV can decode", path)
	}
	img, err := m.ToImage()
	if err != nil {
		return nil, fmt.Errorf("read image %q: %w", path, err)
	}
	return img, nil
}
