package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// What Compile can emit.
const (
	EmitBody               = "body"
	EmitRegistrationConfig = "registration-config"
	EmitCLIInput           = "cli-input"
	EmitCloudFormation     = "cloudformation"
)

// EmitForms lists the --emit values.
var EmitForms = []string{EmitBody, EmitRegistrationConfig, EmitCLIInput, EmitCloudFormation, EmitTerraform}

// CompileOptions are the fields around the body. Empty fields are taken
// from the source file when it is a registration config or CLI input.
type CompileOptions struct {
	Emit        string
	Name        string // templateName
	RoleARN     string // roleArn / provisioningRoleArn
	Type        string // FLEET_PROVISIONING or JITP
	HookARN     string // pre-provisioning hook Lambda
	Description string
	Enabled     *bool
	YAML        bool // the CloudFormation template as YAML
}

// Diagnostic codes of compilation.
const (
	CodeCompileInput = "PT140" // a field the emitted form needs is missing or wrong
	CodeCompileLimit = "PT141" // the compiled artifact breaks an API limit
)

// Compile writes the artifact the AWS APIs take from a parsed file: the
// minified body (policy documents as strings), a JITP registration config,
// create-provisioning-template CLI input, or an AWS::IoT::ProvisioningTemplate
// CloudFormation resource. Output is byte-for-byte deterministic. Compile
// checks only that the form can be written (the fields it needs are there);
// whether AWS accepts the values is the service model's to say
// (eval.Emit checks both).
func Compile(f *File, o CompileOptions) ([]byte, Diagnostics) {
	if f.Template == nil {
		return nil, Diagnostics{compileDiag(f, CodeCompileInput, "the file holds no template body to compile")}
	}
	o = o.WithDefaults(f)
	body := f.Template.Minified()
	if label := DeployLabel(body); label != "" && o.Emit != EmitTerraform {
		// A Terraform reference or CloudFormation variable: the artifact
		// would hold a placeholder, not the value.
		return nil, Diagnostics{compileDiag(f, CodeCompileInput, "the body holds a value known only when it is deployed ("+label+"); compile the source template, or let Terraform or CloudFormation deploy it")}
	}
	var diags Diagnostics
	need := func(ok bool, msg string) {
		if !ok {
			diags = append(diags, compileDiag(f, CodeCompileInput, msg))
		}
	}
	if o.Emit != EmitBody {
		need(o.RoleARN != "", "--role-arn is required: the "+o.Emit+" names the IAM role AWS IoT provisions with")
	}
	if o.Emit == EmitCLIInput || o.Emit == EmitCloudFormation || o.Emit == EmitTerraform {
		need(o.Name != "", "--name is required: the template name")
	}
	if diags.HasErrors() {
		return nil, diags
	}
	switch o.Emit {
	case EmitBody:
		return []byte(body + "\n"), nil
	case EmitRegistrationConfig:
		return orderedJSON(
			field{"templateBody", body},
			field{"roleArn", o.RoleARN},
			field{"templateName", o.Name},
		), nil
	case EmitCLIInput:
		fields := []field{{"templateName", o.Name}, {"description", o.Description}, {"templateBody", body}}
		if o.Enabled != nil {
			fields = append(fields, field{"enabled", *o.Enabled})
		}
		fields = append(fields, field{"provisioningRoleArn", o.RoleARN})
		if o.HookARN != "" {
			fields = append(fields, field{"preProvisioningHook", map[string]string{"targetArn": o.HookARN, "payloadVersion": "2020-04-01"}})
		}
		fields = append(fields, field{"type", o.Type})
		return orderedJSON(fields...), nil
	case EmitCloudFormation:
		return cloudFormation(o, body), nil
	case EmitTerraform:
		return terraformResource(o, f.Template), nil
	}
	return nil, Diagnostics{compileDiag(f, CodeCompileInput, "unknown emit form "+strconv.Quote(o.Emit))}
}

