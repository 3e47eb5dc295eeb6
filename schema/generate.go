package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// The properties of each resource type in body.json, and the fields of the
// wrappers AWS constrains (cli-input.json, registration-config.json), are
// generated from the service model (internal/model), the way SDKs are
// generated from a service description: TestSchemasFromModel keeps the files
// in step, and "go test ./schema -run TestSchemasFromModel -update" rewrites
// them.

// resourceDefs maps each resource type to its definition in body.json.
var resourceDefs = map[string]string{
	model.TypeThing:       "thing",
	model.TypeCertificate: "certificate",
	model.TypePolicy:      "policy",
}

// Generate returns a schema file with what the service model constrains
// written from it: for body.json the properties of every resource type, for
// cli-input.json and registration-config.json the wrapper fields. The rest
// of the file is kept. Other names are returned as they are.
func Generate(name string, current []byte) ([]byte, error) {
	switch name {
	case "body":
		return GenerateBody(current)
	case "cli-input", "registration-config":
		return generateWrapper(name, current)
	}
	return current, nil
}

// generateWrapper writes the model's constraints on the fields around a
// body, keeping each field's description and the fields the model does not
// constrain (tags, enabled).
func generateWrapper(name string, current []byte) ([]byte, error) {
	root, _, diags := template.ParseData(name+".json", current, template.ParseOptions{})
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	props, _ := template.Lookup(root, "/properties").(*template.Object)
	if props == nil {
		return nil, fmt.Errorf("%s.json has no properties", name)
	}
	replace := map[template.Node]template.Node{}
	for _, m := range props.Members {
		text, ok := wrapperField(m.Key.Value)
		if !ok {
			continue
		}
		if d, ok := template.Lookup(m.Value, "/description").(*template.String); ok {
			text = strings.TrimSuffix(text, "}") + `, "description": ` + strconv.Quote(d.Value) + "}"
		}
		n, _, diags := template.ParseData("generated", []byte(text), template.ParseOptions{})
		if diags.HasErrors() {
			return nil, fmt.Errorf("generated schema for %s: %v", m.Key.Value, diags.Err())
		}
		replace[m.Value] = n
	}
	w := template.Writer{Indent: "  ", Replace: func(n template.Node) (template.Node, string, bool) {
		if r, ok := replace[n]; ok {
			return r, "", true
		}
		return nil, "", false
	}}
	return append(w.Append(nil, root), '\n'), nil
}

// wrapperField is the schema of a field around the body that AWS
// constrains [BC §8], from the model.
func wrapperField(name string) (string, bool) {
	switch name {
	case "templateName":
		return stringSchema(&model.TemplateName), true
	case "description":
		return `{"type": "string", "maxLength": ` + strconv.Itoa(model.MaxDescriptionChars) + `}`, true
	case "templateBody":
		return `{"type": "string", "maxLength": ` + strconv.Itoa(model.MaxBodyChars) + `}`, true
	case "roleArn", "provisioningRoleArn":
		return `{"type": "string", "minLength": 20, "maxLength": ` + strconv.Itoa(model.MaxRoleArnChars) + `, "pattern": ` + strconv.Quote(model.RoleARN.String()) + `}`, true
	case "preProvisioningHook":
		return `{"type": "object", "required": ["targetArn"], "properties": {` +
			`"targetArn": {"type": "string", "maxLength": ` + strconv.Itoa(model.MaxHookTargetChars) + `, "pattern": ` + strconv.Quote(model.LambdaARN.String()) + `}, ` +
			`"payloadVersion": {"const": ` + strconv.Quote(model.HookPayloadVersion) + `}}, "additionalProperties": false}`, true
	case "type":
		return `{"enum": ` + quoteList([]string{model.FleetProvisioning, model.JITP}) + `}`, true
	}
	return "", false
}

