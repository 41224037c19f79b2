// Package incidents is the window's compliance register (R-INC-1,
// R-REG-6): every incident with its owner, its status and, for a
// personal-data breach, the 72-hour clock of the DPO's decision on
// notifying the CNIL; the owner assesses and closes them, anyone reports
// a breach. The rules are package incident's; this screen shows them.
package incidents
