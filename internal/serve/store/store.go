// Package store is the state of a local AWS IoT endpoint (iotpt serve):
// certificates, CA certificates, things, thing groups and types, policies,
// their attachments, provisioning templates and certificate ownership
// tokens, in one bbolt database file.
//
// Every change is one bbolt transaction, committed (and synced to disk)
// before the endpoint answers, so a device whose RegisterThing was accepted
// survives a kill -9 of the server.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/iotpt/iotpt/eval"
)

// Bucket names one kind of record.
type Bucket string

// The buckets. Keys are the AWS identifiers: certificate IDs (hex SHA-256
// of the DER), names, or tokens.
const (
	Certificates      Bucket = "certificates"      // certificate ID -> Certificate
	CAs               Bucket = "cas"               // CA certificate ID -> CA
	Things            Bucket = "things"            // thing name -> Thing
	ThingGroups       Bucket = "thingGroups"       // group name -> Group
	BillingGroups     Bucket = "billingGroups"     // group name -> Group
	ThingTypes        Bucket = "thingTypes"        // type name -> ThingType
	Policies          Bucket = "policies"          // policy name -> Policy
	PrincipalPolices  Bucket = "principalPolicies" // certificate ID -> []string policy names
	ThingPrincipals   Bucket = "thingPrincipals"   // thing name -> []string certificate IDs
	CertificateThings Bucket = "certificateThings" // certificate ID -> []string thing names
	Templates         Bucket = "templates"         // template name -> Template
	Tokens            Bucket = "tokens"            // ownership token -> Token
)

var buckets = []Bucket{Certificates, CAs, Things, ThingGroups, BillingGroups, ThingTypes, Policies, PrincipalPolices, ThingPrincipals, CertificateThings, Templates, Tokens}

// Certificate statuses, as AWS IoT names them.
const (
	Active            = "ACTIVE"
	Inactive          = "INACTIVE"
	PendingActivation = "PENDING_ACTIVATION"
	Revoked           = "REVOKED"
)

// Certificate is a device (or claim) certificate.
type Certificate struct {
	ID        string    `json:"certificateId"`
	PEM       string    `json:"certificatePem"`
	Status    string    `json:"status"`
	CAID      string    `json:"caCertificateId,omitempty"` // the registered CA that signed it, for JITP
	CreatedAt time.Time `json:"creationDate"`
}

// CA is a registered CA certificate.
type CA struct {
	ID                 string    `json:"certificateId"`
	PEM                string    `json:"certificatePem"`
	Status             string    `json:"status"`
	AutoRegistration   bool      `json:"autoRegistrationStatus"`
	RegistrationConfig string    `json:"registrationConfig,omitempty"` // the JITP template, as given
	CreatedAt          time.Time `json:"creationDate"`
}

// Thing is a registry thing.
type Thing struct {
	Name       string            `json:"thingName"`
	TypeName   string            `json:"thingTypeName,omitempty"`
	Attributes map[string]string `json:"attributes"`
	Groups     []string          `json:"thingGroups,omitempty"`
	Billing    string            `json:"billingGroupName,omitempty"`
	Version    int64             `json:"version"`
}

// Group is a thing group or a billing group.
type Group struct {
	Name      string    `json:"thingGroupName"`
	CreatedAt time.Time `json:"creationDate"`
}

// ThingType is a thing type.
type ThingType struct {
	Name      string    `json:"thingTypeName"`
	CreatedAt time.Time `json:"creationDate"`
}

// Policy is an AWS IoT policy.
type Policy struct {
	Name      string    `json:"policyName"`
	Document  string    `json:"policyDocument"`
	Version   string    `json:"defaultVersionId"`
	CreatedAt time.Time `json:"creationDate"`
}

// Template is a provisioning template as stored: its body in any form iotpt
// reads, and its name.
type Template struct {
	Name      string    `json:"templateName"`
	Body      string    `json:"templateBody"`
	Type      string    `json:"type"`
	Enabled   bool      `json:"enabled"`
	RoleArn   string    `json:"provisioningRoleArn,omitempty"`
	HookURL   string    `json:"hookUrl,omitempty"`
	CreatedAt time.Time `json:"creationDate"`
}

// Token is a certificate ownership token.
type Token struct {
	CertificateID string    `json:"certificateId"`
	Expires       time.Time `json:"expires"`
}

// Store is the endpoint's database.
type Store struct {
	db    *bolt.DB
	dirty atomic.Bool // changed since the last Snapshot
}

// Open opens (or creates) the database file. It fails after a second when
// another process holds it.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%s is in use by another iotpt serve", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	st := &Store{db: db}
	st.dirty.Store(true)
	return st, nil
}

// ErrInUse is returned when a running endpoint holds the database.
var ErrInUse = errors.New("in use by a running iotpt serve")

// OpenReadOnly opens an existing database for reading. It fails after a
// second, with ErrInUse, when a running endpoint holds it.
func OpenReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Update runs fn in one read-write transaction: every change fn makes is
// on disk when Update returns nil, and none is when it returns an error.
func (s *Store) Update(fn func(*Tx) error) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
	if err == nil {
		s.dirty.Store(true)
	}
	return err
}

// Snapshot copies the database to path (written aside, then renamed, so a
// reader never sees half a copy) if it changed since the last snapshot. A
// running endpoint holds its database's lock; the snapshot is what other
// processes read meanwhile.
func (s *Store) Snapshot(path string) error {
	if !s.dirty.Swap(false) {
		return nil
	}
	tmp := path + ".tmp"
	err := s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		s.dirty.Store(true)
		os.Remove(tmp)
	}
	return err
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// Tx is a transaction.
type Tx struct{ tx *bolt.Tx }