// WithDefaults fills empty options from the source's wrapper fields.
func (o CompileOptions) WithDefaults(f *File) CompileOptions {
	str := func(key string) string {
		if s, ok := f.WrapperField(key).(*String); ok && !strings.Contains(s.Value, CFNVarStart) {
			return s.Value
		}
		return "" // absent, or known only at deployment (a Terraform reference)
	}
	or := func(v *string, keys ...string) {
		for _, k := range keys {
			if *v == "" {
				*v = str(k)
			}
		}
	}
	or(&o.Name, "templateName")
	or(&o.RoleARN, "provisioningRoleArn", "roleArn")
	or(&o.Description, "description")
	or(&o.Type, "type")
	if o.Type == "" && f.Form == FormRegistrationConfig {
		o.Type = "JITP"
	}
	if hook, ok := f.WrapperField("preProvisioningHook").(*Object); ok && o.HookARN == "" {
		if s, ok := hook.Get("targetArn").(*String); ok {
			o.HookARN = s.Value
		}
	}
	if b, ok := f.WrapperField("enabled").(*Bool); ok && o.Enabled == nil {
		v := b.Value
		o.Enabled = &v
	}
	if o.Enabled == nil {
		// The APIs' and Terraform's default is disabled, which fails every
		// device (PT312): an artifact is enabled unless asked otherwise.
		enabled := true
		o.Enabled = &enabled
	}
	return o
}

func compileDiag(f *File, code, msg string) Diagnostic {
	return Diagnostic{Severity: Error, Code: code, Message: msg, Range: Range{Filename: f.Source.Name()}}
}

// field is one member of an ordered JSON object; empty strings are left
// out.
type field struct {
	key   string
	value any
}

// orderedJSON writes an indented object with the fields in order.
func orderedJSON(fields ...field) []byte {
	var b bytes.Buffer
	b.WriteString("{")
	first := true
	for _, f := range fields {
		if s, isStr := f.value.(string); isStr && s == "" {
			continue
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		v, _ := marshal(f.value)
		fmt.Fprintf(&b, "\n  %s: %s", jsonString(f.key), v)
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}

// marshal encodes a value like encoding/json, without escaping <, > and &.
func marshal(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// cloudFormation writes a CloudFormation template with one
// AWS::IoT::ProvisioningTemplate resource. The body is a literal
// TemplateBody (not Fn::Sub), so its ${iot:...} policy variables reach AWS
// IoT untouched.
func cloudFormation(o CompileOptions, body string) []byte {
	props := []field{{"TemplateName", o.Name}, {"Description", o.Description}}
	if o.Enabled != nil {
		props = append(props, field{"Enabled", *o.Enabled})
	}
	props = append(props, field{"ProvisioningRoleArn", o.RoleARN}, field{"TemplateType", o.Type})
	if o.HookARN != "" {
		props = append(props, field{"PreProvisioningHook", map[string]string{"TargetArn": o.HookARN, "PayloadVersion": "2020-04-01"}})
	}
	props = append(props, field{"TemplateBody", body})
	if o.YAML {
		return cloudFormationYAML(props)
	}
	inner := orderedJSON(props...)
	indented := strings.ReplaceAll(strings.TrimSuffix(string(inner), "\n"), "\n", "\n      ")
	return []byte(`{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "ProvisioningTemplate": {
      "Type": "AWS::IoT::ProvisioningTemplate",
      "Properties": ` + indented + `
    }
  }
}
`)
}

func cloudFormationYAML(props []field) []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  ProvisioningTemplate:\n    Type: AWS::IoT::ProvisioningTemplate\n    Properties:\n")
	for _, p := range props {
		switch v := p.value.(type) {
		case string:
			if v == "" {
				continue
			}
			if p.key == "TemplateBody" {
				fmt.Fprintf(&b, "      %s: |-\n        %s\n", p.key, v)
				continue
			}
			s, _ := marshal(v)
			fmt.Fprintf(&b, "      %s: %s\n", p.key, s)
		case bool:
			fmt.Fprintf(&b, "      %s: %t\n", p.key, v)
		case map[string]string:
			fmt.Fprintf(&b, "      %s:\n        TargetArn: %s\n        PayloadVersion: \"%s\"\n", p.key, mustMarshal(v["TargetArn"]), v["PayloadVersion"])
		}
	}
	return []byte(b.String())
}

func mustMarshal(s string) string {
	out, _ := marshal(s)
	return out
}
