package serve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/serve/broker"
	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/fleet"
	"github.com/iotpt/iotpt/internal/serve/provision"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// DBFile is the database file in the endpoint's directory.
const DBFile = "state.db"

// SnapshotFile is a copy of the database, at most SnapshotInterval old,
// that other processes (iotpt plan --existing DIR) read while the endpoint
// runs and holds the database's lock.
const SnapshotFile = "state.snapshot.db"

// SnapshotInterval is how often the snapshot is refreshed when the
// database changed.
const SnapshotInterval = time.Second

// ClaimPolicy is the name of the claim certificate's policy.
const ClaimPolicy = "iotpt-serve-claim"

// Config is what an endpoint runs with.
type Config struct {
	Dir       string
	MQTTAddr  string      // host:port; port 0 picks a free one
	APIAddr   string      // host:port; port 0 picks a free one
	Templates []NamedFile // fleet provisioning templates: name, file
	JITP      []NamedFile // Name: CA certificate PEM file, Path: registration config file
	Hooks     []NamedFile // Name: template name, Path: hook URL
	Log       *slog.Logger
}

// Info is what iotpt serve prints when it is ready: where to connect and
// with which files.
type Info struct {
	MQTT      string   `json:"mqtt"`
	API       string   `json:"api"`
	Dir       string   `json:"dir"`
	RootCA    string   `json:"rootCA"`
	ClaimCert string   `json:"claimCert"`
	ClaimKey  string   `json:"claimKey"`
	Templates []string `json:"templates"`
}

// Server is a running endpoint.
type Server struct {
	cfg    Config
	log    *slog.Logger
	store  *store.Store
	ca     *ca.CA
	fleet  *fleet.Service
	broker *broker.Broker
	api    *http.Server
	apiLn  net.Listener
	ctx    context.Context
	cancel context.CancelFunc

	closeOnce sync.Once
	closeErr  error
	snapshots sync.WaitGroup

	mu        sync.RWMutex
	templates map[string]*fleet.Template
	jitp      map[string]*jitpCA // CA certificate ID -> CA with auto-registration
}

// Start runs an endpoint; it is serving when Start returns.
func Start(cfg Config) (_ *Server, err error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Log, templates: map[string]*fleet.Template{}, jitp: map[string]*jitpCA{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.ca, err = ca.Load(cfg.Dir); err != nil {
		return nil, err
	}
	if s.store, err = store.Open(filepath.Join(cfg.Dir, DBFile)); err != nil {
		return nil, err
	}
	if err = s.loadTemplates(); err != nil {
		return nil, err
	}
	if err = s.loadJITP(); err != nil {
		return nil, err
	}
	if err = s.setUpClaim(); err != nil {
		return nil, err
	}
	s.fleet = &fleet.Service{Store: s.store, CA: s.ca, Templates: s.template, Log: s.log}
	serverCert, err := s.ca.ServerCert(cfg.Dir)
	if err != nil {
		return nil, err
	}
	base := &tls.Config{
		Certificates: []tls.Certificate{serverCert},
		ClientAuth:   tls.RequireAnyClientCert,
		MinVersion:   tls.VersionTLS12,
	}
	// Each connection's config knows the client's address, for the log.
	tlsConfig := base.Clone()
	tlsConfig.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		c := base.Clone()
		remote := hello.Conn.RemoteAddr().String()
		c.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error { return s.verifyPeer(remote, raw) }
		return c, nil
	}
	mochiLog := slog.New(levelFilter{s.log.Handler(), slog.LevelError})
	if s.broker, err = broker.Start(cfg.MQTTAddr, tlsConfig, &handler{s}, mochiLog); err != nil {
		return nil, err
	}
	if err = s.startAPI(); err != nil {
		return nil, err
	}
	if err = s.store.Snapshot(filepath.Join(cfg.Dir, SnapshotFile)); err != nil {
		return nil, err
	}
	s.snapshots.Go(s.snapshotLoop)
	return s, nil
}

