// Package provision runs a provisioning template for one device against
// the endpoint's store: it plans the template with eval against the stored
// registry and, when the plan succeeds, makes what the plan says (things,
// policies, certificate status, attachments) in the same transaction.
package provision

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// Region and Account are those of the local endpoint's ARNs.
const (
	Region  = "us-east-1"
	Account = "123456789012"
)

// ErrFailed is returned (wrapped) when the plan fails: nothing was made.
var ErrFailed = errors.New("provisioning failed")

// Run plans prog for in against the registry in tx and applies the plan
// when it succeeds. certID is the device certificate being provisioned.
// It returns the plan in every case; the error wraps ErrFailed when the
// plan failed.
//
// The registry given to the plan holds only the things the template names:
// a first plan, against no thing, gives the names; when one exists the
// plan is made again with it. A template cannot see other things, so the
// plan is the one the whole registry would give.
func Run(tx *store.Tx, prog *eval.Program, in eval.Input, certID string) (*eval.Plan, error) {
	reg, err := tx.RegistryFor(nil, []string{certID})
	if err != nil {
		return nil, err
	}
	in.Existing, in.Region, in.Account = reg, Region, Account
	plan := prog.Plan(in)
	var names []string
	for _, r := range plan.Resources {
		if name, _ := r.Properties.Get("ThingName"); r.Type == "AWS::IoT::Thing" && name.Kind() == eval.String {
			names = append(names, name.Text())
		}
	}
	if len(names) > 0 {
		if in.Existing, err = tx.RegistryFor(names, []string{certID}); err != nil {
			return nil, err
		}
		if len(in.Existing.Things) > 0 {
			plan = prog.Plan(in)
		}
	}
	if plan.Outcome != "success" {
		return plan, fmt.Errorf("%w: %s", ErrFailed, firstError(plan))
	}
	return plan, apply(tx, plan, certID, time.Now().UTC())
}

func firstError(p *eval.Plan) string {
	if len(p.Errors) == 0 {
		return "the plan failed"
	}
	return p.Errors[0].Message
}

// apply makes the plan's resources. AWS IoT attaches every policy of the
// template to the certificate and the certificate to the thing.
func apply(tx *store.Tx, plan *eval.Plan, certID string, now time.Time) error {
	var thing string
	var policies []string
	for _, r := range plan.Resources {
		switch r.Type {
		case "AWS::IoT::Thing":
			name, err := putThing(tx, r.Properties)
			if err != nil {
				return err
			}
			thing = name
		case "AWS::IoT::Certificate":
			if err := putCertificate(tx, r.Properties, certID); err != nil {
				return err
			}
		case "AWS::IoT::Policy":
			name, err := putPolicy(tx, r.Properties, now)
			if err != nil {
				return err
			}
			policies = append(policies, name)
		}
	}
	for _, p := range policies {
		if err := tx.AddToList(store.PrincipalPolices, certID, p); err != nil {
			return err
		}
	}
	if thing != "" {
		return tx.AttachThingPrincipal(thing, certID)
	}
	return nil
}

func text(props eval.Value, key string) string {
	v, _ := props.Get(key)
	return v.Text()
}

func putThing(tx *store.Tx, props eval.Value) (string, error) {
	name := text(props, "ThingName")
	if name == "" {
		return "", fmt.Errorf("%w: the thing has no name", ErrFailed)
	}
	var th store.Thing
	if _, err := tx.Get(store.Things, name, &th); err != nil {
		return "", err
	}
	th.Name, th.TypeName, th.Billing = name, text(props, "ThingTypeName"), text(props, "BillingGroup")
	th.Attributes = map[string]string{}
	if attrs, ok := props.Get("AttributePayload"); ok {
		for i, k := range attrs.Keys() {
			th.Attributes[k] = attrs.Items()[i].Text()
		}
	}
	th.Groups = nil
	if gs, ok := props.Get("ThingGroups"); ok {
		for _, g := range gs.Items() {
			th.Groups = append(th.Groups, g.Text())
		}
	}
	th.Version++
	return name, tx.Put(store.Things, name, th)
}

func putCertificate(tx *store.Tx, props eval.Value, certID string) error {
	id := text(props, "CertificateId")
	if id == "" {
		id = certID
	}
	var c store.Certificate
	ok, err := tx.Get(store.Certificates, id, &c)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: certificate %s is not registered", ErrFailed, id)
	}
	c.Status = store.Active
	if s := text(props, "Status"); s != "" {
		c.Status = s
	}
	return tx.Put(store.Certificates, id, c)
}

func putPolicy(tx *store.Tx, props eval.Value, now time.Time) (string, error) {
	doc, hasDoc := props.Get("PolicyDocument")
	docText := doc.Text()
	if hasDoc && doc.Kind() != eval.String {
		docText = string(doc.AppendJSON(nil))
	}
	name := text(props, "PolicyName")
	if name == "" {
		sum := sha256.Sum256([]byte(docText))
		name = hex.EncodeToString(sum[:])
	}
	if !hasDoc || tx.Has(store.Policies, name) {
		return name, nil
	}
	return name, tx.Put(store.Policies, name, store.Policy{Name: name, Document: docText, Version: "1", CreatedAt: now})
}
