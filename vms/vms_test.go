package vms

import (
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

func sp(a, b int) Span {
	return Span{Start: t0.Add(time.Duration(a) * time.Second), End: t0.Add(time.Duration(b) * time.Second)}
}

func equal(a, b []Span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || !a[i].End.Equal(b[i].End) {
			return false
		}
	}
	return true
}

func TestMerge(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []Span
		tol  time.Duration
		want []Span
	}{
		{"empty", nil, 0, nil},
		{"one", []Span{sp(0, 10)}, 0, []Span{sp(0, 10)}},
		{"touching", []Span{sp(10, 20), sp(0, 10)}, 0, []Span{sp(0, 20)}},
		{"overlap", []Span{sp(0, 15), sp(10, 20)}, 0, []Span{sp(0, 20)}},
		{"contained", []Span{sp(0, 30), sp(10, 20)}, 0, []Span{sp(0, 30)}},
		{"gap under tolerance", []Span{sp(0, 10), sp(11, 20)}, 2 * time.Second, []Span{sp(0, 20)}},
		{"gap over tolerance", []Span{sp(0, 10), sp(13, 20)}, 2 * time.Second, []Span{sp(0, 10), sp(13, 20)}},
	} {
		if got := Merge(tc.in, tc.tol); !equal(got, tc.want) {
			t.Errorf("%s: Merge = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// R-EXP-3: the gaps of a range are exactly the parts no span covers.
func TestGaps(t *testing.T) {
	r := sp(0, 100)
	for _, tc := range []struct {
		name  string
		spans []Span
		want  []Range
	}{
		{"nothing recorded", nil, []Range{sp(0, 100)}},
		{"all recorded", []Span{sp(0, 100)}, nil},
		{"more than asked", []Span{sp(-10, 110)}, nil},
		{"hole in the middle", []Span{sp(0, 40), sp(70, 100)}, []Range{sp(40, 70)}},
		{"holes at both ends", []Span{sp(10, 90)}, []Range{sp(0, 10), sp(90, 100)}},
		{"outside", []Span{sp(-50, -10), sp(120, 130)}, []Range{sp(0, 100)}},
	} {
		if got := Gaps(r, tc.spans); !equal(got, tc.want) {
			t.Errorf("%s: Gaps = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClipToAndCheck(t *testing.T) {
	got := ClipTo([]Span{sp(-10, 5), sp(20, 30), sp(90, 120), sp(200, 210)}, sp(0, 100))
	if want := []Span{sp(0, 5), sp(20, 30), sp(90, 100)}; !equal(got, want) {
		t.Errorf("ClipTo = %v, want %v", got, want)
	}
	for _, r := range []Range{{}, sp(10, 10), sp(10, 5)} {
		if err := r.Check(); !errors.Is(err, ErrBadRange) {
			t.Errorf("Check(%v) = %v, want ErrBadRange", r, err)
		}
	}
	if err := sp(0, 1).Check(); err != nil {
		t.Error(err)
	}
}
