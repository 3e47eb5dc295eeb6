// Package template reads AWS IoT Core provisioning templates in every form
// people keep them, and knows where each value came from.
//
// # Reading a template
//
// Parse takes a file's bytes and returns a File and its Diagnostics. The
// file may be a bare template body, a JITP registration config
// ({"templateBody": "...", "roleArn": ...}), create-provisioning-template
// CLI input, one JSON string holding a body, a CloudFormation template with
// an AWS::IoT::ProvisioningTemplate, or any of these in YAML; the form is
// detected unless ParseOptions.Form says. A body held in an escaped string
// (and a policy document escaped once more inside it) is parsed too. So is
// the output of describe-provisioning-template and describe-ca-certificate,
// a CloudFormation TemplateBody built with Fn::Sub or Fn::Join (CDK), and a
// Terraform file: ParseAll returns one File per aws_iot_provisioning_template
// and registration_config, each named by its Address, with every node of a
// jsonencode body at the HCL expression it came from. Values known only at
// deployment (Terraform references, CloudFormation variables) are strings
// marked with CFNVarStart (see CFNVariables, UnknownLabel), and a finding
// about one alone is not a mistake (File.DependsOnUnknown). A file that
// holds no template but something recognisable (a CDK or Pulumi program,
// JSON Lines, a parameters file) gets one CodeNotTemplate diagnostic saying
// what to run instead (File.Foreign).
//
// The result is an AST of Nodes (Object, Array, String, Number, Bool, Null).
// Every node knows its Range in the file the user opened, even two escaping
// levels deep, and its JSON Pointer in the body. File.Template is a typed
// view: Parameters, Mappings, Resources (with their Properties,
// OverrideSettings and parsed PolicyDocument) and DeviceConfiguration.
//
// # Diagnostics
//
// Diagnostic is the one problem type of iotpt: severity, a stable code
// (PT001...), a one-line message, the exact range, the JSON pointer, and
// optional Fixes whose edits are already escaped for the strings they land
// in. The parser recovers from errors and reports at most 100 per file;
// input is bounded by ParseOptions.MaxBytes and MaxDepth.
//
// # Writing a template
//
// Compile turns a parsed template into the artifact an AWS API takes (a
// minified body, a registration config, CLI input or a CloudFormation
// template), escaping as needed; Template.Readable and AppendYAML write it
// back for people.
//
// ParseData reads the JSON or YAML files around templates (parameters,
// rules, tests) into the same positioned nodes.
package template
