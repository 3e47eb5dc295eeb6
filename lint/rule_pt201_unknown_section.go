package lint

import (
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

var sections = model.Sections

var ruleUnknownSection = &Rule{
	Code: "PT201", Name: "unknown-section", Severity: template.Warning,
	Title: "Top-level section that provisioning templates do not have",
	Doc: `A provisioning template has the sections Parameters, Resources and, for
fleet provisioning, Mappings and DeviceConfiguration. Other keys
(AWSTemplateFormatVersion, Outputs, Conditions, a misspelt section) are not
documented; whether AWS ignores or rejects them is not known. Tools such as
the AWS Connected Device Framework add their own section (CDF) and strip it
before provisioning: suppress this rule for those files.`,
	Bad:  `{"Parameter": {...}, "Resources": {...}}`,
	Good: `{"Parameters": {...}, "Resources": {...}}`,
	Run: func(p *Pass) {
		for _, m := range p.Template.Root.Members {
			if !contains(sections, m.Key.Value) {
				p.Report(m.Key, "unknown top-level section "+quote(m.Key.Value)+didYouMean(m.Key.Value, sections))
			}
		}
	},
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
