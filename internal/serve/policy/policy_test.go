package policy

import (
	"strings"
	"testing"
)

const doc = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
     "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
    {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:123456789012:topic/t/${iot:ClientId}/*"},
    {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/t/${iot:ClientId}/+"},
    {"Sid": "Secrets", "Effect": "Deny", "Action": "iot:*", "Resource": "arn:aws:iot:*:*:topic/t/*/secret"},
    {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/cn/${iot:Certificate.Subject.CommonName}"}
  ]
}`

func TestEvaluate(t *testing.T) {
	p, err := Parse("P", doc)
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:iot:us-east-1:123456789012:"
	attached := map[string]string{"iot:ClientId": "d1", "iot:Connection.Thing.ThingName": "d1", "iot:Connection.Thing.IsAttached": "true"}
	detached := map[string]string{"iot:ClientId": "d1", "iot:Connection.Thing.ThingName": "d1", "iot:Connection.Thing.IsAttached": "false"}
	for _, tc := range []struct {
		action, resource string
		vars             map[string]string
		want             string
	}{
		{"iot:Connect", arn + "client/d1", attached, "allowed by policy P statement 0"},
		{"iot:Connect", arn + "client/d1", detached, "implicit deny"},
		{"iot:Connect", arn + "client/d2", attached, "implicit deny"},
		{"iot:Connect", arn + "client/d1", map[string]string{"iot:ClientId": "d1"}, "implicit deny"}, // unresolved variable
		{"iot:Publish", arn + "topic/t/d1/a", attached, "allowed by policy P statement 1"},
		{"IOT:PUBLISH", arn + "topic/t/d1/a", attached, "allowed by policy P statement 1"}, // actions ignore case
		{"iot:Receive", arn + "topic/t/d1/a/b", attached, "allowed by policy P statement 1"},
		{"iot:Publish", arn + "topic/t/d2/a", attached, "implicit deny"},
		{"iot:Publish", arn + "topic/t/d1/secret", attached, `denied by policy P statement 3 (Sid "Secrets"), Effect Deny`},
		{"iot:Subscribe", arn + "topicfilter/t/d1/+", attached, "allowed by policy P statement 2"},
		{"iot:Subscribe", arn + "topicfilter/t/d1/#", attached, "implicit deny"}, // + and # are literal
		{"iot:Subscribe", arn + "topicfilter/t/d1/x", attached, "implicit deny"},
		{"iot:Publish", arn + "topic/cn/dev", map[string]string{"iot:Certificate.Subject.CommonName": "dev"}, "allowed by policy P statement 4"},
		{"iot:Publish", arn + "topic/cn/a*", map[string]string{"iot:Certificate.Subject.CommonName": "a*"}, "allowed by policy P statement 4"},
		{"iot:Publish", arn + "topic/cn/ab", map[string]string{"iot:Certificate.Subject.CommonName": "a*"}, "implicit deny"}, // a value's * is literal
	} {
		got := Evaluate([]*Policy{p}, Request{Action: tc.action, Resource: tc.resource, Vars: tc.vars}).String()
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s %s: %s; want %s", tc.action, tc.resource, got, tc.want)
		}
	}
}

func TestConditionVariables(t *testing.T) {
	p, err := Parse("C", `{"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
		"Condition": {"StringEquals": {"iot:ClientId": "${iot:Certificate.Subject.CommonName}"}, "StringLike": {"iot:ClientId": "dev-${*}*"}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		client, cn string
		want       bool
	}{{"dev-*1", "dev-*1", true}, {"dev-a", "dev-a", false}, {"dev-*1", "other", false}} {
		d := Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: "x", Vars: map[string]string{"iot:ClientId": tc.client, "iot:Certificate.Subject.CommonName": tc.cn}})
		if d.Allowed != tc.want {
			t.Errorf("client %s, CN %s: %s", tc.client, tc.cn, d)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*c", "abbbc", true}, {"a*c", "abbb", false}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{`a\*`, "a*", true}, {`a\*`, "ab", false}, {"*/*/x", "a/b/x", true}, {"**a", "bba", true}, {"", "a", false},
	} {
		if got := Glob(tc.p, tc.s); got != tc.want {
			t.Errorf("Glob(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, d := range []string{`{`, `{"Statement": [{"Effect": "Maybe"}]}`, `{"Statement": [{"Effect": "Allow", "Action": 3}]}`, `{"Statement": 3}`} {
		if _, err := Parse("P", d); err == nil {
			t.Errorf("%s: no error", d)
		}
	}
	if p, err := Parse("P", `{"Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}}`); err != nil || len(p.Statements) != 1 {
		t.Errorf("a single statement object: %v %v", p, err)
	}
}

func FuzzEvaluate(f *testing.F) {
	f.Add(doc, "iot:Publish", "arn:aws:iot:us-east-1:123456789012:topic/t/d1/a", "d1")
	f.Add(`{"Statement":{"Effect":"Deny","NotAction":"x","Resource":"${a}${","Condition":{"StringLikeIfExists":{"k":["*"]}}}}`, "a", "b", "c")
	f.Fuzz(func(t *testing.T, d, action, resource, client string) {
		p, err := Parse("P", d)
		if err != nil {
			return
		}
		Evaluate([]*Policy{p}, Request{Action: action, Resource: resource, Vars: map[string]string{"iot:ClientId": client}})
	})
}
