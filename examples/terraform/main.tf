# Fleet provisioning by claim, as Terraform keeps it: the body is an HCL
# object in jsonencode, and refers to resources Terraform creates.

variable "thing_prefix" {
  type    = string
  default = "meter"
}

resource "aws_iot_thing_group" "meters" {
  name = "smart-meters"
}

resource "aws_iot_policy" "meter" {
  name = "smart-meter"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iot:Connect"]
      Resource = ["arn:aws:iot:eu-west-1:123456789012:client/$${iot:Connection.Thing.ThingName}"]
    }]
  })
}

resource "aws_iot_provisioning_template" "meters" {
  name                  = "smart-meters"
  description           = "Smart meters provisioned by claim"
  provisioning_role_arn = aws_iam_role.provisioning.arn
  enabled               = true

  pre_provisioning_hook {
    target_arn      = aws_lambda_function.check_serial.arn
    payload_version = "2020-04-01"
  }

  template_body = jsonencode({
    Parameters = {
      SerialNumber                = { Type = "String" }
      "AWS::IoT::Certificate::Id" = { Type = "String" }
    }
    Resources = {
      thing = {
        Type = "AWS::IoT::Thing"
        Properties = {
          ThingName   = { "Fn::Join" = ["-", [var.thing_prefix, { Ref = "SerialNumber" }]] }
          ThingGroups = [aws_iot_thing_group.meters.name]
          AttributePayload = {
            serial = { Ref = "SerialNumber" }
          }
        }
      }
      certificate = {
        Type = "AWS::IoT::Certificate"
        Properties = {
          CertificateId = { Ref = "AWS::IoT::Certificate::Id" }
          Status        = "ACTIVE"
        }
      }
      policy = {
        Type       = "AWS::IoT::Policy"
        Properties = { PolicyName = aws_iot_policy.meter.name }
      }
    }
  })
}
