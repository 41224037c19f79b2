// Package incident keeps the compliance register (R-REG-6, R-INC-1): the
// incidents the procedure's steps raise (an export before authorization, a
// forbidden delivery, the same channel for file and password, an overdue
// purge, a late access answer, a locked account, a footage handed over in
// an emergency then refused), those people report, and personal-data
// breaches, each with its owner (the DPO for a breach, the security
// manager otherwise), its status (open → assessed → closed) and, for a
// breach, the 72-hour clock of the DPO's decision on notifying the CNIL
// (GDPR art. 33).
//
// A step raises an incident by appending [Record] in its own transaction,
// so that the refusal and its incident are recorded together; [Service]
// lists them and records their assessment and closing. The state of an
// incident is never stored: it is folded from its entries.
package incident
