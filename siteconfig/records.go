package siteconfig

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"unicode/utf8"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// The record of processing activities (GDPR art. 30, PROC-VMS-006 §05):
// what the DPO states once for the site, copied into every export's entry
// so that each extraction carries its own art. 30 record (R-REG-5 rev.).
// Each statement the DPO changes is a records.change entry signed by the
// DPO; until the DPO sets one, the catalogue's default text is used.

// RecordKeys are the statements of the site's record, in the order
// documents print them.
var RecordKeys = []string{
	"art30.controller", // the controller: organisation and address
	"art30.dpo",        // how to reach the DPO
	"art30.purpose",    // the purpose of the video protection
	"art30.persons",    // categories of persons filmed
	"art30.data",       // categories of data
	"art30.retention",  // retention of recordings and extractions
	"art30.security",   // security measures
}

// MaxRecordText is the longest statement, in characters.
const MaxRecordText = 1000

// Record is the site's record of processing: each statement as the DPO
// set it, or the default text of the catalogue (Default[key] true).
type Record struct {
	Text    map[string]string
	Default map[string]bool
}

// Get is the statement of key.
func (r Record) Get(key string) string { return r.Text[key] }

type recordData struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Old   string `json:"old,omitempty"`
}

func validRecordKey(key string) bool {
	for _, k := range RecordKeys {
		if k == key {
			return true
		}
	}
	return false
}

// SetRecord changes one statement of the site's record (DPO only) and
// records the change; an empty value returns the statement to its default.
func (svc *Service) SetRecord(ctx context.Context, sess *account.Session, key, value string) error {
	if !validRecordKey(key) {
		keys := append([]string(nil), RecordKeys...)
		sort.Strings(keys)
		return errorf(register.ErrInvalid, "err.settings.unknown_record", "Key", key, "Keys", strings.Join(keys, ", "))
	}
	value = strings.TrimSpace(value)
	if !utf8.ValidString(value) || utf8.RuneCountInString(value) > MaxRecordText {
		return errorf(register.ErrInvalid, "err.settings.record_too_long", "Max", MaxRecordText)
	}
	return svc.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := svc.acc.SignerTx(ctx, tx, sess, register.OpRecords)
		if err != nil {
			return err
		}
		cur, err := readRecord(ctx, tx)
		if err != nil {
			return err
		}
		_, err = svc.log.AppendTx(ctx, tx, sg, register.Record{Action: "records.change", Subject: "records",
			Data: recordData{Key: key, Value: value, Old: cur[key]}})
		return err
	})
}

func readRecord(ctx context.Context, q register.Querier) (map[string]string, error) {
	es, err := register.EntriesByAction(ctx, q, "records.change")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range es {
		var d recordData
		if err := e.Decode(&d); err != nil {
			return nil, err
		}
		out[d.Key] = d.Value
	}
	return out, nil
}

// RecordIn is the site's record with the default texts in lang ("fr" or
// "en"), read through q (a transaction of the caller or the read pool).
func RecordIn(ctx context.Context, q register.Querier, lang string) (Record, error) {
	set, err := readRecord(ctx, q)
	if err != nil {
		return Record{}, err
	}
	cat := i18n.New(lang)
	r := Record{Text: map[string]string{}, Default: map[string]bool{}}
	for _, k := range RecordKeys {
		if v := set[k]; v != "" {
			r.Text[k] = v
			continue
		}
		r.Text[k], r.Default[k] = cat.T(k+".default"), true
	}
	return r, nil
}

// Record is the site's record of processing, defaults in lang.
func (svc *Service) Record(ctx context.Context, lang string) (Record, error) {
	return RecordIn(ctx, svc.log.ReadDB(), lang)
}
