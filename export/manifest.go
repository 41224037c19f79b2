package export

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mileo.tech/extract/internal/version"
	"mileo.tech/extract/vms"
)

// Manifest is the metadata file that goes with every export (R-EXP-4).
type Manifest struct {
	Format     string     `json:"format"` // "mileo-extract-manifest/1"
	Software   string     `json:"software"`
	Created    time.Time  `json:"created"`
	CaseNumber string     `json:"case_number,omitempty"`
	Origin     vms.Info   `json:"origin"`
	Requested  TimeRange  `json:"requested"`
	Cameras    []Camera   `json:"cameras"`
	Files      []File     `json:"files"`
	Gaps       []GapTimes `json:"gaps"`
	Errors     []string   `json:"errors,omitempty"`
	Complete   bool       `json:"complete"`
	Status     string     `json:"status,omitempty"` // StatusComplete or StatusWithGaps
	Encrypted  bool       `json:"encrypted"`
}

// Camera names a camera of the export.
type Camera struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// TimeRange is a range written in UTC and in local time.
type TimeRange struct {
	StartUTC   string `json:"start_utc"`
	EndUTC     string `json:"end_utc"`
	StartLocal string `json:"start_local"`
	EndLocal   string `json:"end_local"`
	TimeZone   string `json:"time_zone"`
}

// GapTimes is a gap with its times written out.
type GapTimes struct {
	Camera  string    `json:"camera"`
	Range   TimeRange `json:"range"`
	Cause   string    `json:"cause,omitempty"`
	Segment string    `json:"segment,omitempty"`
	Frames  int64     `json:"frames_lost,omitempty"`
}

func timeRange(r vms.Range, loc *time.Location) TimeRange {
	return TimeRange{
		StartUTC: r.Start.UTC().Format(time.RFC3339Nano), EndUTC: r.End.UTC().Format(time.RFC3339Nano),
		StartLocal: r.Start.In(loc).Format(time.RFC3339Nano), EndLocal: r.End.In(loc).Format(time.RFC3339Nano),
		TimeZone: loc.String(),
	}
}

func newManifest(job Job, res *Result) *Manifest {
	sortGaps(res.Gaps)
	m := &Manifest{
		Format: "mileo-extract-manifest/1", Software: version.String(), Created: time.Now().UTC().Truncate(time.Second),
		CaseNumber: job.CaseNumber, Origin: job.Source.Info(), Requested: timeRange(job.Range, job.Location),
		Files: res.Files, Gaps: []GapTimes{}, Errors: res.Errors, Complete: res.Complete, Status: res.Status, Encrypted: job.Encrypt,
	}
	for _, f := range res.Files {
		m.Cameras = append(m.Cameras, Camera{ID: f.Camera, Name: f.CameraName})
	}
	for _, g := range res.Gaps {
		m.Gaps = append(m.Gaps, GapTimes{Camera: g.Camera, Range: timeRange(g.Range, job.Location), Cause: g.Cause, Segment: g.Segment, Frames: g.Frames})
	}
	return m
}