// Get reads the record key of bucket b into v and reports whether it exists.
func (t *Tx) Get(b Bucket, key string, v any) (bool, error) {
	raw := t.tx.Bucket([]byte(b)).Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("%s %q: %w", b, key, err)
	}
	return true, nil
}

// Has reports whether bucket b has a record key.
func (t *Tx) Has(b Bucket, key string) bool {
	return t.tx.Bucket([]byte(b)).Get([]byte(key)) != nil
}

// Put writes v as the record key of bucket b.
func (t *Tx) Put(b Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.tx.Bucket([]byte(b)).Put([]byte(key), raw)
}

// Delete removes the record key of bucket b.
func (t *Tx) Delete(b Bucket, key string) error {
	return t.tx.Bucket([]byte(b)).Delete([]byte(key))
}

// Keys returns the keys of bucket b in order.
func (t *Tx) Keys(b Bucket) []string {
	var keys []string
	_ = t.tx.Bucket([]byte(b)).ForEach(func(k, _ []byte) error {
		keys = append(keys, string(k))
		return nil
	})
	return keys
}

// Each decodes every record of bucket b in key order into a fresh value
// from newV and calls fn with it.
func Each[T any](t *Tx, b Bucket, fn func(key string, v *T) error) error {
	return t.tx.Bucket([]byte(b)).ForEach(func(k, raw []byte) error {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("%s %q: %w", b, k, err)
		}
		return fn(string(k), v)
	})
}

// AddToList adds item to the string list stored at key (an attachment), once.
func (t *Tx) AddToList(b Bucket, key, item string) error {
	var list []string
	if _, err := t.Get(b, key, &list); err != nil {
		return err
	}
	if slices.Contains(list, item) {
		return nil
	}
	return t.Put(b, key, append(list, item))
}

// RemoveFromList removes item from the string list stored at key.
func (t *Tx) RemoveFromList(b Bucket, key, item string) error {
	var list []string
	if _, err := t.Get(b, key, &list); err != nil {
		return err
	}
	list = slices.DeleteFunc(list, func(s string) bool { return s == item })
	if len(list) == 0 {
		return t.Delete(b, key)
	}
	return t.Put(b, key, list)
}

// List returns the string list stored at key.
func (t *Tx) List(b Bucket, key string) ([]string, error) {
	var list []string
	_, err := t.Get(b, key, &list)
	return list, err
}

// AttachThingPrincipal attaches a certificate to a thing (both ways: the
// thing's principals and the certificate's things).
func (t *Tx) AttachThingPrincipal(thing, certID string) error {
	if err := t.AddToList(ThingPrincipals, thing, certID); err != nil {
		return err
	}
	return t.AddToList(CertificateThings, certID, thing)
}

// Registry returns the registry state a plan is checked against, with
// every thing and certificate.
func (t *Tx) Registry() (*eval.Registry, error) {
	return t.registry(t.Keys(Things), t.Keys(Certificates))
}

// RegistryFor returns the registry with only the things and certificates
// named (those that exist) besides every thing type, group, billing group
// and policy: planning one device then costs the same however many things
// exist.
func (t *Tx) RegistryFor(things, certIDs []string) (*eval.Registry, error) {
	return t.registry(things, certIDs)
}

// registryFile is the registry in the format of iotpt plan's --existing
// file, which eval reads.
type registryFile struct {
	Things        map[string]registryThing       `json:"things"`
	ThingTypes    []string                       `json:"thingTypes,omitempty"`
	ThingGroups   []string                       `json:"thingGroups,omitempty"`
	BillingGroups []string                       `json:"billingGroups,omitempty"`
	Policies      map[string]json.RawMessage     `json:"policies"`
	Certificates  map[string]registryCertificate `json:"certificates"`
}

type registryThing struct {
	ThingTypeName string            `json:"thingTypeName,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty"`
	ThingGroups   []string          `json:"thingGroups,omitempty"`
	BillingGroup  string            `json:"billingGroup,omitempty"`
}

type registryCertificate struct {
	Status   string   `json:"status"`
	Things   []string `json:"things,omitempty"`
	Policies []string `json:"policies,omitempty"`
}

func (t *Tx) registry(things, certIDs []string) (*eval.Registry, error) {
	f := registryFile{
		Things: map[string]registryThing{}, Policies: map[string]json.RawMessage{}, Certificates: map[string]registryCertificate{},
		ThingTypes: t.Keys(ThingTypes), ThingGroups: t.Keys(ThingGroups), BillingGroups: t.Keys(BillingGroups),
	}
	for _, name := range things {
		var th Thing
		if ok, err := t.Get(Things, name, &th); err != nil {
			return nil, err
		} else if ok {
			f.Things[name] = registryThing{ThingTypeName: th.TypeName, Attributes: th.Attributes, ThingGroups: th.Groups, BillingGroup: th.Billing}
		}
	}
	for _, id := range certIDs {
		var c Certificate
		if ok, err := t.Get(Certificates, id, &c); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		rc := registryCertificate{Status: c.Status}
		var err error
		if rc.Things, err = t.List(CertificateThings, id); err != nil {
			return nil, err
		}
		if rc.Policies, err = t.List(PrincipalPolices, id); err != nil {
			return nil, err
		}
		f.Certificates[id] = rc
	}
	err := Each(t, Policies, func(name string, p *Policy) error {
		doc := json.RawMessage(p.Document)
		if !json.Valid(doc) || !bytes.HasPrefix(bytes.TrimSpace(doc), []byte("{")) {
			doc = json.RawMessage("{}") // not a document a plan can compare
		}
		f.Policies[name] = doc
		return nil
	})
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	reg, diags := eval.ParseRegistry("the endpoint's registry", data)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return reg, nil
}
