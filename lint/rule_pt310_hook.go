package lint

import (
	"regexp"

	"github.com/iotpt/iotpt/template"
)

var reLambdaARN = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)

var ruleHook = &Rule{
	Code: "PT310", Name: "pre-provisioning-hook", Severity: template.Error,
	Title: "Pre-provisioning hook with a bad target or payload version",
	Doc: `A pre-provisioning hook is {"targetArn": <Lambda function ARN>,
"payloadVersion": "2020-04-01"}. Only Lambda targets are supported, and
2020-04-01 is the only payload version there is. The function must exist
before the template, and AWS IoT must be allowed to invoke it.`,
	Bad:  `"preProvisioningHook": {"targetArn": "my-hook", "payloadVersion": "2020-04"}`,
	Good: `"preProvisioningHook": {"targetArn": "arn:aws:lambda:us-east-1:123456789012:function:my-hook", "payloadVersion": "2020-04-01"}`,
	Run: func(p *Pass) {
		n := p.File.Wrapper.Get("preProvisioningHook")
		if n == nil {
			return
		}
		hook, ok := n.(*template.Object)
		if !ok {
			p.Report(n, `preProvisioningHook must be an object: {"targetArn": "...", "payloadVersion": "2020-04-01"}`)
			return
		}
		switch t := hook.Get("targetArn").(type) {
		case nil:
			p.Report(hook, "preProvisioningHook needs a targetArn: the ARN of a Lambda function")
		case *template.String:
			if !reLambdaARN.MatchString(t.Value) {
				p.Report(t, "targetArn "+quote(t.Value)+" is not a Lambda function ARN; only Lambda hooks are supported")
			}
		default:
			p.Report(t, "targetArn must be a string")
		}
		if v := hook.Get("payloadVersion"); v != nil {
			if s, ok := literal(v); !ok || s.Value != "2020-04-01" {
				p.Report(v, `payloadVersion must be "2020-04-01"`)
			}
		}
	},
}
