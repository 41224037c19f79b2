package folder_test

import (
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/folder"
	"mileo.tech/extract/vms/vmstest"
)

// The folder source passes the conformance suite on the demo archive,
// whose camera "caisses" has a 30 s hole.
func TestConformance(t *testing.T) {
	src, err := folder.New(demotest.Archive(t), folder.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(m, s int, frac time.Duration) time.Time {
		return demotest.Start.Add(time.Duration(m)*time.Minute + time.Duration(s)*time.Second + frac)
	}
	vmstest.Run(t, vmstest.Fixture{
		Source: src,
		Camera: "caisses",
		Want: []vms.Span{
			{Start: at(0, 0, 0), End: at(1, 15, 0)},
			{Start: at(1, 45, 66666666), End: at(3, 0, 0)},
		},
		Tolerance: 200 * time.Millisecond,
		ClipSlack: 2 * time.Second, // clips start at the keyframe before (GOP of 2 s)
	})
}
