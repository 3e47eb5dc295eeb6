package serve

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/iotpt/iotpt/internal/serve/broker"
	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/fleet"
	"github.com/iotpt/iotpt/internal/serve/policy"
	"github.com/iotpt/iotpt/internal/serve/provision"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// arnPrefix starts the ARNs of the local endpoint's resources.
const arnPrefix = "arn:aws:iot:" + provision.Region + ":" + provision.Account + ":"

// verifyPeer accepts a client certificate that is registered and ACTIVE.
// An unregistered one signed by a registered CA with auto-registration is
// registered PENDING_ACTIVATION and its CA's template runs (JITP); the
// handshake then fails, as AWS IoT closes a device's first connection.
func (s *Server) verifyPeer(remote string, raw [][]byte) error {
	if len(raw) == 0 {
		return errors.New("no client certificate")
	}
	leaf, err := x509.ParseCertificate(raw[0])
	if err != nil {
		return fmt.Errorf("client certificate: %v", err)
	}
	id := ca.ID(raw[0])
	var cert store.Certificate
	var found bool
	err = s.store.View(func(tx *store.Tx) error {
		found, err = tx.Get(store.Certificates, id, &cert)
		return err
	})
	switch {
	case err != nil:
		return err
	case found && cert.Status == store.Active:
		return nil
	case found:
		s.log.Info("connection refused", "remote", remote, "certificateId", id, "reason", "certificate is "+cert.Status)
		return fmt.Errorf("certificate %s is %s", id, cert.Status)
	}
	return s.justInTime(remote, leaf, id)
}

// session is what the endpoint knows of an authenticated connection.
type session struct {
	certID   string
	policies []*policy.Policy
	vars     map[string]string
}

type handler struct{ s *Server }

// Authenticate checks the certificate again (it may have changed since the
// handshake) and authorises iot:Connect for the client ID.
func (h *handler) Authenticate(c *broker.Conn) error {
	s := h.s
	if len(c.Certs) == 0 {
		return errors.New("no client certificate")
	}
	leaf := c.Certs[0]
	sess := &session{certID: ca.ID(leaf.Raw), vars: subjectVars(leaf)}
	sess.vars["iot:ClientId"] = c.ClientID
	err := s.store.View(func(tx *store.Tx) error {
		var cert store.Certificate
		if ok, err := tx.Get(store.Certificates, sess.certID, &cert); err != nil {
			return err
		} else if !ok || cert.Status != store.Active {
			return fmt.Errorf("certificate %s is not ACTIVE", sess.certID)
		}
		var th store.Thing
		if ok, err := tx.Get(store.Things, c.ClientID, &th); err != nil {
			return err
		} else if ok {
			certs, err := tx.List(store.ThingPrincipals, th.Name)
			if err != nil {
				return err
			}
			sess.vars["iot:Connection.Thing.ThingName"] = th.Name
			sess.vars["iot:Connection.Thing.IsAttached"] = strconv.FormatBool(contains(certs, sess.certID))
			if th.TypeName != "" {
				sess.vars["iot:Connection.Thing.ThingTypeName"] = th.TypeName
			}
			for k, v := range th.Attributes {
				sess.vars["iot:Connection.Thing.Attributes["+k+"]"] = v
			}
		} else {
			sess.vars["iot:Connection.Thing.IsAttached"] = "false"
		}
		names, err := tx.List(store.PrincipalPolices, sess.certID)
		if err != nil {
			return err
		}
		for _, n := range names {
			var p store.Policy
			if ok, err := tx.Get(store.Policies, n, &p); err != nil || !ok {
				continue
			}
			pol, err := policy.Parse(n, p.Document)
			if err != nil {
				s.log.Warn("policy not used", "policy", n, "error", err)
				continue
			}
			sess.policies = append(sess.policies, pol)
		}
		return nil
	})
	if err != nil {
		s.log.Info("connection refused", "client", c.ClientID, "remote", c.Remote, "reason", err.Error())
		return err
	}
	c.Data = sess
	d := policy.Evaluate(sess.policies, policy.Request{Action: string(broker.Connect), Resource: arnPrefix + "client/" + c.ClientID, Vars: sess.vars})
	if !d.Allowed {
		s.log.Info("connection refused", "client", c.ClientID, "remote", c.Remote, "certificateId", sess.certID, "reason", "iot:Connect "+d.String())
		return errors.New("not authorized")
	}
	s.log.Info("client connected", "client", c.ClientID, "remote", c.Remote, "certificateId", sess.certID, "decision", d.String())
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// subjectVars are the certificate policy variables of a certificate.
func subjectVars(cert *x509.Certificate) map[string]string {
	vars := map[string]string{"iot:Certificate.SerialNumber": cert.SerialNumber.String()}
	add := func(prefix string, n pkix.Name) {
		for attr, vals := range map[string][]string{
			"Country": n.Country, "Organization": n.Organization, "OrganizationalUnit": n.OrganizationalUnit,
			"State": n.Province, "Locality": n.Locality, "CommonName": {n.CommonName}, "SerialNumber": {n.SerialNumber},
		} {
			if len(vals) > 0 && vals[0] != "" {
				vars[prefix+attr] = vals[0]
			}
		}
	}
	add("iot:Certificate.Subject.", cert.Subject)
	add("iot:Certificate.Issuer.", cert.Issuer)
	return vars
}

// Authorize decides an action from the connection's policies and logs a
// refusal with the statement that decided.
func (h *handler) Authorize(c *broker.Conn, action broker.Action, topic string) bool {
	sess, ok := c.Data.(*session)
	if !ok {
		return false
	}
	kind := "topic/"
	if action == broker.Subscribe {
		kind = "topicfilter/"
	}
	d := policy.Evaluate(sess.policies, policy.Request{Action: string(action), Resource: arnPrefix + kind + topic, Vars: sess.vars})
	if !d.Allowed {
		h.s.log.Info("action refused", "client", c.ClientID, "action", string(action), "topic", topic, "decision", d.String())
	} else {
		h.s.log.Debug("action allowed", "client", c.ClientID, "action", string(action), "topic", topic, "decision", d.String())
	}
	return d.Allowed
}

// Handle answers the fleet provisioning API.
func (h *handler) Handle(c *broker.Conn, topic string, payload []byte) (string, []byte, bool) {
	if !fleet.IsAPITopic(topic) {
		return "", nil, false
	}
	sess, _ := c.Data.(*session)
	if sess == nil {
		return "", nil, false
	}
	reply, ok := h.s.fleet.Handle(h.s.ctx, fleet.Request{ClientID: c.ClientID, CertID: sess.certID, Topic: topic, Payload: payload})
	return reply.Topic, reply.Payload, ok
}

// Disconnected logs the end of a connection.
func (h *handler) Disconnected(c *broker.Conn, err error) {
	reason := "closed"
	if err != nil {
		reason = err.Error()
	}
	h.s.log.Info("client disconnected", "client", c.ClientID, "reason", strings.TrimSpace(reason))
}
