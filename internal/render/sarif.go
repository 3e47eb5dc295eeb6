package render

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"

	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/template"
)

// RuleInfo describes a diagnostic code for SARIF's rule table.
type RuleInfo struct {
	Code, Name, Title, Help string
	Severity                template.Severity
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name,omitempty"`
	ShortDescription     sarifText   `json:"shortDescription"`
	FullDescription      *sarifText  `json:"fullDescription,omitempty"`
	DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

func sarifLevel(s template.Severity) string {
	switch s {
	case template.Error:
		return "error"
	case template.Warning:
		return "warning"
	}
	return "note"
}

// SARIF writes diagnostics as a SARIF 2.1.0 log for GitHub code scanning
// and other tools. Columns are counted in Unicode code points, as iotpt
// counts them; rules lists every code that appears; each result carries a
// fingerprint built from its code, file and JSON pointer, so alerts survive
// edits that move lines.
func SARIF(w io.Writer, version string, diags template.Diagnostics, info func(code string) RuleInfo) error {
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "iotpt", InformationURI: "https://github.com/iotpt/iotpt", Version: version, Rules: []sarifRule{}}},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	index := map[string]int{}
	for _, d := range diags {
		i, ok := index[d.Code]
		if !ok {
			ri := info(d.Code)
			r := sarifRule{ID: d.Code, Name: ri.Name, ShortDescription: sarifText{ri.Title}, DefaultConfiguration: sarifConfig{sarifLevel(ri.Severity)}}
			if ri.Title == "" {
				r.ShortDescription.Text = d.Code
			}
			if ri.Help != "" {
				r.FullDescription = &sarifText{ri.Help}
			}
			i = len(run.Tool.Driver.Rules)
			index[d.Code] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		}
		var locs []sarifLocation
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(d.Range.Filename)}}}
		if d.Range.Start.IsValid() {
			loc.PhysicalLocation.Region = &sarifRegion{d.Range.Start.Line, d.Range.Start.Column, max(d.Range.End.Line, d.Range.Start.Line), max(d.Range.End.Column, d.Range.Start.Column+1)}
			if d.Range.End.Line > d.Range.Start.Line {
				loc.PhysicalLocation.Region.EndColumn = max(d.Range.End.Column, 1)
			}
		}
		if d.Range.Filename != template.CommandLine { // a value given on the command line is in no file
			locs = []sarifLocation{loc}
		}
		sum := sha256.Sum256([]byte(d.Code + "\x00" + filepath.ToSlash(d.Range.Filename) + "\x00" + d.Path + "\x00" + d.Message))
		run.Results = append(run.Results, sarifResult{
			RuleID: d.Code, RuleIndex: i, Level: sarifLevel(d.Severity), Message: sarifText{secret.Redact(d.Message)},
			Locations:           locs,
			PartialFingerprints: map[string]string{"iotpt/v1": hex.EncodeToString(sum[:16])},
		})
	}
	return WriteJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}
