package main

import (
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/internal/serve"
)

type serveFlags struct {
	dir, mqtt, api, logFormat string
	templates, jitp, hooks    []string
}

func newServeCmd() *cobra.Command {
	var fl serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a local AWS IoT provisioning endpoint for devices and SDKs",
		Long: `Serve runs a local stand-in for AWS IoT's provisioning endpoint: an MQTT
broker over mutual TLS answering the fleet provisioning API
($aws/certificates/create/json, $aws/certificates/create-from-csr/json,
$aws/provisioning-templates/NAME/provision/json, and their /cbor twins),
just-in-time provisioning for certificates signed by a CA given with --jitp,
policy enforcement for Connect, Publish, Subscribe and Receive, and an HTTP
control plane on AWS IoT's REST paths (aws iot ... --endpoint-url).
Templates are planned as "iotpt plan" plans them, against the endpoint's own
registry.

On start it writes in DIR a root CA (root-ca.pem, the devices' stand-in for
AmazonRootCA1), a server certificate for localhost and 127.0.0.1 (server.pem,
server.key), and once per DIR a claim certificate and key (claim.pem,
claim.key) registered ACTIVE with the claim policy AWS documents. State
(certificates, things, groups, types, policies, attachments, templates, CAs)
is kept in DIR/state.db across restarts; DIR/state.snapshot.db, a copy at
most a second old, is what "iotpt plan --existing DIR" reads meanwhile.

When ready it prints one JSON line on stdout:
  {"mqtt": "127.0.0.1:PORT", "api": "http://127.0.0.1:PORT", "dir": "DIR",
   "rootCA": "DIR/root-ca.pem", "claimCert": "DIR/claim.pem",
   "claimKey": "DIR/claim.key", "templates": ["NAME", ...]}
and logs each connection and provisioning attempt to stderr. A port of 0
picks a free one. SIGINT or SIGTERM stops it (exit 0).

TEMPLATE files are any form iotpt reads; NAME is the template name in the
topics. --hook NAME=URL makes template NAME's pre-provisioning hook an HTTP
POST of the hook event to URL, answered with the hook response.

Exit codes: 0 stopped by a signal, 1 the endpoint failed, 2 usage or input
problem.`,
		Example: `  # Fleet provisioning by claim, on free ports
  iotpt serve --dir .iotpt-serve --mqtt 127.0.0.1:0 --api 127.0.0.1:0 \
      --template FleetTemplate=template.json

  # JITP for devices whose certificates a CA of your own signs
  iotpt serve --jitp ca.pem=registration-config.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.dir, "dir", ".iotpt-serve", "directory for the CA, the claim certificate and the state database")
	f.StringVar(&fl.mqtt, "mqtt", "127.0.0.1:8883", "MQTT over TLS listen address (port 0: a free port)")
	f.StringVar(&fl.api, "api", "127.0.0.1:8080", "HTTP control plane listen address (port 0: a free port)")
	f.StringArrayVar(&fl.templates, "template", nil, "a fleet provisioning template as NAME=FILE (repeatable)")
	f.StringArrayVar(&fl.jitp, "jitp", nil, "a CA for just-in-time provisioning as CA_PEM=REGISTRATION_CONFIG (repeatable)")
	f.StringArrayVar(&fl.hooks, "hook", nil, "template NAME's pre-provisioning hook as NAME=URL (repeatable)")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	return cmd
}

func runServe(cmd *cobra.Command, fl serveFlags) error {
	cfg := serve.Config{Dir: fl.dir, MQTTAddr: fl.mqtt, APIAddr: fl.api}
	for _, l := range []struct {
		flag   string
		values []string
		into   *[]serve.NamedFile
	}{{"template", fl.templates, &cfg.Templates}, {"jitp", fl.jitp, &cfg.JITP}, {"hook", fl.hooks, &cfg.Hooks}} {
		for _, v := range l.values {
			nf, err := serve.ParseNamed(l.flag, v)
			if err != nil {
				return usageErr("%v", err)
			}
			*l.into = append(*l.into, nf)
		}
	}
	switch fl.logFormat {
	case "text":
		cfg.Log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	case "json":
		cfg.Log = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
	default:
		return usageErr("unknown --log-format %q (want text or json)", fl.logFormat)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv, err := serve.Start(cfg)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if _, err := cmd.OutOrStdout().Write(srv.Info().JSONLine()); err != nil {
		srv.Close()
		return &exitError{code: exitFailed, err: err}
	}
	<-ctx.Done()
	cfg.Log.Info("stopping")
	if err := srv.Close(); err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	return nil
}
