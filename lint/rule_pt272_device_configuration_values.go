package lint

import "github.com/iotpt/iotpt/template"

var ruleDeviceConfigurationValues = &Rule{
	Code: "PT272", Name: "device-configuration-values", Severity: template.Error,
	Title: "DeviceConfiguration value that is not a string",
	Doc: `"The DeviceConfiguration section doesn't support nested JSON objects", and
the device SDKs type it as a map of strings. Give every value as a string (or
a function returning one); flatten nested settings into several keys or one
encoded string.`,
	Bad:  `"DeviceConfiguration": {"mqtt": {"port": 8883}}`,
	Good: `"DeviceConfiguration": {"MqttPort": "8883"}`,
	Run: func(p *Pass) {
		dc := p.Template.DeviceConfiguration
		if dc == nil {
			return
		}
		for _, m := range dc.Members {
			if _, isCall := template.AsCall(m.Value); isCall {
				continue
			}
			if _, ok := m.Value.(*template.String); !ok {
				msg := "DeviceConfiguration value " + quote(m.Key.Value) + " must be a string, not " + template.Describe(m.Value)
				if _, nested := m.Value.(*template.Object); nested {
					msg += "; nested objects are not supported"
				}
				p.Report(m.Value, msg)
			}
		}
	},
}
