package lint

import (
	"fmt"
	"strings"
	"testing"
)

// terraformFile returns a .tf file with n aws_iot_provisioning_template
// resources, each a fleet template with a jsonencode body, a nested
// jsonencode policy document and references.
func terraformFile(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `resource "aws_iot_provisioning_template" "fleet_%d" {
  name                  = "fleet-%d"
  provisioning_role_arn = aws_iam_role.provisioning.arn
  enabled               = true

  template_body = jsonencode({
    Parameters = {
      SerialNumber                = { Type = "String" }
      "AWS::IoT::Certificate::Id" = { Type = "String" }
    }
    Resources = {
      certificate = {
        Type       = "AWS::IoT::Certificate"
        Properties = { CertificateId = { Ref = "AWS::IoT::Certificate::Id" }, Status = "ACTIVE" }
      }
      thing = {
        Type = "AWS::IoT::Thing"
        Properties = {
          ThingName        = { "Fn::Join" = ["_", ["sensor", { Ref = "SerialNumber" }]] }
          ThingGroups      = [aws_iot_thing_group.fleet.name]
          AttributePayload = { model = "v%d" }
        }
        OverrideSettings = { ThingGroups = "MERGE" }
      }
      policy = {
        Type = "AWS::IoT::Policy"
        Properties = {
          PolicyDocument = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              Action   = ["iot:Connect"]
              Resource = ["arn:aws:iot:us-east-1:123456789012:client/$${iot:Connection.Thing.ThingName}"]
            }]
          })
        }
      }
    }
  })
}

`, i, i, i)
	}
	return []byte(b.String())
}

// BenchmarkCheckTerraform50 lints a .tf file of 50 provisioning templates,
// as lint does for such a file.
func BenchmarkCheckTerraform50(b *testing.B) {
	text := terraformFile(50)
	res := CheckAll("main.tf", text, Options{})
	if len(res) != 50 {
		b.Fatalf("got %d templates, want 50", len(res))
	}
	for _, r := range res {
		if r.Diagnostics.HasErrors() {
			b.Fatalf("unexpected errors: %v", r.Diagnostics)
		}
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		CheckAll("main.tf", text, Options{})
	}
}
