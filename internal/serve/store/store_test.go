package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/eval"
)

func TestRegistryAndLists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *Tx) error {
		for _, put := range []struct {
			b   Bucket
			key string
			v   any
		}{
			{ThingTypes, "sensor", ThingType{Name: "sensor"}},
			{ThingGroups, "fleet", Group{Name: "fleet"}},
			{BillingGroups, "bill", Group{Name: "bill"}},
			{Policies, "p", Policy{Name: "p", Document: `{"Statement": []}`}},
			{Policies, "broken", Policy{Name: "broken", Document: "not JSON"}},
			{Certificates, "c1", Certificate{ID: "c1", Status: Active}},
			{Things, "t1", Thing{Name: "t1", TypeName: "sensor", Attributes: map[string]string{"b": "2", "a": "1"}, Groups: []string{"fleet"}, Billing: "bill"}},
		} {
			if err := tx.Put(put.b, put.key, put.v); err != nil {
				return err
			}
		}
		for _, c := range []string{"c1", "c2", "c1"} {
			if err := tx.AttachThingPrincipal("t1", c); err != nil {
				return err
			}
		}
		return tx.RemoveFromList(ThingPrincipals, "t1", "c2")
	})
	if err != nil {
		t.Fatal(err)
	}
	// An open database cannot be opened again, by another endpoint or plan;
	// its snapshot can.
	if _, err := OpenReadOnly(path); !errors.Is(err, ErrInUse) {
		t.Errorf("second open: %v", err)
	}
	snap := filepath.Join(filepath.Dir(path), "snapshot.db")
	if err := s.Snapshot(snap); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(snap)
	if err := s.Snapshot(snap); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(snap); !os.SameFile(before, after) {
		t.Error("an unchanged database was copied again")
	}
	s.Close()
	path = snap
	s, err = OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		reg, err := tx.Registry()
		if err != nil {
			return err
		}
		want := &eval.Registry{
			Things:        map[string]eval.ExistingThing{"t1": {ThingTypeName: "sensor", Attributes: [][2]string{{"a", "1"}, {"b", "2"}}, ThingGroups: []string{"fleet"}, BillingGroup: "bill"}},
			ThingTypes:    map[string]bool{"sensor": true},
			ThingGroups:   map[string]bool{"fleet": true},
			DynamicGroups: map[string]bool{},
			BillingGroups: map[string]bool{"bill": true},
			Certificates:  map[string]eval.ExistingCertificate{"c1": {Status: Active, Things: []string{"t1"}}},
		}
		policies := reg.Policies
		reg.Policies = nil
		if diff := cmp.Diff(want, reg); diff != "" {
			t.Errorf("registry (-want +got):\n%s", diff)
		}
		if len(policies) != 2 || policies["p"].Kind() != eval.Object || policies["broken"].Kind() != eval.Object {
			t.Errorf("policies: %d, p %v, broken %v; want both, as documents", len(policies), policies["p"].Kind(), policies["broken"].Kind())
		}
		certs, err := tx.List(ThingPrincipals, "t1")
		if diff := cmp.Diff([]string{"c1"}, certs); diff != "" || err != nil {
			t.Errorf("principals (-want +got):\n%s %v", diff, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
