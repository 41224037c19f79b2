package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/cli"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// TestSameCaseThroughCLIAndUI drives one case — request, confirmation,
// authorization, export, delivery, register sheet — through the window and
// through the command line, on two registers, and checks that the core
// recorded the same entries: the same actions, by the same people in the
// same roles, with the same facts. The rules live in the core; the front
// ends only gather input (issue 14).
//
// R-REQ-2 R-AUTH-1 R-EXP-1 R-ENC-1 R-DLV-1 R-REG-1 R-REG-3
func TestSameCaseThroughCLIAndUI(t *testing.T) {
	// Through the window.
	f := newFixture(t)
	u := f.u
	number, ds := f.deliveredThroughScreens()
	if ds.Case.State != procedure.StateDelivered {
		t.Fatalf("state %s after delivery: %s", ds.Case.State, ds.Message.Text)
	}
	test.Tap(ds.PrintSheet)
	u.Wait()
	byUI := f.caseOf(number)

	// Through the command line, with the same people and the same facts.
	data := t.TempDir()
	newPW := ""
	run := func(pw string, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		// The buffer stands for the operator's terminal (R-ENC-2).
		env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now, StdoutIsTerminal: true,
			Getenv: func(k string) string {
				switch k {
				case "MILEO_DATA":
					return data
				case "MILEO_PASSWORD":
					return pw
				case "MILEO_NEW_PASSWORD":
					return newPW
				}
				return ""
			}}
		if code := cli.Main(context.Background(), env, args); code != 0 && code != 3 { // 3: complete with gaps
			t.Fatalf("mileo-extract %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
		return out.String()
	}
	run(adminPW, "init", "--admin", "admin", "--site", "Entrepôt Sud — Créteil")
	for _, a := range []struct{ name, role string }{{"o.martin", "operator"}, {"rs.bernard", "security_manager"}, {"dpo.leroy", "dpo"}} {
		// R-KEY-1: the one-time password printed once; the person sets
		// their own at the first login.
		otp := oneTimeRE.FindStringSubmatch(run(adminPW, "user", "add", a.name, "--role", a.role, "--as", "admin"))
		if otp == nil {
			t.Fatal("user add printed no one-time password")
		}
		newPW = testPasswords[a.name]
		run(otp[1], "user", "passwd", "--as", a.name)
	}
	c := byUI
	run(opPW, "case", "new", "--as", "o.martin", "--reason", "incident", "--requester", c.Requester.Name, "--org", c.Requester.Org,
		"--contact", c.Requester.Contact, "--recipient", c.Recipient, "--from", c.Range.Start.Format(time.RFC3339),
		"--to", c.Range.End.Format(time.RFC3339), "--camera", strings.Join(c.Cameras, ","), "--justification", c.Justification,
		"--received", c.Received.Format(time.RFC3339), "--detail", c.Detail)
	cliNumber := fmt.Sprintf("EXT-%d-0001", c.Opened.In(u.loc).Year())
	run(opPW, "case", "confirm", cliNumber, "--as", "o.martin", "--how", c.Confirmation.How, "--with", c.Confirmation.With)
	run(rsPW, "case", "authorize", cliNumber, "--as", "rs.bernard", "--note", c.Authorization.Note)
	run(opPW, "case", "export", cliNumber, "--as", "o.martin", "--source", "folder:"+f.demo, "--out", filepath.Join(t.TempDir(), "out"))
	run(opPW, "media", "add", "USB-0007", "--type", "usb", "--as", "o.martin")
	d := c.Deliveries[0]
	run(opPW, "case", "deliver", cliNumber, "--as", "o.martin", "--support", d.Support, "--media", d.MediaID, "--mode", d.Mode,
		"--recipient-name", d.RecipientName, "--recipient-org", d.RecipientOrg, "--recipient-id", d.RecipientID, "--seal", d.Seal, "--password-channel", d.PasswordChannel)
	run(opPW, "register", "sheet", cliNumber, "--as", "o.martin", "--out", filepath.Join(t.TempDir(), "fiche.pdf"))

	st, err := procedure.Open(context.Background(), data, register.Options{Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sess, err := st.Login(context.Background(), "dpo.leroy", dpoPW)
	if err != nil {
		t.Fatal(err)
	}
	byCLI, err := st.Cases.Get(context.Background(), sess, cliNumber)
	if err != nil {
		t.Fatal(err)
	}

	ui, cl := entryShapes(t, byUI), entryShapes(t, byCLI)
	if !slices.Equal(ui, cl) {
		t.Fatalf("the two front ends recorded different entries:\nwindow:\n  %s\ncommand line:\n  %s",
			strings.Join(ui, "\n  "), strings.Join(cl, "\n  "))
	}
	t.Logf("same %d entries through both front ends", len(ui))
	for _, x := range [][2]any{
		{byUI.Reason, byCLI.Reason}, {byUI.State, byCLI.State}, {byUI.Range, byCLI.Range},
		{strings.Join(byUI.Cameras, ","), strings.Join(byCLI.Cameras, ",")},
		{byUI.Deliveries[0].Support, byCLI.Deliveries[0].Support}, {byUI.Deliveries[0].Mode, byCLI.Deliveries[0].Mode},
		{byUI.Deliveries[0].PasswordChannel, byCLI.Deliveries[0].PasswordChannel},
	} {
		if fmt.Sprint(x[0]) != fmt.Sprint(x[1]) {
			t.Errorf("window %v, command line %v", x[0], x[1])
		}
	}
}

// entryShapes describes each entry of a case by what must not depend on
// the front end: action, actor, role, and the names of its data fields with
// the values that are facts of the case (not times, hashes, paths).
func entryShapes(t *testing.T, c *procedure.Case) []string {
	t.Helper()
	facts := map[string]bool{"reason": true, "cameras": true, "encrypt": true, "anonymize": true, "support": true,
		"mode": true, "password_channel": true, "media_id": true, "document": true, "format": true, "kind": true, "internal": true,
		"basis": true, "complete": true, "how": true}
	var out []string
	for _, e := range c.Entries {
		var data map[string]any
		if len(e.Data) > 0 {
			if err := json.Unmarshal(e.Data, &data); err != nil {
				t.Fatal(err)
			}
		}
		var keys []string
		for k, v := range data {
			if facts[k] {
				keys = append(keys, fmt.Sprintf("%s=%v", k, v))
			} else {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		out = append(out, fmt.Sprintf("%s by %s (%s) {%s} personal=%v", e.Action, e.Actor, e.Role, strings.Join(keys, " "), e.Personal != nil))
	}
	return out
}

// oneTimeRE finds the one-time password that user add prints.
var oneTimeRE = regexp.MustCompile(`(?m): (\S{16})$`)
