package serve

import (
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/iotpt/iotpt/internal/serve/api"
)

// startAPI serves the control plane.
func (s *Server) startAPI() error {
	ln, err := net.Listen("tcp", s.cfg.APIAddr)
	if err != nil {
		return err
	}
	s.apiLn = ln
	a := &api.API{Store: s.store, MQTTAddr: s.broker.Addr(), Log: s.log}
	s.api = &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.api.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("control plane stopped", "error", err)
		}
	}()
	return nil
}
