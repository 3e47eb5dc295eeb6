package lint

import "github.com/iotpt/iotpt/template"

var rulePolicyShape = &Rule{
	Code: "PT329", Name: "policy-shape", Severity: template.Error,
	Title: "Policy document without the statements AWS IoT requires",
	Doc: `A policy document is {"Version": "2012-10-17", "Statement": [...]} and every
statement has an Effect (Allow or Deny), an Action and a Resource. A
document without them is rejected as "Policy document is Malformed".

It checks the policies of the template's body, as the plan does, since its
error says AWS refuses the template; a policy defined beside the template in
a CloudFormation or Terraform file is not checked for its shape.`,
	Bad:  `{"Version": "2012-10-17", "Statement": [{"Action": "iot:Connect", "Resource": "*"}]}`,
	Good: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypePolicy) {
			if r.PolicyDocument == nil {
				continue
			}
			root, ok := r.PolicyDocument.(*template.Object)
			if !ok {
				if _, twice := r.PolicyDocument.(*template.String); !twice { // PT281 covers that case
					p.Report(r.PolicyDocument, "a policy document must be a JSON object, not "+template.Describe(r.PolicyDocument))
				}
				continue
			}
			if root.Get("Statement") == nil {
				p.Report(root, "the policy document has no Statement")
			}
		}
		for _, d := range p.policyDocs() {
			if d.beside {
				// A policy beside the template is not part of what the
				// plan checks: this error says AWS refuses the template.
				continue
			}
			for _, st := range d.statements {
				for _, key := range []string{"Effect", "Action", "Resource"} {
					if st.node.Get(key) == nil {
						p.Report(st.node, "the statement has no "+key)
					}
				}
				if e, ok := st.node.Get("Effect").(*template.String); ok && e.Value != "Allow" && e.Value != "Deny" {
					p.Report(e, "Effect must be Allow or Deny, not "+quote(e.Value))
				}
			}
		}
	},
}
