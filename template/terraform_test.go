package template_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// tfSeeds are Terraform files for the fuzz targets: every form of
// template_body the reader knows, and broken HCL.
var tfSeeds = []string{
	`resource "aws_iot_provisioning_template" "a" {
  name = "a-${var.env}"
  enabled = true
  template_body = jsonencode({ Resources = { t = { Type = "AWS::IoT::Thing", Properties = { ThingName = var.n, ThingGroups = [local.g, "x\"y"] } } } })
}`,
	"resource \"aws_iot_provisioning_template\" \"h\" {\n  template_body = <<-EOT\n    {\"Resources\": {\"p\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {\"PolicyDocument\": \"{\\\"a\\\": \\\"${x}\\\"}\"}}}}\n  EOT\n}\n",
	`resource "aws_iot_provisioning_template" "q" { template_body = "{\"Resources\": {\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": \"$${a}\\u00e9\"}}}}" }`,
	`resource "aws_iot_ca_certificate" "c" {
  registration_config {
    role_arn = "r"
    template_body = templatefile("t.tftpl", { a = "b" })
  }
}
resource "aws_iot_provisioning_template" "f" { template_body = file("${path.module}/x.json") }`,
	`resource "aws_iot_provisioning_template" "p" {
  pre_provisioning_hook {
    target_arn = aws_lambda_function.h.arn
    payload_version = "2020-04-01"
  }
  template_body = jsonencode({ Resources = { p = { Type = "AWS::IoT::Policy", Properties = { PolicyDocument = jsonencode({ Statement = [] }) } } } })
}`,
	`resource "aws_iot_provisioning_template" "x" { template_body = jsonencode({ Resources = ${ } }`,
	`{"resource": {"aws_iot_provisioning_template": {"j": {"enabled": true, "template_body": "${jsonencode({Resources = {t = {Type = \"AWS::IoT::Thing\"}}})}"}}}}`,
	`resource "aws_iot_policy" "p" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["iot:*", var.a], Resource = "arn:aws:iot:${var.r}:1:topic/*" }] })
}
resource "aws_iot_policy" "h" {
  policy = <<-EOT
    {"Statement": [{"Action": "iot:Connect", "Resource": ${jsonencode(var.arns)}}]}
  EOT
}
resource "aws_iot_policy" "f" { policy = file("x.json") }
resource "aws_iot_provisioning_template" "t" { template_body = jsonencode({ Resources = {} }) }`,
	`{"resource": {"aws_iot_policy": {"p": {"policy": "${jsonencode({Statement = [{Action = \"iot:*\"}]})}"}}, "aws_iot_provisioning_template": {"t": {"template_body": "{}"}}}}`,
	`variable "v" { default = 3 }
resource "aws_iot_provisioning_template" "d" { template_body = jsonencode({ Resources = { a = [for x in var.l : x], b = (var.v), c = 1.5e3, d = null } }) }`,
}

// tfOpts reads no file from disk: file() and templatefile() get fixed
// text, or an error.
var tfOpts = template.ParseOptions{MaxDepth: 64, ReadFile: func(path string, limit int) ([]byte, error) {
	if text, ok := tfFiles[path]; ok {
		return []byte(text), nil
	}
	return nil, errors.New("no such file")
}}

var tfFiles = map[string]string{
	"t.tftpl": `{"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "${a}-${b}"}}}}`,
	"x.json":  `{"Resources": {}}`,
}

// FuzzParseTerraform feeds arbitrary bytes to the Terraform reader: it must
// not panic, and every diagnostic and node range must lie inside the file
// it names, with start <= end.
func FuzzParseTerraform(f *testing.F) {
	for _, s := range tfSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sizes := map[string]int{"main.tf": len(data), "main.tf.json": len(data)}
		for name, text := range tfFiles {
			sizes[name] = len(text)
		}
		inFile := func(what string, r template.Range) {
			size, ok := sizes[strings.TrimPrefix(r.Filename, "./")]
			if !ok {
				t.Fatalf("%s range in unknown file %q", what, r.Filename)
			}
			if r.Start.Byte < 0 || r.End.Byte > size || r.Start.Byte > r.End.Byte {
				t.Fatalf("%s range %+v outside %s of %d bytes", what, r, r.Filename, size)
			}
		}
		all := append(template.ParseAll("main.tf", data, tfOpts), template.ParseAll("main.tf.json", data, tfOpts)...)
		for _, p := range all {
			for _, d := range p.Diagnostics {
				if d.Range.Start.IsValid() {
					inFile(d.Code, d.Range)
				}
			}
			for _, r := range p.File.Policies {
				template.Walk(r.PolicyDocument, func(n template.Node) bool { inFile(n.Pointer(), n.Range()); return true })
			}
			if p.File.Template != nil {
				template.Walk(p.File.Template.Root, func(n template.Node) bool { inFile(n.Pointer(), n.Range()); return true })
				for _, r := range p.File.Template.Resources {
					if r.PolicyDocument != nil {
						template.Walk(r.PolicyDocument, func(n template.Node) bool { inFile(n.Pointer(), n.Range()); return true })
					}
				}
			}
		}
	})
}

