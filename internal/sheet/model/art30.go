package model

import "time"

// Art30 is the record of processing an export carries (GDPR art. 30,
// PROC-VMS-006 §05, R-REG-5 rev.): the site's statements as the DPO set
// them on the day of the export, and this extraction's purpose,
// recipients and purge deadline.
type Art30 struct {
	Controller, DPO string
	Purpose         string // the purpose of the video protection
	Extract         string // the purpose of this extraction
	Persons, Data   string // categories of persons and of data
	Recipients      string // categories of recipients
	Retention       string
	Security        string
	CopyDeadline    time.Time // when the export's copy is due for purge
	Defaults        int       // how many statements were still the catalogue's default
	DefaultDPO      bool      // the DPO's contact is still the default text
}

// Statement is one heading of the site's record of processing, as the
// CNIL export prints it.
type Statement struct {
	Heading, Text string
	Default       bool // the catalogue's default text: the DPO has not set it
}
