package model

import (
	"fmt"
	"testing"
	"time"
)

// The footage of a camera is its range without its gaps (R-DLV-1 rev.).
func TestActual(t *testing.T) {
	h := func(hh, mm int) time.Time { return time.Date(2026, 3, 1, hh, mm, 0, 0, time.UTC) }
	r := Range{h(10, 0), h(11, 0)}
	for _, tc := range []struct {
		name string
		gaps []Gap
		want []Range
	}{
		{"none", nil, []Range{r}},
		{"middle", []Gap{{Range: Range{h(10, 10), h(10, 20)}}}, []Range{{h(10, 0), h(10, 10)}, {h(10, 20), h(11, 0)}}},
		{"start", []Gap{{Range: Range{h(9, 0), h(10, 5)}}}, []Range{{h(10, 5), h(11, 0)}}},
		{"end", []Gap{{Range: Range{h(10, 50), h(11, 0)}}}, []Range{{h(10, 0), h(10, 50)}}},
		{"all", []Gap{{Range: r}}, nil},
		{"outside", []Gap{{Range: Range{h(11, 0), h(12, 0)}}}, []Range{r}},
		{"two", []Gap{{Range: Range{h(10, 10), h(10, 20)}}, {Range: Range{h(10, 30), h(10, 40)}}},
			[]Range{{h(10, 0), h(10, 10)}, {h(10, 20), h(10, 30)}, {h(10, 40), h(11, 0)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CameraExport{Range: r, Gaps: tc.gaps}.Actual()
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// The sheet's creation date is the case's last event, so the same case
// prints the same bytes (reproducible output of package sheet).
func TestLastEvent(t *testing.T) {
	rec := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    time.Time
	}{
		{"no entry", nil, rec},
		{"later entries", []Entry{{Time: rec.Add(2 * time.Hour)}, {Time: rec.Add(time.Hour)}}, rec.Add(2 * time.Hour)},
		{"earlier entry", []Entry{{Time: rec.Add(-time.Hour)}}, rec},
	} {
		c := Case{Received: rec, Entries: tc.entries}
		if got := c.LastEvent(); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// R-KEY-1: the appendix lists each person who signed a step with their
// key once, in the order of the procedure; a person without a key is left
// out.
func TestSigningKeys(t *testing.T) {
	op := Person{Name: "Karim Benali", Login: "k.benali", Role: "Opérateur", KeyFingerprint: "SHA256:op"}
	rs := Person{Name: "s.roux", Login: "s.roux", Role: "Responsable sécurité", KeyFingerprint: "SHA256:rs"}
	noKey := Person{Name: "x", Role: "Opérateur"}
	c := Case{
		Filed:      &Act{By: op},
		Decision:   &Decision{Act: Act{By: rs}},
		Exports:    []Export{{Act: Act{By: op}}},
		Deliveries: []Delivery{{Act: Act{By: noKey}}},
		Purges:     []Purge{{Done: &Act{By: op}}, {}},
		Operator:   op,
		Authorizer: rs,
	}
	got := c.SigningKeys()
	if want := []Person{op, rs}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
