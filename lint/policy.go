package lint

import (
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// iotActions maps each action an AWS IoT policy grants to the resource
// type it takes (the service model's PolicyActions).
var iotActions = model.PolicyActions

// actionNames lists iotActions' keys, for suggestions.
func actionNames() []string {
	out := make([]string, 0, len(iotActions))
	for a := range iotActions {
		out = append(out, a)
	}
	return out
}

// besideDoc ends the documentation of the rules that check the policies
// defined beside the template (template.File.Policies) too.
const besideDoc = `

It also checks the policies defined beside the provisioning template in the
same file: the AWS::IoT::Policy resources of a CloudFormation template and
the aws_iot_policy resources of a Terraform file, when iotpt can read their
document (not a data source's json, nor one chosen by !If).`

// statement is one statement of a policy document.
type statement struct {
	node      *template.Object
	effect    string
	actions   []*template.String
	resources []*template.String
	hasCond   bool
	cond      template.Node
}

// policyDoc is a parsed policy document of a policy resource.
type policyDoc struct {
	root       *template.Object
	statements []statement
	// beside is set for a policy defined beside the template in the same
	// file (template.File.Policies), not in its body.
	beside bool
}

// policyDocs returns the policy documents written in the template (as
// objects or as JSON strings), then those of the policies defined beside
// it in the same file, with their statements.
func (p *Pass) policyDocs() []policyDoc {
	var out []policyDoc
	for _, r := range p.Resources(template.TypePolicy) {
		out = appendPolicyDoc(out, r, false)
	}
	for _, r := range p.File.Policies {
		out = appendPolicyDoc(out, r, true)
	}
	return out
}

// appendPolicyDoc appends the document of policy resource r, when it is an
// object.
func appendPolicyDoc(out []policyDoc, r *template.Resource, beside bool) []policyDoc {
	root, ok := r.PolicyDocument.(*template.Object)
	if !ok {
		return out
	}
	d := policyDoc{root: root, beside: beside}
	var stmts []template.Node
	switch s := root.Get("Statement").(type) {
	case *template.Array:
		stmts = s.Elems
	case *template.Object:
		stmts = []template.Node{s}
	}
	for _, n := range stmts {
		o, ok := n.(*template.Object)
		if !ok {
			continue
		}
		st := statement{node: o, actions: stringList(o.Get("Action")), resources: stringList(o.Get("Resource"))}
		if e, ok := o.Get("Effect").(*template.String); ok {
			st.effect = e.Value
		}
		st.cond = o.Get("Condition")
		st.hasCond = st.cond != nil
		d.statements = append(d.statements, st)
	}
	return append(out, d)
}

// stringList returns the strings of a string-or-array-of-strings value.
func stringList(n template.Node) []*template.String {
	switch v := n.(type) {
	case *template.String:
		return []*template.String{v}
	case *template.Array:
		var out []*template.String
		for _, e := range v.Elems {
			if s, ok := e.(*template.String); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// resourceType returns the type part of an IoT ARN ("topic" in
// arn:aws:iot:us-east-1:123456789012:topic/a/b), or "" when the resource
// is not an IoT ARN.
func resourceType(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	parts := splitARN(arn)
	if len(parts) < 6 || parts[2] != "iot" {
		return ""
	}
	typ, _, _ := strings.Cut(parts[5], "/")
	return typ
}

// resourcePath returns what follows the resource type in an IoT ARN.
func resourcePath(arn string) string {
	parts := splitARN(arn)
	if len(parts) < 6 {
		return ""
	}
	_, rest, _ := strings.Cut(parts[5], "/")
	return rest
}

// splitARN splits an ARN into at most six parts at ':', except inside a
// CloudFormation variable (${AWS::Region} in an Fn::Sub body), whose own
// colons belong to its name.
func splitARN(arn string) []string {
	var parts []string
	start, depth := 0, 0
	for i := 0; i < len(arn) && len(parts) < 5; i++ {
		switch {
		case strings.HasPrefix(arn[i:], template.CFNVarStart), strings.HasPrefix(arn[i:], "${"):
			depth++ // a variable's colons (${AWS::Region}) do not split
		case strings.HasPrefix(arn[i:], template.CFNVarEnd), arn[i] == '}' && depth > 0:
			depth = max(depth-1, 0)
		case arn[i] == ':' && depth == 0:
			parts = append(parts, arn[start:i])
			start = i + 1
		}
	}
	return append(parts, arn[start:])
}

// matchesAction reports whether an action pattern such as "iot:*" or
// "iot:Pub*" covers action.
func matchesAction(pattern, action string) bool {
	if !strings.Contains(pattern, "*") {
		return strings.EqualFold(pattern, action)
	}
	prefix, _, _ := strings.Cut(pattern, "*")
	return strings.HasPrefix(strings.ToLower(action), strings.ToLower(prefix))
}
