package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/provision"
	"github.com/iotpt/iotpt/internal/serve/store"
)

type hookConfig struct {
	TargetArn      string `json:"targetArn"`
	PayloadVersion string `json:"payloadVersion,omitempty"`
}

type templateInput struct {
	TemplateName              string      `json:"templateName"`
	Description               string      `json:"description"`
	TemplateBody              string      `json:"templateBody"`
	Enabled                   *bool       `json:"enabled"`
	ProvisioningRoleArn       string      `json:"provisioningRoleArn"`
	PreProvisioningHook       *hookConfig `json:"preProvisioningHook"`
	RemovePreProvisioningHook bool        `json:"removePreProvisioningHook"`
	Type                      string      `json:"type"`
}

func (a *API) createTemplate(r *http.Request) (any, error) {
	var in templateInput
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	if in.TemplateName == "" || in.TemplateBody == "" || in.ProvisioningRoleArn == "" {
		return nil, invalid("templateName, templateBody and provisioningRoleArn are required")
	}
	t := &store.Template{Name: in.TemplateName, Body: in.TemplateBody, Type: in.Type, Enabled: in.Enabled != nil && *in.Enabled, RoleArn: in.ProvisioningRoleArn, CreatedAt: time.Now().UTC()}
	if t.Type == "" {
		t.Type = "FLEET_PROVISIONING"
	}
	if in.PreProvisioningHook != nil {
		t.HookURL = in.PreProvisioningHook.TargetArn
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		if tx.Has(store.Templates, t.Name) {
			return exists("provisioning template %s already exists", t.Name)
		}
		if err := a.LoadTemplate(tx, t); err != nil {
			return invalid("%v", err)
		}
		return tx.Put(store.Templates, t.Name, t)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"templateArn": arn("provisioningtemplate", t.Name), "templateName": t.Name, "defaultVersionId": 1}, nil
}

func (a *API) getTemplate(name string) (*store.Template, error) {
	var t store.Template
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(store.Templates, name, &t); err != nil || !ok {
			return errors.Join(err, notFound("provisioning template %s does not exist", name))
		}
		return nil
	})
	return &t, err
}

func templateJSON(t *store.Template) map[string]any {
	return map[string]any{"templateArn": arn("provisioningtemplate", t.Name), "templateName": t.Name, "creationDate": epoch(t.CreatedAt),
		"lastModifiedDate": epoch(t.CreatedAt), "enabled": t.Enabled, "type": t.Type}
}

func (a *API) describeTemplate(r *http.Request) (any, error) {
	t, err := a.getTemplate(r.PathValue("templateName"))
	if err != nil {
		return nil, err
	}
	out := templateJSON(t)
	out["templateBody"], out["defaultVersionId"], out["provisioningRoleArn"] = t.Body, 1, t.RoleArn
	if t.HookURL != "" {
		out["preProvisioningHook"] = hookConfig{TargetArn: t.HookURL, PayloadVersion: "2020-04-01"}
	}
	return out, nil
}

func (a *API) listTemplates(r *http.Request) (any, error) {
	list := []map[string]any{}
	err := a.Store.View(func(tx *store.Tx) error {
		return store.Each(tx, store.Templates, func(_ string, t *store.Template) error {
			list = append(list, templateJSON(t))
			return nil
		})
	})
	return map[string]any{"templates": list}, err
}

func (a *API) updateTemplate(r *http.Request) (any, error) {
	name := r.PathValue("templateName")
	var in templateInput
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		var t store.Template
		if ok, err := tx.Get(store.Templates, name, &t); err != nil || !ok {
			return errors.Join(err, notFound("provisioning template %s does not exist", name))
		}
		if in.Enabled != nil {
			t.Enabled = *in.Enabled
		}
		if in.ProvisioningRoleArn != "" {
			t.RoleArn = in.ProvisioningRoleArn
		}
		if in.PreProvisioningHook != nil {
			t.HookURL = in.PreProvisioningHook.TargetArn
		}
		if in.RemovePreProvisioningHook {
			t.HookURL = ""
		}
		if err := a.LoadTemplate(tx, &t); err != nil {
			return invalid("%v", err)
		}
		return tx.Put(store.Templates, name, t)
	})
	return struct{}{}, err
}

