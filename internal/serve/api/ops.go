package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/policy"
	"github.com/iotpt/iotpt/internal/serve/provision"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// arn is the ARN of a resource of the local endpoint.
func arn(kind, name string) string {
	return "arn:aws:iot:" + provision.Region + ":" + provision.Account + ":" + kind + "/" + name
}

// id is a stable resource ID (AWS gives UUIDs).
func id(kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "/" + name))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// epoch is a timestamp as the REST JSON protocol writes it.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func notFound(format string, args ...any) error {
	return &Error{Status: http.StatusNotFound, Type: "ResourceNotFoundException", Message: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Type: "InvalidRequestException", Message: fmt.Sprintf(format, args...)}
}

func exists(format string, args ...any) error {
	return &Error{Status: http.StatusConflict, Type: "ResourceAlreadyExistsException", Message: fmt.Sprintf(format, args...)}
}

func (a *API) describeEndpoint(*http.Request) (any, error) {
	return map[string]string{"endpointAddress": a.MQTTAddr}, nil
}

// things

func (a *API) createThing(r *http.Request) (any, error) {
	name := r.PathValue("thingName")
	var in struct {
		ThingTypeName    string `json:"thingTypeName"`
		BillingGroupName string `json:"billingGroupName"`
		AttributePayload struct {
			Attributes map[string]string `json:"attributes"`
		} `json:"attributePayload"`
	}
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		if tx.Has(store.Things, name) {
			return exists("thing %s already exists", name)
		}
		if in.ThingTypeName != "" && !tx.Has(store.ThingTypes, in.ThingTypeName) {
			return notFound("thing type %s does not exist", in.ThingTypeName)
		}
		if in.BillingGroupName != "" && !tx.Has(store.BillingGroups, in.BillingGroupName) {
			return notFound("billing group %s does not exist", in.BillingGroupName)
		}
		attrs := in.AttributePayload.Attributes
		if attrs == nil {
			attrs = map[string]string{}
		}
		return tx.Put(store.Things, name, store.Thing{Name: name, TypeName: in.ThingTypeName, Attributes: attrs, Billing: in.BillingGroupName, Version: 1})
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"thingName": name, "thingArn": arn("thing", name), "thingId": id("thing", name)}, nil
}

func thingJSON(th *store.Thing) map[string]any {
	out := map[string]any{"thingName": th.Name, "thingArn": arn("thing", th.Name), "attributes": th.Attributes, "version": th.Version}
	if th.TypeName != "" {
		out["thingTypeName"] = th.TypeName
	}
	return out
}

func (a *API) describeThing(r *http.Request) (any, error) {
	name := r.PathValue("thingName")
	var th store.Thing
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(store.Things, name, &th); err != nil || !ok {
			return errors.Join(err, notFound("thing %s does not exist", name))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := thingJSON(&th)
	out["defaultClientId"], out["thingId"] = th.Name, id("thing", th.Name)
	if th.Billing != "" {
		out["billingGroupName"] = th.Billing
	}
	return out, nil
}

func (a *API) listThings(r *http.Request) (any, error) {
	things := []map[string]any{}
	err := a.Store.View(func(tx *store.Tx) error {
		return store.Each(tx, store.Things, func(_ string, th *store.Thing) error {
			things = append(things, thingJSON(th))
			return nil
		})
	})
	return map[string]any{"things": things}, err
}

// certificateID reads a certificate ARN (or a bare ID).
func certificateID(principal string) string {
	if i := strings.LastIndex(principal, ":cert/"); i >= 0 {
		return principal[i+len(":cert/"):]
	}
	return principal
}

func (a *API) listThingPrincipals(r *http.Request) (any, error) {
	name := r.PathValue("thingName")
	principals := []string{}
	err := a.Store.View(func(tx *store.Tx) error {
		if !tx.Has(store.Things, name) {
			return notFound("thing %s does not exist", name)
		}
		certs, err := tx.List(store.ThingPrincipals, name)
		for _, c := range certs {
			principals = append(principals, arn("cert", c))
		}
		return err
	})
	return map[string]any{"principals": principals}, err
}

func (a *API) attachThingPrincipal(r *http.Request) (any, error) {
	name := r.PathValue("thingName")
	cert := certificateID(r.Header.Get("x-amzn-principal"))
	err := a.Store.Update(func(tx *store.Tx) error {
		if !tx.Has(store.Things, name) {
			return notFound("thing %s does not exist", name)
		}
		if !tx.Has(store.Certificates, cert) {
			return notFound("certificate %s does not exist", cert)
		}
		return tx.AttachThingPrincipal(name, cert)
	})
	return struct{}{}, err
}

// thing groups and types

// groupKind is a kind of group: thing groups and billing groups share
// their handling and differ in names.
type groupKind struct {
	bucket    store.Bucket
	arnKind   string // in ARNs
	field     string // the name field: thingGroup, billingGroup
	pathValue string
	what      string // for messages
}

var (
	thingGroups   = groupKind{store.ThingGroups, "thinggroup", "thingGroup", "thingGroupName", "thing group"}
	billingGroups = groupKind{store.BillingGroups, "billinggroup", "billingGroup", "billingGroupName", "billing group"}
)

func (a *API) createGroup(g groupKind, r *http.Request) (any, error) {
	name := r.PathValue(g.pathValue)
	if err := readJSON(r, &struct{}{}); err != nil {
		return nil, err
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		if tx.Has(g.bucket, name) {
			return nil // AWS answers an identical create with the group
		}
		return tx.Put(g.bucket, name, store.Group{Name: name, CreatedAt: time.Now().UTC()})
	})
	return map[string]string{g.field + "Name": name, g.field + "Arn": arn(g.arnKind, name), g.field + "Id": id(g.arnKind, name)}, err
}

