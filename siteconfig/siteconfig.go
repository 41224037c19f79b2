package siteconfig

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms/connect"
)

// Settings an administrator may change; each change is an entry (R-REG-1).
var settingKeys = map[string]string{
	"site.display_name": "name of the site printed on documents",
	"print.language":    "language of printed documents (fr or en)",
	"vms.address":       "address of the default video source",
	"export.folder":     "default output folder of exports",
}

// SettingKeys lists the settings and what they mean.
func SettingKeys() map[string]string {
	out := make(map[string]string, len(settingKeys))
	for k, v := range settingKeys {
		out[k] = v
	}
	return out
}

type settingData struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Old   string `json:"old,omitempty"`
}

// Service keeps the site's settings: each change is an entry signed by
// the administrator who made it (R-REG-1), and the current value of a
// setting is the last one recorded.
type Service struct {
	log *register.Store
	acc *account.Service
}

// New builds the service on the register, whose acts acc signs.
func New(log *register.Store, acc *account.Service) *Service { return &Service{log: log, acc: acc} }

func errorf(kind error, key string, kv ...any) error {
	return register.NewError(kind, key, kv...)
}

// Set changes a setting (admin only) and records the change.
func (svc *Service) Set(ctx context.Context, sess *account.Session, key, value string) error {
	if _, ok := settingKeys[key]; !ok {
		keys := make([]string, 0, len(settingKeys))
		for k := range settingKeys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return errorf(register.ErrInvalid, "err.settings.unknown_setting", "Key", key, "Keys", strings.Join(keys, ", "))
	}
	if key == "vms.address" {
		// The register is never erased: it keeps the address without the
		// credentials it may carry (user:password@, tokens).
		value = connect.Redact(value)
	}
	return svc.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := svc.acc.SignerTx(ctx, tx, sess, register.OpSettings)
		if err != nil {
			return err
		}
		cur, err := read(ctx, tx)
		if err != nil {
			return err
		}
		_, err = svc.log.AppendTx(ctx, tx, sg, register.Record{Action: "settings.change", Subject: "settings", Data: settingData{Key: key, Value: value, Old: cur[key]}})
		return err
	})
}

func read(ctx context.Context, q register.Querier) (map[string]string, error) {
	es, err := register.EntriesByAction(ctx, q, "settings.change")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range es {
		var d settingData
		if err := e.Decode(&d); err != nil {
			return nil, err
		}
		out[d.Key] = d.Value
	}
	return out, nil
}

// All returns the current settings.
func (svc *Service) All(ctx context.Context) (map[string]string, error) {
	return read(ctx, svc.log.ReadDB())
}

// PrintLanguage is the language of printed documents and of the texts the
// register stores for them ("fr" unless the admin chose "en"), read
// through q.
func PrintLanguage(ctx context.Context, q register.Querier) (string, error) {
	cur, err := read(ctx, q)
	if err != nil {
		return "", err
	}
	if cur["print.language"] == "en" {
		return "en", nil
	}
	return "fr", nil
}