func (a *API) deleteTemplate(r *http.Request) (any, error) {
	name := r.PathValue("templateName")
	err := a.Store.Update(func(tx *store.Tx) error {
		if !tx.Has(store.Templates, name) {
			return notFound("provisioning template %s does not exist", name)
		}
		if err := tx.Delete(store.Templates, name); err != nil {
			return err
		}
		return a.DropTemplate(tx, name)
	})
	return struct{}{}, err
}

func (a *API) registerCACertificate(r *http.Request) (any, error) {
	var in struct {
		CACertificate      string `json:"caCertificate"`
		RegistrationConfig *struct {
			TemplateBody string `json:"templateBody"`
			RoleArn      string `json:"roleArn"`
		} `json:"registrationConfig"`
	}
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	der, err := ca.CertificateDER(in.CACertificate)
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Type: "CertificateValidationException", Message: err.Error()}
	}
	q := r.URL.Query()
	c := &store.CA{ID: ca.ID(der), PEM: in.CACertificate, Status: store.Inactive, AutoRegistration: q.Get("allowAutoRegistration") == "true", CreatedAt: time.Now().UTC()}
	if q.Get("setAsActive") == "true" {
		c.Status = store.Active
	}
	if rc := in.RegistrationConfig; rc != nil && rc.TemplateBody != "" {
		cfg, _ := json.Marshal(map[string]string{"templateBody": rc.TemplateBody, "roleArn": rc.RoleArn})
		c.RegistrationConfig = string(cfg)
	}
	err = a.Store.Update(func(tx *store.Tx) error {
		if tx.Has(store.CAs, c.ID) {
			return exists("CA certificate %s is already registered", c.ID)
		}
		if err := a.LoadCA(c); err != nil {
			return &Error{Status: http.StatusBadRequest, Type: "CertificateValidationException", Message: err.Error()}
		}
		return tx.Put(store.CAs, c.ID, c)
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"certificateArn": arn("cacert", c.ID), "certificateId": c.ID}, nil
}

func caJSON(c *store.CA) map[string]any {
	auto := "DISABLE"
	if c.AutoRegistration {
		auto = "ENABLE"
	}
	return map[string]any{"certificateArn": arn("cacert", c.ID), "certificateId": c.ID, "status": c.Status, "autoRegistrationStatus": auto,
		"creationDate": epoch(c.CreatedAt)}
}

func (a *API) describeCACertificate(r *http.Request) (any, error) {
	cid := r.PathValue("caCertificateId")
	var c store.CA
	err := a.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Get(store.CAs, cid, &c); err != nil || !ok {
			return errors.Join(err, notFound("CA certificate %s does not exist", cid))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := caJSON(&c)
	d["certificatePem"], d["ownedBy"], d["lastModifiedDate"], d["certificateMode"] = c.PEM, provision.Account, epoch(c.CreatedAt), "DEFAULT"
	out := map[string]any{"certificateDescription": d}
	var rc struct {
		TemplateBody string `json:"templateBody"`
		RoleArn      string `json:"roleArn"`
	}
	if c.RegistrationConfig != "" && json.Unmarshal([]byte(c.RegistrationConfig), &rc) == nil {
		out["registrationConfig"] = rc
	}
	return out, nil
}

func (a *API) listCACertificates(r *http.Request) (any, error) {
	list := []map[string]any{}
	err := a.Store.View(func(tx *store.Tx) error {
		return store.Each(tx, store.CAs, func(_ string, c *store.CA) error {
			list = append(list, caJSON(c))
			return nil
		})
	})
	return map[string]any{"certificates": list}, err
}