// snapshotLoop refreshes the snapshot until the endpoint stops.
func (s *Server) snapshotLoop() {
	path := filepath.Join(s.cfg.Dir, SnapshotFile)
	tick := time.NewTicker(SnapshotInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.store.Snapshot(path); err != nil {
			s.log.Warn("snapshot not written", "file", path, "error", err)
		}
	}
}

// Info says where the endpoint listens.
func (s *Server) Info() Info {
	return Info{
		MQTT:      s.broker.Addr(),
		API:       "http://" + s.apiLn.Addr().String(),
		Dir:       s.cfg.Dir,
		RootCA:    filepath.Join(s.cfg.Dir, ca.RootCertFile),
		ClaimCert: filepath.Join(s.cfg.Dir, ca.ClaimCertFile),
		ClaimKey:  filepath.Join(s.cfg.Dir, ca.ClaimKeyFile),
		Templates: s.templateNames(true),
	}
}

// templateNames returns the names of the templates, sorted: the enabled
// ones, or all.
func (s *Server) templateNames(enabledOnly bool) []string {
	s.mu.RLock()
	names := make([]string, 0, len(s.templates))
	for n, t := range s.templates {
		if t.Enabled || !enabledOnly {
			names = append(names, n)
		}
	}
	s.mu.RUnlock()
	slices.Sort(names)
	return names
}

// Close stops the endpoint: connections are closed and the database is
// closed with every accepted change on disk. Only the first call acts.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Server) close() error {
	s.cancel()
	s.snapshots.Wait()
	var errs []error
	if s.broker != nil {
		errs = append(errs, s.broker.Close())
	}
	if s.api != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		errs = append(errs, s.api.Shutdown(ctx))
		cancel()
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
	}
	return errors.Join(errs...)
}

func (s *Server) template(name string) (*fleet.Template, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.templates[name]
	return t, ok
}

// loadTemplates compiles the templates stored by earlier runs (created
// through the API) and those of --template, which replace stored ones of
// the same name.
func (s *Server) loadTemplates() error {
	hooks := map[string]string{}
	for _, h := range s.cfg.Hooks {
		hooks[h.Name] = h.Path
	}
	now := time.Now().UTC()
	err := s.store.Update(func(tx *store.Tx) error {
		for _, nf := range s.cfg.Templates {
			prog, text, err := readTemplate(nf.Path, eval.FleetProvisioning)
			if err != nil {
				return fmt.Errorf("--template %s=%s: %w", nf.Name, nf.Path, err)
			}
			if err := tx.Put(store.Templates, nf.Name, store.Template{Name: nf.Name, Body: string(text), Type: eval.FleetProvisioning, Enabled: true, HookURL: hooks[nf.Name], CreatedAt: now}); err != nil {
				return err
			}
			s.templates[nf.Name] = &fleet.Template{Name: nf.Name, Program: prog, HookURL: hooks[nf.Name], Enabled: true}
			if f := prog.File(); f.Wrapper != nil && f.WrapperField("preProvisioningHook") != nil && hooks[nf.Name] == "" {
				s.log.Warn("the template has a preProvisioningHook, which is not called: give --hook "+nf.Name+"=URL for a stand-in", "template", nf.Name)
			}
		}
		return store.Each(tx, store.Templates, func(name string, t *store.Template) error {
			if _, ok := s.templates[name]; ok || t.Type != eval.FleetProvisioning {
				return nil
			}
			prog, err := compileTemplate(name, []byte(t.Body), eval.FleetProvisioning)
			if err != nil {
				s.log.Warn("stored template not loaded", "template", name, "error", err)
				return nil
			}
			hook := t.HookURL
			if h, ok := hooks[name]; ok {
				hook = h
			}
			s.templates[name] = &fleet.Template{Name: name, Program: prog, HookURL: hook, Enabled: t.Enabled}
			return nil
		})
	})
	if err != nil {
		return err
	}
	for name := range hooks {
		if _, ok := s.templates[name]; !ok {
			return fmt.Errorf("--hook %s: no template is named %s", name, name)
		}
	}
	return nil
}

