// Package canon reads canonical JSON in one pass, the way package register
// writes its entry bodies (SPEC.md §2.1): no white space, object keys
// strictly increasing in byte order, strings escaped as Go's encoding/json
// escapes them with HTML escaping off, numbers as written. A [Scanner]
// accepts exactly that form and refuses anything else, so that register's
// fast decoder (scanBody) can fall back on encoding/json, the reference,
// for whatever it refuses; register's FuzzScanBody checks that both agree.
package canon
