package cv

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"

	"mileo.tech/extract/internal/testmedia"
)

func newObjects(t testing.TB) *Objects {
	t.Helper()
	o, err := NewObjects(testmedia.Model(t, ModelObjects))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// R-ANON-2: the four dogs of dogs.jpg are found as dogs, nobody as a
// person, and every face YuNet finds there is taken for an animal's.
func TestObjectsDogs(t *testing.T) {
	o := newObjects(t)
	img := readImage(t, filepath.Join(testmedia.Dir(t, "images", "dlib_faces"), "dogs.jpg"))
	objs, err := o.Detect(img)
	if err != nil {
		t.Fatal(err)
	}
	var dogs []Box
	for _, ob := range objs {
		switch {
		case ob.Class == "dog" && ob.Score >= AnimalMinScore:
			dogs = append(dogs, ob.Box)
		case ob.Class == "person" && ob.Score >= PersonMinScore:
			t.Errorf("a person found in dogs.jpg: %+v", ob)
		}
	}
	if len(dogs) != 4 {
		t.Fatalf("%d dogs found, want 4: %+v", len(dogs), objs)
	}
	// One dog in each quarter of the collage.
	b := img.Bounds()
	quarters := map[image.Point]bool{}
	for _, d := range dogs {
		quarters[image.Pt(int((d.X1+d.X2)/2)*2/b.Dx(), int((d.Y1+d.Y2)/2)*2/b.Dy())] = true
	}
	if len(quarters) != 4 {
		t.Errorf("dogs not one per quarter: %+v", dogs)
	}
	faces, err := newYuNet(t, ModelYuNet, 0).Detect(img)
	if err != nil {
		t.Fatal(err)
	}
	people, animals := AnimalFaces(faces, objs)
	if len(people) != 0 || len(animals) != len(faces) {
		t.Errorf("people %+v, animals %+v", people, animals)
	}
	t.Logf("dogs.jpg: %d dogs; YuNet's %d boxes all taken for animals' faces", len(dogs), len(faces))
}

func TestObjectsPerson(t *testing.T) {
	o := newObjects(t)
	img := readImage(t, filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg"))
	objs, err := o.Detect(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 || objs[0].Class != "person" || objs[0].Score < 0.3 {
		t.Fatalf("best object %+v, want a person", objs)
	}
	faces, err := newYuNet(t, ModelYuNet, 0).Detect(img)
	if err != nil {
		t.Fatal(err)
	}
	if people, animals := AnimalFaces(faces, objs); len(animals) != 0 || len(people) != len(faces) {
		t.Errorf("people %v, animals %v", people, animals)
	}
}

func TestAnimalFaces(t *testing.T) {
	face := Box{100, 100, 140, 150, 0.9}
	dog := Object{Box{60, 60, 260, 260, 0.6}, "dog"}
	for _, tc := range []struct {
		name   string
		objs   []Object
		animal bool
	}{
		{"nothing found", nil, false},
		{"inside a dog", []Object{dog}, true},
		{"inside a dog, a person there too", []Object{dog, {Box{80, 50, 200, 400, PersonMinScore}, "person"}}, false},
		{"a weak person there too", []Object{dog, {Box{80, 50, 200, 400, PersonMinScore - 0.01}, "person"}}, true},
		{"a person elsewhere", []Object{dog, {Box{300, 50, 400, 400, 0.9}, "person"}}, true},
		{"weak dog", []Object{{Box{60, 60, 260, 260, AnimalMinScore - 0.01}, "dog"}}, false},
		{"dog holds half the face", []Object{{Box{120, 60, 260, 260, 0.9}, "dog"}}, false},
		{"not an animal", []Object{{Box{60, 60, 260, 260, 0.9}, "chair"}}, false},
		{"a cat", []Object{{Box{60, 60, 260, 260, 0.9}, "cat"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			people, animals := AnimalFaces([]Box{face}, tc.objs)
			if got := len(animals) == 1; got != tc.animal || len(people)+len(animals) != 1 {
				t.Errorf("people %v animals %v, want animal %v", people, animals, tc.animal)
			}
		})
	}
}

func TestDecodeCenters(t *testing.T) {
	g := 4
	heat := make([]float32, len(cocoClasses)*g*g)
	size := make([]float32, 4*g*g)
	// A dog at (1,2) with a weaker neighbour (not a peak), a person at
	// (3,3), a cat under the threshold.
	heat[16*g*g+2*g+1] = 0.8
	heat[16*g*g+2*g+2] = 0.5
	heat[0*g*g+3*g+3] = 0.4
	heat[15*g*g+0] = 0.05
	for k := range 4 {
		size[k*g*g+2*g+1] = float32(k + 1)
	}
	objs := decodeCenters(heat, size, g, 0.1)
	if len(objs) != 2 || objs[0].Class != "dog" || objs[1].Class != "person" {
		t.Fatalf("%+v", objs)
	}
	if want := (Box{4 - 1, 8 - 2, 4 + 3, 8 + 4, 0.800000011920929}); objs[0].Box != want {
		t.Errorf("dog box %+v, want %+v", objs[0].Box, want)
	}
}

// An altered or incomplete model is refused with ErrModel, never loaded.
func TestObjectsBadModel(t *testing.T) {
	src := testmedia.Model(t, ModelObjects)
	js, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(filepath.Dir(src), "centernet.bin"))
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(bin)
	flipped[len(flipped)/2] ^= 1
	for _, tc := range []struct {
		name      string
		json, bin []byte
	}{
		{"one bit of the weights changed", js, flipped},
		{"weights truncated", js, bin[:len(bin)-2]},
		{"no weights file", js, nil},
		{"not a model", []byte(`{"format":"layers-model"}`), bin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ModelObjects), tc.json, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.bin != nil {
				if err := os.WriteFile(filepath.Join(dir, "centernet.bin"), tc.bin, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			o, err := NewObjects(filepath.Join(dir, ModelObjects))
			if !errors.Is(err, ErrModel) {
				if o != nil {
					o.Close()
				}
				t.Fatalf("err %v, want ErrModel", err)
			}
		})
	}
}
