package lint

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleClaimPolicyTemplate = &Rule{
	Code: "PT330", Name: "claim-policy-template", Severity: template.Warning,
	Title: "Claim policy scoped to another provisioning template than the file's",
	Doc: `A fleet provisioning claim certificate's policy lets the device publish and
subscribe on $aws/provisioning-templates/<templateName>/provision/*, for one
template by name. A policy in the file that names a template the file does
not define (door-fleet-v1 where the template is door-fleet, often after a
rename) lets the device call RegisterThing for that other template only:
its requests for this one are refused, and it never provisions. Only the
policies defined beside the template are checked (the body's are device
policies, which may rightly name another template, for certificate
rotation), and a name that appears elsewhere in the file (another template
of it) is left alone.`,
	Bad:  `"Resource": "arn:aws:iot:us-east-1:123456789012:topic/$aws/provisioning-templates/door-fleet-v1/provision/*"   (template "door-fleet")`,
	Good: `"Resource": "arn:aws:iot:us-east-1:123456789012:topic/$aws/provisioning-templates/door-fleet/provision/*"`,
	Run: func(p *Pass) {
		name := fileTemplateName(p.File)
		if name == "" {
			return
		}
		text := p.File.Source.Text()
		for _, d := range p.policyDocs() {
			if !d.beside {
				continue // a device policy may rightly name another template (certificate rotation)
			}
			if grantsTemplate(d, name) {
				continue // it grants this file's template too (as during a rename)
			}
			for _, st := range d.statements {
				if st.effect != "Allow" {
					continue
				}
				for _, r := range st.resources {
					const marker = "$aws/provisioning-templates/"
					i := strings.Index(r.Value, marker)
					if i < 0 {
						continue
					}
					other, _, _ := strings.Cut(r.Value[i+len(marker):], "/")
					if other == "" || other == name || strings.ContainsAny(other, "*?$<>{}"+template.CFNVarStart) ||
						namedElsewhere(text, other) {
						continue
					}
					at := i + len(marker)
					p.ReportAt(charRange(r, at, at+len(other)), r.Pointer(),
						"the policy allows the provisioning topics of template "+quote(other)+", but the template here is "+quote(name)+": a device with this policy cannot call RegisterThing for it")
				}
			}
		}
	},
}

// fileTemplateName is the provisioning template's name as the file gives
// it (templateName, the Terraform name, CloudFormation's TemplateName), or
// "" when it does not, or knows it only at deployment.
func fileTemplateName(f *template.File) string {
	n := f.WrapperField("templateName")
	if f.CFNResource != nil {
		if props, ok := f.CFNResource.Get("Properties").(*template.Object); ok {
			n = props.Get("TemplateName")
		}
	}
	if s, ok := n.(*template.String); ok && !strings.Contains(s.Value, template.CFNVarStart) {
		return s.Value
	}
	return ""
}

// grantsTemplate reports whether a policy allows the provisioning topics
// of the template name.
func grantsTemplate(d policyDoc, name string) bool {
	for _, st := range d.statements {
		for _, r := range st.resources {
			if st.effect == "Allow" && strings.Contains(r.Value, "$aws/provisioning-templates/"+name+"/") {
				return true
			}
		}
	}
	return false
}

// namedElsewhere reports whether the file's text names a template other
// than in a provisioning topic: as a value of its own (name = "x", a YAML
// TemplateName: x), which may be another template of the file.
func namedElsewhere(text []byte, name string) bool {
	for _, form := range []string{strconv.Quote(name), ": " + name + "\n", "= " + name + "\n"} {
		if bytes.Contains(text, []byte(form)) {
			return true
		}
	}
	return false
}
