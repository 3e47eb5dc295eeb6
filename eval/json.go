package eval

import (
	"strconv"

	"github.com/iotpt/iotpt/template"
)

// AppendJSON appends the plan as one line of JSON in the documented shape:
//
//	{"outcome": "success"|"failure", "templateType": ..., "parameters": {...},
//	 "resources": {"<logicalId>": {"type", "action", "properties", "before"?}},
//	 "thingName": ..., "deviceConfiguration": {...}, "errors": [...], ...}
//
// followed by resourceArns, steps, requirements, assumptions and warnings.
// Values with unknown parts are written as {"unknown": "<display form>"}.
func (p *Plan) AppendJSON(b []byte) []byte {
	b = p.appendCore(b)
	b = append(b, `,"resourceArns":`...)
	b = appendNamed(b, p.ResourceArns)
	b = append(b, `,"steps":`...)
	b = appendStrings(b, p.Steps)
	b = append(b, `,"requirements":`...)
	b = appendStrings(b, p.Requirements)
	b = append(b, `,"assumptions":`...)
	b = AppendAssumptions(b, p.Assumptions)
	b = append(b, `,"response":`...)
	b = p.Response.AppendJSON(b)
	return append(b, '}')
}

// AppendJSONLine appends the plan of one line of a bulk parameters file:
// the documented plan fields and "line", without the fields meant for one
// plan read by a person (steps, resourceArns, requirements, assumptions).
func (p *Plan) AppendJSONLine(b []byte, line int64) []byte {
	b = p.appendCore(b)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, line, 10)
	return append(b, '}')
}

// appendCore writes the documented plan fields and warnings, leaving the
// object open.
func (p *Plan) appendCore(b []byte) []byte {
	b = append(b, `{"outcome":`...)
	b = appendJSONString(b, p.Outcome)
	b = append(b, `,"templateType":`...)
	b = appendJSONString(b, p.TemplateType)
	b = append(b, `,"parameters":`...)
	b = appendNamed(b, p.Parameters)
	b = append(b, `,"resources":{`...)
	for i, r := range p.Resources {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, r.LogicalID)
		b = append(b, `:{"type":`...)
		b = appendJSONString(b, r.Type)
		b = append(b, `,"action":`...)
		b = appendJSONString(b, r.Action)
		b = append(b, `,"properties":`...)
		b = r.Properties.AppendJSON(b)
		if r.Before != nil {
			b = append(b, `,"before":`...)
			b = r.Before.AppendJSON(b)
		}
		b = append(b, '}')
	}
	b = append(b, `},"thingName":`...)
	b = p.ThingName.AppendJSON(b)
	b = append(b, `,"deviceConfiguration":`...)
	b = p.DeviceConfiguration.AppendJSON(b)
	b = append(b, `,"errors":`...)
	b = AppendDiagnostics(b, p.Errors)
	b = append(b, `,"warnings":`...)
	return AppendDiagnostics(b, p.Warnings)
}

// MarshalJSON implements json.Marshaler with AppendJSON.
func (p *Plan) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil), nil }

func appendNamed(b []byte, ns []Named) []byte {
	b = append(b, '{')
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, n.Name)
		b = append(b, ':')
		b = n.Value.AppendJSON(b)
	}
	return append(b, '}')
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// AppendDiagnostics appends diagnostics as the plan's JSON writes them: an
// array of {"code", "message", "file", "line", "column", "path"} objects.
func AppendDiagnostics(b []byte, ds template.Diagnostics) []byte {
	b = append(b, '[')
	for i, d := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendJSONString(b, d.Code)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, d.Message)
		b = append(b, `,"file":`...)
		b = appendJSONString(b, d.Range.Filename)
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(d.Range.Start.Line), 10)
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(d.Range.Start.Column), 10)
		b = append(b, `,"path":`...)
		b = appendJSONString(b, d.Path)
		b = append(b, '}')
	}
	return append(b, ']')
}

// AppendAssumptions appends assumptions as a JSON array of
// {"id": "U7", "text": "..."}.
func AppendAssumptions(b []byte, as []Assumption) []byte {
	b = append(b, '[')
	for i, a := range as {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, a.ID)
		b = append(b, `,"text":`...)
		b = appendJSONString(b, a.Text)
		b = append(b, '}')
	}
	return append(b, ']')
}

// AppendJSON appends the response in the documented shape: {"stage":
// "provision"|"create"} with one of "accepted" ({"thingName",
// "deviceConfiguration"}), "rejected" ({"statusCode", "errorCode",
// "errorMessage"}) or "jitp" ({"certificateStatus", "connection"}).
func (r Response) AppendJSON(b []byte) []byte {
	if r.Stage == "" {
		return append(b, "null"...)
	}
	b = append(b, `{"stage":`...)
	b = appendJSONString(b, r.Stage)
	switch {
	case r.Accepted != nil:
		b = append(b, `,"accepted":{"thingName":`...)
		b = r.Accepted.ThingName.AppendJSON(b)
		b = append(b, `,"deviceConfiguration":`...)
		b = r.Accepted.DeviceConfiguration.AppendJSON(b)
		b = append(b, '}')
	case r.Rejected != nil:
		b = append(b, `,"rejected":{"statusCode":`...)
		b = strconv.AppendInt(b, int64(r.Rejected.StatusCode), 10)
		b = append(b, `,"errorCode":`...)
		b = appendJSONString(b, r.Rejected.ErrorCode)
		b = append(b, `,"errorMessage":`...)
		b = appendJSONString(b, r.Rejected.ErrorMessage)
		b = append(b, '}')
	case r.JITP != nil:
		b = append(b, `,"jitp":{"certificateStatus":`...)
		b = appendJSONString(b, r.JITP.CertificateStatus)
		b = append(b, `,"connection":`...)
		b = appendJSONString(b, r.JITP.Connection)
		b = append(b, '}')
	}
	return append(b, '}')
}