// setUpClaim makes the claim certificate on first use, registers it ACTIVE
// and attaches the claim policy: Connect with any client ID; Publish,
// Subscribe and Receive on the certificate topics and the provisioning
// topics of every loaded template (the policy AWS documents).
func (s *Server) setUpClaim() error {
	certPEM, made, err := s.ca.Claim(s.cfg.Dir)
	if err != nil {
		return err
	}
	c, err := eval.ParseCertificate(certPEM)
	if err != nil {
		return err
	}
	if made {
		s.log.Info("claim certificate created", "certificateId", c.ID, "file", filepath.Join(s.cfg.Dir, ca.ClaimCertFile))
	}
	now := time.Now().UTC()
	return s.store.Update(func(tx *store.Tx) error {
		var cert store.Certificate
		if ok, err := tx.Get(store.Certificates, c.ID, &cert); err != nil {
			return err
		} else if !ok {
			cert = store.Certificate{ID: c.ID, PEM: string(certPEM), Status: store.Active, CreatedAt: now}
			if err := tx.Put(store.Certificates, c.ID, cert); err != nil {
				return err
			}
		}
		if err := s.putClaimPolicy(tx); err != nil {
			return err
		}
		return tx.AddToList(store.PrincipalPolices, c.ID, ClaimPolicy)
	})
}

// putClaimPolicy writes the claim policy for the templates now loaded,
// disabled ones included: a device then meets the template's refusal, as
// with AWS IoT, where the claim policy does not follow the enabled flag.
func (s *Server) putClaimPolicy(tx *store.Tx) error {
	return tx.Put(store.Policies, ClaimPolicy, store.Policy{Name: ClaimPolicy, Document: claimPolicy(s.templateNames(false)), Version: "1", CreatedAt: time.Now().UTC()})
}

func claimPolicy(templates []string) string {
	arn := "arn:aws:iot:" + provision.Region + ":" + provision.Account + ":"
	topics := []string{"$aws/certificates/create/*", "$aws/certificates/create-from-csr/*"}
	for _, t := range templates {
		topics = append(topics, "$aws/provisioning-templates/"+t+"/provision/*")
	}
	var pub, sub []string
	for _, t := range topics {
		pub, sub = append(pub, arn+"topic/"+t), append(sub, arn+"topicfilter/"+t)
	}
	type stmt struct {
		Effect   string `json:"Effect"`
		Action   any    `json:"Action"`
		Resource any    `json:"Resource"`
	}
	doc, _ := json.MarshalIndent(map[string]any{
		"Version": "2012-10-17",
		"Statement": []stmt{
			{"Allow", "iot:Connect", "*"},
			{"Allow", []string{"iot:Publish", "iot:Receive"}, pub},
			{"Allow", "iot:Subscribe", sub},
		},
	}, "", "  ")
	return string(doc)
}

// levelFilter passes on records at or above a level (the broker library's
// own log is mostly noise next to the endpoint's).
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(attrs), f.min}
}

func (f levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(name), f.min}
}

// JSONLine is the line iotpt serve prints when ready: Info as one JSON
// object, spaced as the contract writes it ({"mqtt": "...", "api": ...}),
// ending in a newline.
func (i Info) JSONLine() []byte {
	str := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	names := make([]string, len(i.Templates))
	for k, n := range i.Templates {
		names[k] = str(n)
	}
	return fmt.Appendf(nil, `{"mqtt": %s, "api": %s, "dir": %s, "rootCA": %s, "claimCert": %s, "claimKey": %s, "templates": [%s]}`+"\n",
		str(i.MQTT), str(i.API), str(i.Dir), str(i.RootCA), str(i.ClaimCert), str(i.ClaimKey), strings.Join(names, ", "))
}

// ReadRegistry reads the registry of an endpoint's directory (for iotpt
// plan --existing DIR): its things, thing types, thing groups, billing
// groups and policies. While the endpoint runs, it reads the snapshot.
func ReadRegistry(dir string) (*eval.Registry, error) {
	st, err := store.OpenReadOnly(filepath.Join(dir, DBFile))
	if errors.Is(err, store.ErrInUse) {
		st, err = store.OpenReadOnly(filepath.Join(dir, SnapshotFile))
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var reg *eval.Registry
	err = st.View(func(tx *store.Tx) error {
		reg, err = tx.Registry()
		return err
	})
	return reg, err
}
