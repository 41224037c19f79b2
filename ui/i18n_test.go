package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// Every text id the window asks for exists in French and English: the
// literal ids of the source, and the ids built from register values.
func TestTextsExist(t *testing.T) {
	ids := map[string]bool{}
	// The window's packages ask for texts with t("id") (package ui) or
	// T("id") (its sub-packages, through their Window).
	re := regexp.MustCompile(`\b[tT]\("([a-z0-9_.]+)"`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") {
				ids[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range register.Roles {
		ids["role."+string(r)] = true
	}
	for _, r := range procedure.Reasons {
		ids["reason."+string(r)] = true
	}
	for _, s := range []procedure.State{procedure.StateRequested, procedure.StateConfirmed, procedure.StateAuthorized, procedure.StateRefused,
		procedure.StateExported, procedure.StateDelivered, procedure.StateClosed} {
		ids["state."+string(s)] = true
	}
	for _, c := range procedure.Channels {
		ids["channel."+c] = true
	}
	for _, s := range []string{procedure.SupportUSB, procedure.SupportDVD, procedure.SupportPlatform, procedure.SupportOnSite} {
		ids["support."+s] = true
	}
	for _, m := range []string{procedure.ModeHand, procedure.ModeRegisteredMail, procedure.ModePlatform, procedure.ModeOnSite} {
		ids["mode."+m] = true
	}
	for _, k := range []string{incident.ExportWithoutAuthorization, incident.PurgeOverdue, incident.SameChannel,
		incident.ForbiddenDelivery, incident.WorkdirLeftover, incident.ExportInterrupted, incident.Other} {
		ids["incident."+k] = true
	}
	for _, k := range []retention.CopyKind{retention.CopyExport, retention.CopyMedia, retention.CopyWorkdir} {
		ids["copy."+string(k)] = true
	}
	for _, s := range []string{retention.MediaAvailable, retention.MediaInUse, retention.MediaDelivered, retention.MediaDestroyed} {
		ids["media.status."+s] = true
	}
	for _, s := range []string{"remux", "encode", "anonymize", "verify", "hash", "encrypt"} {
		ids["export.stage."+s] = true
	}
	for _, a := range []string{actConfirm, actAuthorize, actAck, actPreview, actReview, actExport, actEmergency, actDeliver, actAttach, actSheet, actClose} {
		ids["action."+a] = true
	}
	for _, s := range []string{secConfirm, secAuthorize, secWaiting, secExport, secDeliver, secAccess, secPurges, secIncidents} {
		ids["dash."+s] = true
		ids["dash."+s+".help"] = true
	}
	for _, k := range []string{"judicial_notification", "authorize_after_emergency"} {
		ids["task."+k] = true
	}
	for _, l := range i18n.Languages {
		c := i18n.New(l)
		for id := range ids {
			if !c.Has(id) {
				t.Errorf("%s: no text %q", l, id)
			}
		}
	}
}
