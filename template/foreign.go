package template

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
)

// CodeNotTemplate is the diagnostic for a file that holds no template: a
// program (Pulumi, CDK), a Serverless file that points elsewhere, a JSON
// Lines parameters file, a Terraform file without a provisioning template.
const CodeNotTemplate = "PT022"

var (
	reServerlessFile = regexp.MustCompile(`\$\{file\(([^)]+)\)`)
	reTopKey         = func(k string) *regexp.Regexp { return regexp.MustCompile(`(?m)^` + k + `:`) }
	reService        = reTopKey("service")
	reProvider       = reTopKey("provider")
	reRuntime        = reTopKey("runtime")
)

// programExts are source files of languages CDK and Pulumi programs are
// written in.
var programExts = []string{".ts", ".js", ".mjs", ".py", ".go", ".java", ".cs"}

// sniffForeign recognises a file that is not a template in any form iotpt
// reads, and says in one line what it is and what to run instead.
func sniffForeign(name string, text []byte) (string, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	isProgram := false
	for _, e := range programExts {
		isProgram = isProgram || ext == e
	}
	has := func(subs ...string) bool {
		for _, s := range subs {
			if bytes.Contains(text, []byte(s)) {
				return true
			}
		}
		return false
	}
	trimmed := bytes.TrimSpace(text)
	looksJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"')
	if looksJSON && !isProgram {
		if isJSONLines(text) {
			return "JSON Lines (one object per line, like bulk registration parameters), not a template: plan it with iotpt plan TEMPLATE --bulk " + name, true
		}
		return "", false
	}
	yamlName := IsYAMLName(name)
	switch {
	case yamlName:
		// only the Serverless check below
	case has("aws-cdk-lib", "@aws-cdk/", "aws_cdk", "software.amazon.awscdk", "github.com/aws/aws-cdk-go"):
		return "a CDK app, not a template: run cdk synth, then iotpt lint cdk.out/ (the synthesised CloudFormation)", true
	case has("@pulumi/", "import pulumi", "github.com/pulumi/pulumi", "using Pulumi"):
		return "a Pulumi program, not a template: keep the template body in its own JSON file, read it from the program, and run iotpt lint on that file", true
	case isProgram:
		return "a program, not a template: iotpt lint the JSON or YAML file that holds the template body (for CDK, run cdk synth and lint cdk.out/)", true
	}
	if reService.Match(text) && reProvider.Match(text) {
		if m := reServerlessFile.FindSubmatch(text); m != nil {
			ref := filepath.Join(filepath.Dir(name), strings.Trim(strings.TrimSpace(string(m[1])), `'"`))
			return "a Serverless Framework file, not a template: the body is in " + ref + ": run iotpt lint " + ref, true
		}
		return "a Serverless Framework file, not a template: iotpt lint the file that holds the template body, or the CloudFormation that serverless package writes to .serverless/", true
	}
	if reRuntime.Match(text) && has("aws:iot:ProvisioningTemplate") {
		return "a Pulumi YAML program, not a template: keep the template body in its own JSON file, read it with fn::readFile, and run iotpt lint on that file", true
	}
	if lang := codeStart(text); lang != "" && !yamlName {
		return lang + " code, not a template: put the template body in a .json file (or for a CDK app run cdk synth) and run iotpt lint on that", true
	}
	return "", false
}

// isJSONLines reports whether text has two or more lines, each one JSON
// object.
func isJSONLines(text []byte) bool {
	n := 0
	for line := range bytes.Lines(text) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' || !json.Valid(line) {
			return false
		}
		n++
		if n >= 20 { // enough to tell
			break
		}
	}
	return n >= 2
}

func notTemplate(name, msg string) Diagnostic {
	return Diagnostic{Severity: Error, Code: CodeNotTemplate, Message: msg, Range: Range{Filename: name}}
}

// codeWords start a JavaScript, TypeScript or Python file, never JSON.
var codeWords = map[string]string{
	"JSON.stringify(": "JavaScript or TypeScript", "module.exports": "JavaScript", "export": "JavaScript or TypeScript",
	"import": "JavaScript, TypeScript or Python", "const": "JavaScript or TypeScript", "let": "JavaScript or TypeScript",
	"require(": "JavaScript", "from": "Python", "def": "Python", "json.dumps(": "Python",
}

// codeStart names the language a file's first word belongs to, or "".
func codeStart(text []byte) string {
	t := strings.TrimSpace(string(text[:min(len(text), 200)]))
	for word, lang := range codeWords {
		rest, ok := strings.CutPrefix(t, word)
		if !ok {
			continue
		}
		if strings.HasSuffix(word, "(") || (rest != "" && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '.' || rest[0] == '{')) {
			return lang
		}
	}
	return ""
}

// templateKeys are top-level keys only templates and their wrappers have.
var templateKeys = []string{"Resources", "Parameters", "Mappings", "DeviceConfiguration", "AWSTemplateFormatVersion", "templateBody", "templateName"}

// registryKeys are the keys of an existing-state file (plan --existing).
var registryKeys = []string{"things", "thingTypes", "thingGroups", "billingGroups", "policies"}

// sniffData recognises a JSON or YAML object that is one of the other
// inputs of plan, not a template: a parameters object, a hook response, a
// registry state.
func sniffData(name string, root Node) (string, bool) {
	o, ok := root.(*Object)
	if !ok || len(o.Members) == 0 {
		return "", false
	}
	for _, k := range templateKeys {
		if o.Get(k) != nil {
			return "", false
		}
	}
	if o.Get("allowProvisioning") != nil || o.Get("parameterOverrides") != nil {
		return "a pre-provisioning hook response, not a template: plan a template with it: iotpt plan TEMPLATE --hook-response " + name, true
	}
	for _, k := range registryKeys {
		if o.Get(k) != nil {
			return "the registry as it stands (things, groups, policies), not a template: plan a template against it: iotpt plan TEMPLATE --existing " + name, true
		}
	}
	for _, m := range o.Members {
		if _, isStr := m.Value.(*String); !isStr {
			return "", false
		}
	}
	return "an object of parameter values, not a template: plan a template with it: iotpt plan TEMPLATE --params " + name, true
}