// TestParseAllTerraform checks that each resource of a Terraform file is a
// template of its own, named by its address, with the wrapper fields the
// rules read.
func TestParseAllTerraform(t *testing.T) {
	all := template.ParseAll("main.tf", []byte(tfSeeds[3]+"\n"+tfSeeds[4]), tfOpts)
	var got []string
	for _, p := range all {
		typ := p.File.TemplateType()
		hook := p.File.WrapperField("preProvisioningHook") != nil
		got = append(got, p.File.Address+" "+typ+" "+map[bool]string{true: "hook", false: "-"}[hook]+" "+map[bool]string{true: "body", false: "-"}[p.File.Template != nil])
	}
	want := []string{
		"aws_iot_ca_certificate.c JITP - body",
		"aws_iot_provisioning_template.f FLEET_PROVISIONING - body",
		"aws_iot_provisioning_template.p FLEET_PROVISIONING hook body",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Parse of a file with several templates takes one by address.
	f, diags := template.Parse("main.tf", []byte(tfSeeds[3]), template.ParseOptions{ReadFile: tfOpts.ReadFile, Address: "aws_iot_provisioning_template.f"})
	if f.Address != "aws_iot_provisioning_template.f" || diags.HasErrors() {
		t.Errorf("Parse with Address: got %q, %v", f.Address, diags)
	}
	if _, diags := template.Parse("main.tf", []byte(tfSeeds[3]), tfOpts); !diags.HasErrors() {
		t.Error("Parse of a file with two templates and no Address: no error")
	}
}

// TestTerraformTooDeep checks that brackets nested past the limit are
// refused before the HCL parser recurses on them, in a .tf file, a string
// of a .tf.json file and a template file.
func TestTerraformTooDeep(t *testing.T) {
	deep := strings.Repeat("[", 100000)
	for name, text := range map[string]string{
		"main.tf":      "resource \"aws_iot_provisioning_template\" \"a\" {\n  template_body = jsonencode(" + deep + ")\n}\n",
		"main.tf.json": `{"resource": {"aws_iot_provisioning_template": {"a": {"template_body": "${` + deep + `}"}}}}`,
		"tpl.tf":       "resource \"aws_iot_provisioning_template\" \"a\" {\n  template_body = templatefile(\"deep.tftpl\", {})\n}\n",
	} {
		opts := template.ParseOptions{ReadFile: func(string, int) ([]byte, error) { return []byte("${" + deep + "}"), nil }}
		var codes []string
		for _, p := range template.ParseAll(name, []byte(text), opts) {
			for _, d := range p.Diagnostics {
				codes = append(codes, d.Code)
			}
		}
		if strings.Join(codes, ",") != template.CodeTooDeep {
			t.Errorf("%s: got %v, want one %s", name, codes, template.CodeTooDeep)
		}
	}
}

// TestTerraformInterpolationInString checks that an interpolation after
// ':' or ',' in a string value (an ARN) stays part of the string, and that
// one where the JSON of a heredoc body needs a value is read as a string.
func TestTerraformInterpolationInString(t *testing.T) {
	text := `resource "aws_iot_provisioning_template" "a" {
  template_body = jsonencode({ Resources = { t = { Type = "AWS::IoT::Thing", Properties = { ThingName = "a:${var.x},${var.y}" } } } })
}
resource "aws_iot_provisioning_template" "b" {
  template_body = <<-EOT
    {"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": ${var.n}}}}}
  EOT
}`
	var got []string
	for _, p := range template.ParseAll("main.tf", []byte(text), tfOpts) {
		if p.File.Template == nil || len(p.File.Template.Resources) != 1 {
			t.Fatalf("%s: no template: %v", p.File.Address, p.Diagnostics)
		}
		name, _ := p.File.Template.Resources[0].Property("ThingName").(*template.String)
		if name == nil {
			t.Fatalf("%s: ThingName is not a string", p.File.Address)
		}
		got = append(got, string(template.ShowUnknowns([]byte(name.Value))))
	}
	if want := []string{"a:${var.x},${var.y}", "${var.n}"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestTerraformLocalsBounded checks that locals which use each other many
// times ("billion laughs"), or themselves, are read in bounded work: past
// the budget a local is an unknown value.
func TestTerraformLocalsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = [\"aaaaaaaaaa\"]\n  self = [local.self, local.self]\n")
	for i := 1; i <= 9; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("local.l%d, ", i-1), 10), ", ")
		fmt.Fprintf(&b, "  l%d = [%s]\n", i, refs)
	}
	b.WriteString("}\n")
	for _, top := range []string{"l9", "self"} {
		src := b.String() + `resource "aws_iot_provisioning_template" "t" {
  name = "t"
  template_body = jsonencode({
    Resources = { thing = { Type = "AWS::IoT::Thing", Properties = { ThingName = "a", AttributePayload = { x = local.` + top + ` } } } }
  })
}
`
		parsed := template.ParseAll("main.tf", []byte(src), template.ParseOptions{})
		if len(parsed) != 1 || parsed[0].File.Template == nil {
			t.Fatalf("%s: %d templates", top, len(parsed))
		}
		nodes := 0
		template.Walk(parsed[0].File.Template.Root, func(template.Node) bool { nodes++; return true })
		if nodes > 1_000_000 {
			t.Errorf("%s: %d nodes read from a %d-byte file", top, nodes, len(src))
		}
	}
}
