package serve

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/provision"
	"github.com/iotpt/iotpt/internal/serve/store"
	"github.com/iotpt/iotpt/template"
)

// jitpCA is a registered CA with auto-registration.
type jitpCA struct {
	cert *x509.Certificate
	prog *eval.Program // the registration config's template; nil for none
}

// parseCACert reads the first certificate of a PEM text.
func parseCACert(name string, data []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s: no -----BEGIN CERTIFICATE----- block", name)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("%s: the certificate is not a CA certificate (basicConstraints CA:TRUE)", name)
	}
	return cert, nil
}

// loadJITP registers the CAs of --jitp with their registration configs
// and loads those registered by earlier runs.
func (s *Server) loadJITP() error {
	now := time.Now().UTC()
	return s.store.Update(func(tx *store.Tx) error {
		for _, j := range s.cfg.JITP {
			pemText, err := input.Read(j.Name, nil, template.DefaultMaxBytes)
			if err != nil {
				return fmt.Errorf("--jitp %s=%s: %w", j.Name, j.Path, err)
			}
			cert, err := parseCACert(j.Name, pemText)
			if err != nil {
				return fmt.Errorf("--jitp: %w", err)
			}
			prog, config, err := readTemplate(j.Path, eval.JITP)
			if err != nil {
				return fmt.Errorf("--jitp %s=%s: %w", j.Name, j.Path, err)
			}
			id := ca.ID(cert.Raw)
			rec := store.CA{ID: id, PEM: string(pemText), Status: store.Active, AutoRegistration: true, RegistrationConfig: string(config), CreatedAt: now}
			if err := tx.Put(store.CAs, id, rec); err != nil {
				return err
			}
			s.jitp[id] = &jitpCA{cert: cert, prog: prog}
		}
		return store.Each(tx, store.CAs, func(id string, c *store.CA) error {
			if _, ok := s.jitp[id]; ok || !c.AutoRegistration || c.Status != store.Active {
				return nil
			}
			return s.addJITP(c)
		})
	})
}

// addJITP makes a stored CA with auto-registration usable for JITP.
func (s *Server) addJITP(c *store.CA) error {
	cert, err := parseCACert("CA "+c.ID, []byte(c.PEM))
	if err != nil {
		return err
	}
	j := &jitpCA{cert: cert}
	if c.RegistrationConfig != "" {
		if j.prog, err = compileTemplate("registration config of CA "+c.ID, []byte(c.RegistrationConfig), eval.JITP); err != nil {
			s.log.Warn("CA registration config not loaded", "caCertificateId", c.ID, "error", err)
			j.prog = nil
		}
	}
	s.mu.Lock()
	s.jitp[c.ID] = j
	s.mu.Unlock()
	return nil
}

// errJITP ends a device's first connection after JITP.
var errJITP = errors.New("certificate registered by just-in-time provisioning: reconnect")

// justInTime registers an unknown certificate signed by a registered CA
// with auto-registration PENDING_ACTIVATION and runs the CA's template.
// It always returns an error: the connection is closed.
func (s *Server) justInTime(remote string, leaf *x509.Certificate, id string) error {
	s.mu.RLock()
	var caID string
	var j *jitpCA
	for cid, c := range s.jitp {
		if leaf.CheckSignatureFrom(c.cert) == nil {
			caID, j = cid, c
			break
		}
	}
	s.mu.RUnlock()
	if j == nil {
		s.log.Info("connection refused", "remote", remote, "certificateId", id, "reason", "certificate not registered, and not signed by a registered CA with auto-registration")
		return fmt.Errorf("certificate %s is not registered", id)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw})
	err := s.store.Update(func(tx *store.Tx) error {
		if tx.Has(store.Certificates, id) {
			return nil
		}
		return tx.Put(store.Certificates, id, store.Certificate{ID: id, PEM: string(certPEM), Status: store.PendingActivation, CAID: caID, CreatedAt: time.Now().UTC()})
	})
	if err != nil {
		return err
	}
	s.log.Info("certificate auto-registered", "remote", remote, "certificateId", id, "caCertificateId", caID, "status", store.PendingActivation)
	if j.prog == nil {
		return errJITP
	}
	cert, err := eval.ParseCertificate(certPEM)
	if err != nil {
		return err
	}
	var plan *eval.Plan
	err = s.store.Update(func(tx *store.Tx) error {
		var err error
		plan, err = provision.Run(tx, j.prog, eval.Input{Type: eval.JITP, Certificate: cert}, id)
		return err
	})
	switch {
	case errors.Is(err, provision.ErrFailed):
		for _, d := range plan.Errors {
			s.log.Info("JITP failed; the certificate stays PENDING_ACTIVATION", "certificateId", id, "error", d.String())
		}
	case err != nil:
		s.log.Error("JITP failed", "certificateId", id, "error", err)
	default:
		s.log.Info("device provisioned by JITP", "certificateId", id, "thingName", plan.ThingName.Text())
	}
	return errJITP
}
