// Package names compares the names of people and organisations as people
// write them: case, accents and punctuation aside, articles and
// civilities ignored. The procedure uses it to check that a handover goes
// to the recipient named in the request, or to a person of that
// organisation (R-DLV-3).
package names
