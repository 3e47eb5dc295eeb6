package provision

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/serve/store"
	"github.com/iotpt/iotpt/template"
)

const body = `{
  "Parameters": {"Name": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
  "Resources": {
    "thing": {
      "Type": "AWS::IoT::Thing",
      "Properties": {"ThingName": {"Ref": "Name"}, "AttributePayload": {"fw": "2"}, "ThingGroups": ["g"]},
      "OverrideSettings": {"AttributePayload": "MERGE", "ThingGroups": "DO_NOTHING"}
    },
    "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}},
    "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}}},
    "named": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "existing"}}
  }
}`

func TestRun(t *testing.T) {
	f, diags := template.Parse("t.json", []byte(body), template.ParseOptions{})
	prog, more := eval.Compile(f)
	if err := append(diags, more...).Err(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const cert = "4f2a9d3c8b7e6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a10"
	err = st.Update(func(tx *store.Tx) error {
		for _, p := range []struct {
			b   store.Bucket
			key string
			v   any
		}{
			{store.Certificates, cert, store.Certificate{ID: cert, Status: store.PendingActivation}},
			{store.ThingGroups, "g", store.Group{Name: "g"}},
			{store.Policies, "existing", store.Policy{Name: "existing", Document: "{}"}},
			{store.Things, "d1", store.Thing{Name: "d1", Attributes: map[string]string{"owner": "ops", "fw": "1"}, Groups: []string{"old"}, Version: 3}},
		} {
			if err := tx.Put(p.b, p.key, p.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	in := func(name string) eval.Input {
		return eval.Input{Type: eval.FleetProvisioning, Params: []eval.Param{{Name: "Name", Value: name}}, Certificate: &eval.Certificate{ID: cert}}
	}
	// A missing group fails the plan and makes nothing.
	err = st.Update(func(tx *store.Tx) error {
		if err := tx.Delete(store.ThingGroups, "g"); err != nil {
			return err
		}
		_, err := Run(tx, prog, in("d2"), cert)
		return err
	})
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("without the group: %v, want ErrFailed", err)
	}
	err = st.Update(func(tx *store.Tx) error {
		_, err := Run(tx, prog, in("d1"), cert)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *store.Tx) error {
		var th store.Thing
		if _, err := tx.Get(store.Things, "d1", &th); err != nil {
			return err
		}
		// MERGE keeps the owner attribute and takes the template's fw;
		// DO_NOTHING keeps the old groups.
		want := store.Thing{Name: "d1", Attributes: map[string]string{"owner": "ops", "fw": "2"}, Groups: []string{"old"}, Version: 4}
		if diff := cmp.Diff(want, th); diff != "" {
			t.Errorf("thing (-want +got):\n%s", diff)
		}
		var c store.Certificate
		if _, err := tx.Get(store.Certificates, cert, &c); err != nil || c.Status != store.Active {
			t.Errorf("certificate %+v %v", c, err)
		}
		policies, _ := tx.List(store.PrincipalPolices, cert)
		if len(policies) != 2 || policies[1] != "existing" || len(policies[0]) != 64 {
			t.Errorf("attached policies %v: want the document's hash and existing", policies)
		}
		principals, _ := tx.List(store.ThingPrincipals, "d1")
		if diff := cmp.Diff([]string{cert}, principals); diff != "" {
			t.Errorf("thing principals (-want +got):\n%s", diff)
		}
		if tx.Has(store.Things, "d2") {
			t.Error("the failed plan made thing d2")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
