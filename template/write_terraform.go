package template

import (
	"fmt"
	"regexp"
	"strings"
)

// EmitTerraform is the --emit value for an aws_iot_provisioning_template
// resource in HCL.
const EmitTerraform = "terraform"

var reHCLIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// terraformResource writes an aws_iot_provisioning_template resource whose
// template_body is jsonencode of the body written as an HCL object, policy
// documents as jsonencode of theirs, in the layout terraform fmt gives.
func terraformResource(o CompileOptions, t *Template) []byte {
	label := o.Name
	if !reHCLIdent.MatchString(label) {
		label = "template"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q %q {\n", TFProvisioningTemplate, label)
	var attrs [][2]string
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, [2]string{k, hclString(v)})
		}
	}
	add("name", o.Name)
	add("description", o.Description)
	add("provisioning_role_arn", o.RoleARN)
	enabled := true // the provider's default is false: a template that fails every device
	if o.Enabled != nil {
		enabled = *o.Enabled
	}
	attrs = append(attrs, [2]string{"enabled", fmt.Sprint(enabled)})
	add("type", o.Type)
	writeAligned(&b, "  ", attrs)
	if o.HookARN != "" {
		b.WriteString("\n  pre_provisioning_hook {\n")
		writeAligned(&b, "    ", [][2]string{{"target_arn", hclString(o.HookARN)}, {"payload_version", `"2020-04-01"`}})
		b.WriteString("  }\n")
	}
	docs := PolicyDocuments(t, false)
	b.WriteString("\n  template_body = jsonencode(")
	b.WriteString(hclValue(t.Root, "  ", docs, false))
	b.WriteString(")\n}\n")
	return []byte(b.String())
}

// writeAligned writes attributes with their '=' aligned, as terraform fmt
// does for consecutive one-line attributes.
func writeAligned(b *strings.Builder, indent string, attrs [][2]string) {
	for i := 0; i < len(attrs); {
		j, width := i, 0
		for j < len(attrs) && !strings.Contains(attrs[j][1], "\n") {
			width = max(width, len(attrs[j][0]))
			j++
		}
		if j == i { // a multi-line value stands alone
			fmt.Fprintf(b, "%s%s = %s\n", indent, attrs[i][0], attrs[i][1])
			i++
			continue
		}
		for ; i < j; i++ {
			fmt.Fprintf(b, "%s%-*s = %s\n", indent, width, attrs[i][0], attrs[i][1])
		}
	}
}

// hclValue writes a node as an HCL expression at the given indentation; a
// policy document (found by docs) is jsonencode of its object, unless
// inDoc says n is that object already.
func hclValue(n Node, indent string, docs func(Node) (Node, string, bool), inDoc bool) string {
	if doc, _, ok := docs(n); ok && !inDoc {
		return "jsonencode(" + hclValue(doc, indent, docs, true) + ")"
	}
	switch n := n.(type) {
	case *Object:
		if len(n.Members) == 0 {
			return "{}"
		}
		var attrs [][2]string
		for _, m := range n.Members {
			k := m.Key.Value
			if !reHCLIdent.MatchString(k) || hclKeywords[k] {
				k = hclString(k)
			}
			attrs = append(attrs, [2]string{k, hclValue(m.Value, indent+"  ", docs, false)})
		}
		if line, ok := oneLineObject(attrs); ok && len(indent)+len(line) < 80 {
			return line
		}
		var b strings.Builder
		b.WriteString("{\n")
		writeAligned(&b, indent+"  ", attrs)
		b.WriteString(indent + "}")
		return b.String()
	case *Array:
		if len(n.Elems) == 0 {
			return "[]"
		}
		parts := make([]string, len(n.Elems))
		short := true
		width := 0
		for i, e := range n.Elems {
			parts[i] = hclValue(e, indent+"  ", docs, false)
			width += len(parts[i]) + 2
			short = short && !strings.Contains(parts[i], "\n")
		}
		if short && width+len(indent) < 80 {
			return "[" + strings.Join(parts, ", ") + "]"
		}
		var b strings.Builder
		b.WriteString("[\n")
		for _, p := range parts {
			b.WriteString(indent + "  " + p + ",\n")
		}
		b.WriteString(indent + "]")
		return b.String()
	case *String:
		return hclString(n.Value)
	case *Number:
		if !n.Valid() {
			return hclString(n.Literal)
		}
		return n.Literal
	case *Bool:
		return fmt.Sprint(n.Value)
	}
	return "null"
}

// hclKeywords are the words that open an HCL expression (for, if, and the
// literals): a bare object key spelled as one does not parse, so it is
// quoted.
var hclKeywords = map[string]bool{"for": true, "in": true, "if": true, "else": true, "endif": true, "endfor": true,
	"true": true, "false": true, "null": true}

// hclString writes s as a quoted HCL string: JSON-like escapes, and ${ and
// %{ doubled so that Terraform does not read them as templates. A value
// known only at deployment is written back as an interpolation.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return string(ShowUnknowns([]byte(b.String())))
}

// oneLineObject writes a small object of one-line values on one line:
// { Ref = "SerialNumber" }.
func oneLineObject(attrs [][2]string) (string, bool) {
	if len(attrs) > 3 {
		return "", false
	}
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		if strings.Contains(a[1], "\n") {
			return "", false
		}
		parts[i] = a[0] + " = " + a[1]
	}
	return "{ " + strings.Join(parts, ", ") + " }", true
}
