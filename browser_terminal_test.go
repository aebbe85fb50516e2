package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestTerminalBrowser(t *testing.T) {
	dir := t.TempDir()
	w3m := filepath.Join(dir, "w3m")
	if err := os.WriteFile(w3m, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	url := "https://example.org/a?q=1;id"
	tests := []struct {
		configured string
		terminal   bool
		args       []string
	}{
		{w3m + " %u", true, []string{url}},
		{w3m + " -o confirm_qq=false %u -dump_not", true, []string{"-o", "confirm_qq=false", url, "-dump_not"}},
		{w3m, true, []string{url}},
		{"firefox --new-tab %u", false, nil},
		{"lynx-like-but-not", false, nil},
	}
	for _, tt := range tests {
		tb := terminalBrowser(tt.configured)
		if (tb != nil) != tt.terminal {
			t.Errorf("%q: terminal %v, want %v", tt.configured, tb != nil, tt.terminal)
			continue
		}
		if tb == nil {
			continue
		}
		cmd, err := tb(url)
		if err != nil {
			t.Fatalf("%q: %v", tt.configured, err)
		}
		if got := cmd.Args[1:]; !slices.Equal(got, tt.args) {
			t.Errorf("%q: args %q, want %q", tt.configured, got, tt.args)
		}
	}
	if _, err := terminalBrowser(w3m)("javascript:alert(1)"); err == nil {
		t.Error("a javascript: URL reached the browser")
	}
	t.Setenv("PATH", dir)
	if _, err := terminalBrowser("lynx")("https://example.org/"); err == nil {
		t.Error("a missing lynx gave a command")
	}
}

func TestViewState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "brief", "view.json")
	v, save, err := loadView(path)
	if err != nil || save == nil || v.Sort != "newest" || v.HideRead {
		t.Fatalf("missing file: %+v save=%v err=%v", v, save != nil, err)
	}
	want := v
	want.Sort, want.HideRead = "title", true
	if err := save(want); err != nil {
		t.Fatal(err)
	}
	if got, _, err := loadView(path); err != nil || got != want {
		t.Errorf("kept view: got %+v (%v), want %+v", got, err, want)
	}
	// A damaged file is reported and never rewritten.
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, save, err := loadView(path); err == nil || save != nil {
		t.Errorf("damaged file: err %v, save %v", err, save != nil)
	}
	if err := os.WriteFile(path, []byte(`{"sort":"random"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, save, err := loadView(path); err == nil || save != nil {
		t.Errorf("unknown sort: err %v, save %v", err, save != nil)
	}
	t.Setenv("XDG_STATE_HOME", dir)
	if p, err := viewFile(); err != nil || p != path {
		t.Errorf("viewFile %q %v, want %q", p, err, path)
	}
}
