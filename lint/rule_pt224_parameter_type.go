package lint

import "github.com/iotpt/iotpt/template"

var ruleParameterType = &Rule{
	Code: "PT224", Name: "parameter-type", Severity: template.Error,
	Title: "Parameter Type missing or other than String",
	Doc: `Parameter values reach provisioning as strings (RegisterThing and the MQTT
API take a map of strings), and String is the only Type AWS documents. Types
borrowed from CloudFormation (Number, List<...>, CommaDelimitedList) and
constraints such as AllowedValues are not documented for provisioning
templates.`,
	Bad:  `"Count": {"Type": "Number"}`,
	Good: `"Count": {"Type": "String"}`,
	Run: func(p *Pass) {
		for _, d := range p.Template.Parameters {
			switch t := d.Type.(type) {
			case nil:
				p.Report(d.Key, "parameter "+quote(d.Name)+` has no Type; add "Type": "String"`)
			case *template.String:
				if t.Value != "String" {
					p.Report(t, "parameter "+quote(d.Name)+" has Type "+quote(t.Value)+"; String is the only type provisioning templates document", replaceString(t, "use String", "String")...)
				}
			default:
				p.Report(t, "the Type of parameter "+quote(d.Name)+" must be the string \"String\"")
			}
			for _, m := range d.Node.Members {
				if m.Key.Value != "Type" && m.Key.Value != "Default" && m.Key.Value != "Description" {
					p.Report(m.Key, "parameter attribute "+quote(m.Key.Value)+" is not documented for provisioning templates (only Type and Default are)")
				}
			}
		}
	},
}