func (a *API) describeGroup(g groupKind, r *http.Request) (any, error) {
	name := r.PathValue(g.pathValue)
	var grp store.Group
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(g.bucket, name, &grp); err != nil || !ok {
			return errors.Join(err, notFound("%s %s does not exist", g.what, name))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{g.field + "Name": name, g.field + "Arn": arn(g.arnKind, name), g.field + "Id": id(g.arnKind, name), "version": 1,
		g.field + "Properties": map[string]any{}, g.field + "Metadata": map[string]any{"creationDate": epoch(grp.CreatedAt)}}, nil
}

func (a *API) listGroups(g groupKind, r *http.Request) (any, error) {
	groups := []map[string]string{}
	err := a.Store.View(func(tx *store.Tx) error {
		for _, n := range tx.Keys(g.bucket) {
			groups = append(groups, map[string]string{"groupName": n, "groupArn": arn(g.arnKind, n)})
		}
		return nil
	})
	return map[string]any{g.field + "s": groups}, err
}

func (a *API) createThingGroup(r *http.Request) (any, error) { return a.createGroup(thingGroups, r) }
func (a *API) describeThingGroup(r *http.Request) (any, error) {
	return a.describeGroup(thingGroups, r)
}
func (a *API) listThingGroups(r *http.Request) (any, error) { return a.listGroups(thingGroups, r) }
func (a *API) createBillingGroup(r *http.Request) (any, error) {
	return a.createGroup(billingGroups, r)
}
func (a *API) describeBillingGroup(r *http.Request) (any, error) {
	return a.describeGroup(billingGroups, r)
}
func (a *API) listBillingGroups(r *http.Request) (any, error) { return a.listGroups(billingGroups, r) }

func (a *API) createThingType(r *http.Request) (any, error) {
	name := r.PathValue("thingTypeName")
	if err := readJSON(r, &struct{}{}); err != nil {
		return nil, err
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		if tx.Has(store.ThingTypes, name) {
			return exists("thing type %s already exists", name)
		}
		return tx.Put(store.ThingTypes, name, store.ThingType{Name: name, CreatedAt: time.Now().UTC()})
	})
	return map[string]string{"thingTypeName": name, "thingTypeArn": arn("thingtype", name), "thingTypeId": id("thingtype", name)}, err
}

func thingTypeJSON(t *store.ThingType) map[string]any {
	return map[string]any{"thingTypeName": t.Name, "thingTypeArn": arn("thingtype", t.Name), "thingTypeProperties": map[string]any{},
		"thingTypeMetadata": map[string]any{"deprecated": false, "creationDate": epoch(t.CreatedAt)}}
}

func (a *API) describeThingType(r *http.Request) (any, error) {
	name := r.PathValue("thingTypeName")
	var t store.ThingType
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(store.ThingTypes, name, &t); err != nil || !ok {
			return errors.Join(err, notFound("thing type %s does not exist", name))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := thingTypeJSON(&t)
	out["thingTypeId"] = id("thingtype", name)
	return out, nil
}

func (a *API) listThingTypes(r *http.Request) (any, error) {
	types := []map[string]any{}
	err := a.Store.View(func(tx *store.Tx) error {
		return store.Each(tx, store.ThingTypes, func(_ string, t *store.ThingType) error {
			types = append(types, thingTypeJSON(t))
			return nil
		})
	})
	return map[string]any{"thingTypes": types}, err
}

// policies

func (a *API) createPolicy(r *http.Request) (any, error) {
	name := r.PathValue("policyName")
	var in struct {
		PolicyDocument string `json:"policyDocument"`
	}
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	if _, err := policy.Parse(name, in.PolicyDocument); err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Type: "MalformedPolicyException", Message: err.Error()}
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		if tx.Has(store.Policies, name) {
			return exists("policy %s already exists", name)
		}
		return tx.Put(store.Policies, name, store.Policy{Name: name, Document: in.PolicyDocument, Version: "1", CreatedAt: time.Now().UTC()})
	})
	return map[string]string{"policyName": name, "policyArn": arn("policy", name), "policyDocument": in.PolicyDocument, "policyVersionId": "1"}, err
}

