// Package anonymizetest holds the media helpers shared by the tests of
// package anonymize and of the packages built on it (anonymize/finalcheck):
// the test clips ([Clip]), the demo's 1080p camera ([DemoClip]), a whole
// clip decoded ([DecodeAll]), and the process's peak memory for benchmarks
// ([PeakReset], [PeakMB]).
//
// It is imported by tests only. It does not import anonymize, so that the
// tests of package anonymize itself can use it (helpers that need
// anonymize, such as loading its detector, stay in each package's tests).
package anonymizetest
