# Just-in-time provisioning: the registration config of a CA certificate,
# with its body in a heredoc.

resource "aws_iot_ca_certificate" "factory" {
  active                  = true
  allow_auto_registration = true
  ca_certificate_pem      = file("${path.module}/factory-ca.pem")
  certificate_mode        = "SNI_ONLY"

  registration_config {
    role_arn      = aws_iam_role.jitp.arn
    template_body = <<-EOT
      {
        "Parameters": {
          "AWS::IoT::Certificate::CommonName": {"Type": "String"},
          "AWS::IoT::Certificate::Id": {"Type": "String"}
        },
        "Resources": {
          "thing": {
            "Type": "AWS::IoT::Thing",
            "Properties": {
              "ThingName": {"Ref": "AWS::IoT::Certificate::CommonName"},
              "ThingGroups": ["${aws_iot_thing_group.meters.name}"]
            }
          },
          "certificate": {
            "Type": "AWS::IoT::Certificate",
            "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}
          },
          "policy": {
            "Type": "AWS::IoT::Policy",
            "Properties": {"PolicyName": "${aws_iot_policy.meter.name}"}
          }
        }
      }
    EOT
  }
}
