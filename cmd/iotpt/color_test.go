package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func TestWantColor(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	var buf bytes.Buffer
	tests := []struct {
		name string
		mode string
		w    io.Writer
		env  map[string]string
		want bool
	}{
		{"always, even to a buffer", "always", &buf, nil, true},
		{"always wins over NO_COLOR", "always", &buf, map[string]string{"NO_COLOR": "1"}, true},
		{"never", "never", os.Stdout, nil, false},
		{"auto: a buffer is no terminal", "auto", &buf, nil, false},
		{"auto: NO_COLOR", "auto", os.Stdout, map[string]string{"NO_COLOR": "1"}, false},
		{"auto: dumb terminal", "auto", os.Stdout, map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		if got := wantColor(tt.mode, tt.w, env(tt.env)); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
