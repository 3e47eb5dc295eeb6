package serve

import (
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/serve/api"
	"github.com/iotpt/iotpt/internal/serve/fleet"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// startAPI serves the control plane.
func (s *Server) startAPI() error {
	ln, err := net.Listen("tcp", s.cfg.APIAddr)
	if err != nil {
		return err
	}
	s.apiLn = ln
	a := &api.API{Store: s.store, CA: s.ca, MQTTAddr: s.broker.Addr(), Log: s.log,
		LoadTemplate: s.apiTemplate, DropTemplate: s.dropTemplate, LoadCA: s.apiCA}
	s.api = &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.api.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("control plane stopped", "error", err)
		}
	}()
	return nil
}

// apiTemplate compiles a template created or updated through the control
// plane; a fleet provisioning template goes into service (refusing every
// device while disabled), and into the claim policy when enabled.
func (s *Server) apiTemplate(tx *store.Tx, t *store.Template) error {
	prog, err := compileTemplate(t.Name, []byte(t.Body), t.Type)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if t.Type == eval.FleetProvisioning {
		s.templates[t.Name] = &fleet.Template{Name: t.Name, Program: prog, HookURL: t.HookURL, Enabled: t.Enabled}
	} else {
		delete(s.templates, t.Name)
	}
	s.mu.Unlock()
	s.log.Info("provisioning template changed", "template", t.Name, "enabled", t.Enabled, "type", t.Type)
	return s.putClaimPolicy(tx)
}

// dropTemplate takes a deleted template out of service.
func (s *Server) dropTemplate(tx *store.Tx, name string) error {
	s.mu.Lock()
	delete(s.templates, name)
	s.mu.Unlock()
	s.log.Info("provisioning template deleted", "template", name)
	return s.putClaimPolicy(tx)
}

// apiCA checks a CA registered through the control plane and, when it is
// ACTIVE with auto-registration, uses it for JITP.
func (s *Server) apiCA(c *store.CA) error {
	if _, err := parseCACert("caCertificate", []byte(c.PEM)); err != nil {
		return err
	}
	if c.Status != store.Active || !c.AutoRegistration {
		return nil
	}
	return s.addJITP(c)
}
