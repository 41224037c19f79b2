// Package siteconfig keeps the settings of the site an administrator may
// change (the site's name printed on documents, the language of printed
// documents, the default video source and export folder). Each change is an
// entry of the register, signed by the administrator, with the old value
// (R-REG-1); the current value of a setting is the last one recorded. A
// video source's address is recorded without the credentials it may carry.
package siteconfig
