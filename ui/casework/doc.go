// Package casework is the window's screens of one extraction case, in the
// order of the procedure (PROC-RGPD-001): the written request
// ([ShowWizard], R-REQ-1..4), the case with its register entries, its
// attachments and the acts the procedure offers ([ShowCase]), the
// authorization or refusal ([ShowAuthorize], R-AUTH-1..4), the export with
// its progress per camera and its password shown once ([ShowExport],
// R-EXP-1..5, R-ENC-2), and the delivery with its printed documents
// ([ShowDelivery], R-DLV-1..3).
//
// The case and the export say what the final check of an anonymized
// export leaves to examine and open the review on it (R-ANON-2 rev.);
// the delegate states why the security manager is unavailable before
// deciding (R-AUTH-1); a handover names the recipient's organisation when
// the person is not the recipient named in the request, and the seal or
// registered mail number; it is dated when recorded.
//
// # Rules
//
// The screens decide nothing: package procedure says which acts a case
// offers this user and why the others are not (shown as disabled buttons
// with the reason in a tooltip), and every step is a call of its services.
//
// # Window
//
// What the screens need of the window (the procedure and the session,
// jobs, texts and times, printing, the browser and the review, what was
// decided during the session) is their [Window]; package ui implements it.
//
// # Tests
//
// The exported fields of the screens are their widgets and what they hold
// (the case, the export's result), for the tests of package ui that drive
// the whole window.
package casework