func (a *API) getPolicy(r *http.Request) (any, error) {
	name := r.PathValue("policyName")
	var p store.Policy
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(store.Policies, name, &p); err != nil || !ok {
			return errors.Join(err, notFound("policy %s does not exist", name))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"policyName": name, "policyArn": arn("policy", name), "policyDocument": p.Document, "defaultVersionId": p.Version,
		"creationDate": epoch(p.CreatedAt), "lastModifiedDate": epoch(p.CreatedAt)}, nil
}

func (a *API) listPolicies(r *http.Request) (any, error) {
	policies := []map[string]string{}
	err := a.Store.View(func(tx *store.Tx) error {
		for _, n := range tx.Keys(store.Policies) {
			policies = append(policies, map[string]string{"policyName": n, "policyArn": arn("policy", n)})
		}
		return nil
	})
	return map[string]any{"policies": policies}, err
}

func (a *API) attachPolicy(r *http.Request) (any, error) {
	name := r.PathValue("policyName")
	var in struct {
		Target string `json:"target"`
	}
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	cert := certificateID(in.Target)
	err := a.Store.Update(func(tx *store.Tx) error {
		if !tx.Has(store.Policies, name) {
			return notFound("policy %s does not exist", name)
		}
		if !tx.Has(store.Certificates, cert) {
			return invalid("target %s is not a registered certificate (only certificate targets are supported)", in.Target)
		}
		return tx.AddToList(store.PrincipalPolices, cert, name)
	})
	return struct{}{}, err
}

func (a *API) listAttachedPolicies(r *http.Request) (any, error) {
	cert := certificateID(r.PathValue("target"))
	policies := []map[string]string{}
	err := a.Store.View(func(tx *store.Tx) error {
		names, err := tx.List(store.PrincipalPolices, cert)
		for _, n := range names {
			policies = append(policies, map[string]string{"policyName": n, "policyArn": arn("policy", n)})
		}
		return err
	})
	return map[string]any{"policies": policies}, err
}

// certificates

func (a *API) createKeysAndCertificate(r *http.Request) (any, error) {
	iss, err := a.CA.NewKeyAndCertificate()
	if err != nil {
		return nil, err
	}
	status := store.Inactive
	if r.URL.Query().Get("setAsActive") == "true" {
		status = store.Active
	}
	err = a.Store.Update(func(tx *store.Tx) error {
		return tx.Put(store.Certificates, iss.ID, store.Certificate{ID: iss.ID, PEM: iss.CertPEM, Status: status, CreatedAt: time.Now().UTC()})
	})
	if err != nil {
		return nil, err
	}
	pub, err := ca.PublicKeyPEM(iss.DER)
	if err != nil {
		return nil, err
	}
	return map[string]any{"certificateArn": arn("cert", iss.ID), "certificateId": iss.ID, "certificatePem": iss.CertPEM,
		"keyPair": map[string]string{"PublicKey": pub, "PrivateKey": iss.KeyPEM}}, nil
}

func (a *API) describeCertificate(r *http.Request) (any, error) {
	cid := r.PathValue("certificateId")
	var c store.Certificate
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(store.Certificates, cid, &c); err != nil || !ok {
			return errors.Join(err, notFound("certificate %s does not exist", cid))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := map[string]any{"certificateArn": arn("cert", c.ID), "certificateId": c.ID, "status": c.Status, "certificatePem": c.PEM,
		"ownedBy": provision.Account, "creationDate": epoch(c.CreatedAt), "lastModifiedDate": epoch(c.CreatedAt), "certificateMode": "DEFAULT"}
	if c.CAID != "" {
		d["caCertificateId"] = c.CAID
	}
	return map[string]any{"certificateDescription": d}, nil
}

func (a *API) listCertificates(r *http.Request) (any, error) {
	certs := []map[string]any{}
	err := a.Store.View(func(tx *store.Tx) error {
		return store.Each(tx, store.Certificates, func(_ string, c *store.Certificate) error {
			certs = append(certs, map[string]any{"certificateArn": arn("cert", c.ID), "certificateId": c.ID, "status": c.Status, "certificateMode": "DEFAULT", "creationDate": epoch(c.CreatedAt)})
			return nil
		})
	})
	return map[string]any{"certificates": certs}, err
}

func (a *API) updateCertificate(r *http.Request) (any, error) {
	cid := r.PathValue("certificateId")
	status := r.URL.Query().Get("newStatus")
	switch status {
	case store.Active, store.Inactive, store.Revoked, store.PendingActivation:
	default:
		return nil, invalid("newStatus %q: want ACTIVE, INACTIVE, REVOKED or PENDING_ACTIVATION", status)
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		var c store.Certificate
		if ok, err := tx.Get(store.Certificates, cid, &c); err != nil || !ok {
			return errors.Join(err, notFound("certificate %s does not exist", cid))
		}
		c.Status = status
		return tx.Put(store.Certificates, cid, c)
	})
	return struct{}{}, err
}
