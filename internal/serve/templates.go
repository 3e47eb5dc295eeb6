package serve

import (
	"fmt"
	"os"
	"strings"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/template"
)

// NamedFile is a NAME=FILE (or FILE=FILE) flag value.
type NamedFile struct{ Name, Path string }

// ParseNamed splits a NAME=VALUE flag value; what names the flag in errors.
func ParseNamed(flag, s string) (NamedFile, error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" || value == "" {
		return NamedFile{}, fmt.Errorf("--%s %q: want NAME=VALUE", flag, s)
	}
	return NamedFile{Name: name, Path: value}, nil
}

// readTemplate reads and compiles a template file of any form iotpt reads.
// A file with errors is refused with every error positioned, as AWS IoT
// refuses such a template when it is created. want is the template type
// the file must have ("" for any).
func readTemplate(path, want string) (*eval.Program, []byte, error) {
	text, err := input.Read(path, os.Stdin, template.DefaultMaxBytes)
	if err != nil {
		return nil, nil, err
	}
	prog, err := compileTemplate(path, text, want)
	return prog, text, err
}

// compileTemplate compiles a template's text; name is for positions.
func compileTemplate(name string, text []byte, want string) (*eval.Program, error) {
	f, diags := template.Parse(name, text, template.ParseOptions{})
	prog, more := eval.Compile(f)
	if err := append(diags, more...).Err(); err != nil {
		return nil, err
	}
	typ := f.TemplateType()
	if typ == "" {
		typ = eval.FleetProvisioning
		if want == eval.JITP {
			typ = eval.JITP
		}
	}
	switch {
	case want == "" || typ == want:
	case typ == eval.JITP:
		return nil, fmt.Errorf("%s is a JITP template; give it with its CA as --jitp CA_PEM=%s", name, name)
	default:
		return nil, fmt.Errorf("%s is a %s template; want %s", name, typ, want)
	}
	return prog, nil
}