// GenerateBody returns body.json with the properties of every resource
// type written from the service model; the rest of the file is kept.
func GenerateBody(current []byte) ([]byte, error) {
	root, _, diags := template.ParseData("body.json", current, template.ParseOptions{})
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	defs, _ := template.Lookup(root, "/$defs").(*template.Object)
	if defs == nil {
		return nil, fmt.Errorf("body.json has no $defs")
	}
	replace := map[template.Node]template.Node{}
	for typ, def := range resourceDefs {
		old, _ := template.Lookup(defs, "/"+def+"/properties").(*template.Object)
		if old == nil {
			return nil, fmt.Errorf("body.json has no $defs/%s/properties", def)
		}
		text := propertiesSchema(typ, old)
		n, _, diags := template.ParseData("generated", []byte(text), template.ParseOptions{})
		if diags.HasErrors() {
			return nil, fmt.Errorf("generated schema for %s: %v", typ, diags.Err())
		}
		replace[old] = n
	}
	w := template.Writer{Indent: "  ", Replace: func(n template.Node) (template.Node, string, bool) {
		if r, ok := replace[n]; ok {
			return r, "", true
		}
		return nil, "", false
	}}
	return append(w.Append(nil, root), '\n'), nil
}

// propertiesSchema writes the "properties" of a resource type. Properties
// the model does not constrain as strings (a policy document, the
// undocumented PackageVersions) keep their current schema.
func propertiesSchema(typ string, current *template.Object) string {
	var members []string
	for _, p := range model.Resources[typ] {
		var s string
		switch {
		case p.Rule != nil && p.Kind == "string":
			s = anyOfFn(stringSchema(p.Rule), describeProp(p))
		case p.Rule != nil && p.Kind == "string list":
			s = anyOfFn(`{"type": "array", "maxItems": `+strconv.Itoa(model.MaxThingGroups)+`, "items": `+anyOfFn(stringSchema(p.Rule), "")+`}`, describeProp(p))
		case p.Name == "AttributePayload":
			s = anyOfFn(`{"type": "object", "maxProperties": `+strconv.Itoa(model.MaxAttrsTyped)+`, "propertyNames": `+stringSchema(&model.AttributeName)+
				`, "additionalProperties": `+anyOfFn(stringSchema(&model.AttributeValue), "")+`}`, describeProp(p))
		case p.Name == "CertificateId":
			s = anyOfFn(`{"type": "string", "minLength": 64, "maxLength": 64, "pattern": "^(0x)?[a-fA-F0-9]+$"}`, describeProp(p))
		case p.Name == "CertificateSigningRequest":
			s = anyOfFn(`{"type": "string", "minLength": 1, "maxLength": `+strconv.Itoa(model.MaxCSRChars)+`}`, describeProp(p))
		case p.Name == "CertificatePem" || p.Name == "CACertificatePem":
			s = anyOfFn(`{"type": "string", "minLength": 1, "maxLength": `+strconv.Itoa(model.MaxCertPemChars)+`}`, describeProp(p))
		case p.Name == "Status":
			s = anyOfFn(`{"enum": ["ACTIVE", "INACTIVE", "Active", "Inactive", "active", "inactive"]}`, describeProp(p))
		case p.Name == "ThingPrincipalType":
			s = `{"enum": ` + quoteList(model.PrincipalTypes) + `, "description": ` + strconv.Quote(p.Doc) + `}`
		default:
			if m := current.Member(p.Name); m != nil {
				s = string(template.AppendCompact(nil, m.Value))
			} else {
				s = `{"description": ` + strconv.Quote(p.Doc) + `}`
			}
		}
		members = append(members, strconv.Quote(p.Name)+": "+s)
	}
	return "{" + strings.Join(members, ", ") + "}"
}

// stringSchema is a string with the rule's length and characters.
func stringSchema(r *model.NameRule) string {
	return `{"type": "string", "minLength": ` + strconv.Itoa(r.MinLen) + `, "maxLength": ` + strconv.Itoa(r.MaxLen) + `, "pattern": ` + strconv.Quote(r.Pattern) + `}`
}

// anyOfFn allows an intrinsic function in place of a value.
func anyOfFn(s, description string) string {
	out := `{"anyOf": [` + s + `, {"$ref": "#/$defs/fn"}]`
	if description != "" {
		out += `, "description": ` + strconv.Quote(description)
	}
	return out + "}"
}

func describeProp(p model.Property) string {
	d := p.Doc
	if p.Rule != nil {
		d += " " + strings.ToUpper(p.Rule.What[:1]) + p.Rule.What[1:] + ": " + strconv.Itoa(p.Rule.MinLen) + " to " + strconv.Itoa(p.Rule.MaxLen) + " characters, " + p.Rule.Allowed + "."
	}
	return d + " (" + p.Code + ")"
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