// JSON returns the manifest as indented JSON without local paths.
func (m *Manifest) JSON() []byte {
	c := *m
	c.Files = append([]File(nil), m.Files...)
	for i := range c.Files {
		c.Files[i].Path = ""
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	return append(b, '\n')
}

// Text returns the human-readable manifest, in French.
func (m *Manifest) Text() []byte {
	var b strings.Builder
	loc, err := time.LoadLocation(m.Requested.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	lt := func(t time.Time) string {
		return t.In(loc).Format("02/01/2006 15:04:05") + " (" + t.UTC().Format("15:04:05") + " UTC)"
	}
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("MANIFESTE D'EXTRACTION VIDÉO — %s", m.Software)
	p("==============================================")
	if m.CaseNumber != "" {
		p("Dossier            : %s", m.CaseNumber)
	}
	p("Créé le            : %s", lt(m.Created))
	p("Origine            : %s (%s) %s", m.Origin.Name, m.Origin.Kind, m.Origin.Address)
	p("Période demandée   : du %s au %s", m.Requested.StartLocal, m.Requested.EndLocal)
	p("                     (UTC %s → %s)", m.Requested.StartUTC, m.Requested.EndUTC)
	p("Fuseau horaire     : %s", m.Requested.TimeZone)
	if m.Encrypted {
		p("Chiffrement        : archive ZIP AES-256 ; mot de passe transmis par un canal distinct")
	}
	p("")
	for _, f := range m.Files {
		p("Fichier %s", f.Name)
		p("  Caméra           : %s (%s)", f.CameraName, f.Camera)
		p("  Période réelle   : %s → %s", lt(f.Actual.Start), lt(f.Actual.End))
		p("  Durée            : %s, %d images, %dx%d", f.Duration.Round(time.Millisecond), f.Frames, f.Width, f.Height)
		p("  Codec            : %s", f.Codec)
		reenc := "non (flux d'origine copié à l'identique)"
		if f.Reencoded {
			reenc = "oui"
		}
		if f.Native {
			reenc = "non (fichier natif du VMS, tel qu'enregistré)"
		}
		p("  Réencodé         : %s", reenc)
		if f.Anonymized && f.Anon != nil {
			p("  Anonymisé        : oui (%s, seuil %.2f, %d pistes, %d conservées, %d zones manuelles%s)", f.Anon.Detector, f.Anon.Threshold, f.Anon.Tracks, len(f.Anon.Kept), f.Anon.ManualRegion, map[bool]string{true: ", REPLI HAAR", false: ""}[f.Anon.Fallback])
		} else {
			p("  Anonymisé        : non")
		}
		p("  Taille           : %d octets", f.Size)
		p("  SHA-256          : %s", f.SHA256)
		p("")
	}
	switch {
	case len(m.Gaps) == 0 && len(m.Errors) == 0:
		p("Lacunes            : aucune — la période demandée est entièrement couverte")
	case len(m.Gaps) == 0:
		p("Lacunes            : aucune listée, mais des erreurs de lecture (voir ci-dessous)")
	default:
		p("Lacunes (périodes sans enregistrement) :")
		for _, g := range m.Gaps {
			p("  %s : %s → %s%s", g.Camera, g.Range.StartLocal, g.Range.EndLocal, gapCause(g))
		}
	}
	for _, e := range m.Errors {
		p("Erreur de lecture  : %s", e)
	}
	p("")
	switch {
	case m.Complete:
		p("État               : complet — chaque fichier a été décodé de la première à la dernière image")
	default:
		p("État               : complet avec lacunes — les fichiers livrés ont été décodés de la première à la dernière image ; les lacunes et erreurs ci-dessus n'y figurent pas")
	}
	return []byte(b.String())
}

// gapCause says in French why a gap has no footage.
func gapCause(g GapTimes) string {
	switch g.Cause {
	case CauseFramesLost:
		return fmt.Sprintf(" — images perdues (%d) dans le segment endommagé %s", g.Frames, g.Segment)
	case CauseDamaged:
		return " — segment endommagé " + g.Segment
	case CauseCameraFailed:
		if g.Segment != "" {
			return " — caméra non exportée (segment endommagé " + g.Segment + ")"
		}
		return " — caméra non exportée (voir les erreurs)"
	}
	return " — pas d'enregistrement"
}

// writeFiles writes manifest.json and manifest.txt, each under a temporary
// name first, synced, then renamed: a manifest is whole or absent.
func (m *Manifest) writeFiles(dir string) error {
	for _, f := range []struct {
		name string
		data []byte
	}{{"manifest.txt", m.Text()}, {"manifest.json", m.JSON()}} {
		p := filepath.Join(dir, f.name)
		if err := writeSynced(p+partSuffix, f.data); err != nil {
			os.Remove(p + partSuffix)
			return fmt.Errorf("write manifest: %w", err)
		}
		if err := os.Rename(p+partSuffix, p); err != nil {
			os.Remove(p + partSuffix)
			return fmt.Errorf("write manifest: %w", err)
		}
	}
	return nil
}

func writeSynced(p string, b []byte) error {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
