package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr []string // substrings of the error; nil: no error
	}{
		{name: "empty file gives defaults", in: ""},
		{name: "full", in: `
refresh_on_start = false
refresh_interval = "0"
concurrency = 4
per_host = 1
timeout = "5s"
theme = "light"
browser = "firefox --new-tab"
[[feed]]
url = "https://example.org/rss.xml"
title = "Example"
tags = ["a", "b"]
`},
		{name: "syntax error names line and column", in: "concurrency = 4\ntimeout = \"5s\nper_host = 2\n", wantErr: []string{"cfg.toml:2:", "newline"}},
		{name: "wrong type", in: "concurrency = \"eight\"\n", wantErr: []string{"cfg.toml:1", "concurrency"}},
		{name: "bad duration", in: "timeout = \"soon\"\n", wantErr: []string{"cfg.toml:1", `"soon" is not a duration`}},
		{name: "unknown key", in: "concurency = 3\n", wantErr: []string{"line 1", `unknown key "concurency"`}},
		{name: "unknown feed key", in: "[[feed]]\nurl = \"https://a.example/\"\ntitel = \"x\"\n", wantErr: []string{"line 3", `unknown key "feed.titel"`}},
		{name: "feed without url", in: "[[feed]]\nurl = \"https://a.example/\"\n\n[[feed]]\ntitle = \"x\"\n", wantErr: []string{"line 4: feed #2 has no url"}},
		{name: "unquoted duration", in: "refresh_interval = 30m\n", wantErr: []string{"cfg.toml:1:", `text values need quotes, e.g. refresh_interval = "30m"`}},
		{name: "single brackets", in: "[feed]\nurl = \"https://a.example/\"\n", wantErr: []string{"cfg.toml:1:", "[[feed]]"}},
		{name: "unknown table reported once", in: "[[feeds]]\nurl = \"https://a.example/\"\n", wantErr: []string{"line 1: unknown key \"feeds\""}},
		{name: "missing theme file", in: "theme = \"nope.json\"\n", wantErr: []string{`theme = "nope.json"`, "cannot read the style file"}},
		{name: "feed not http", in: "[[feed]]\nurl = \"file:///etc/passwd\"\n", wantErr: []string{"feed #1", "not an http:// or https:// URL"}},
		{name: "duplicate feed", in: "[[feed]]\nurl = \"https://a.example/rss\"\n[[feed]]\nurl = \"https://A.example/rss\"\n", wantErr: []string{"feed #2", "already listed as feed #1"}},
		{name: "bad numbers", in: "concurrency = 0\nper_host = -1\n", wantErr: []string{"concurrency = 0", "per_host = -1"}},
		{name: "bad theme", in: "theme = \"purple\"\n", wantErr: []string{`theme = "purple"`}},
		{name: "interval too short", in: "refresh_interval = \"5s\"\n", wantErr: []string{"too short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("cfg.toml", []byte(tt.in))
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestParseConfigValues(t *testing.T) {
	cfg, err := parseConfig("c", []byte("refresh_interval = \"1h30m\"\n[[feed]]\nurl = \" https://a.example/x \"\ntags=[\"t\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.RefreshInterval.Duration, 90*time.Minute; got != want {
		t.Errorf("refresh_interval: got %v, want %v", got, want)
	}
	if got, want := cfg.Timeout.Duration, 20*time.Second; got != want {
		t.Errorf("timeout default: got %v, want %v", got, want)
	}
	if got, want := cfg.Feeds[0].URL, "https://a.example/x"; got != want {
		t.Errorf("url: got %q, want %q", got, want)
	}
}

func TestStarterConfigParsesAndIsNeverOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "brief", "config.toml")
	wrote, err := ensureConfig(path)
	if err != nil || !wrote {
		t.Fatalf("first ensureConfig: got (%v, %v), want (true, nil)", wrote, err)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatalf("starter config does not load: %v", err)
	}
	if len(cfg.Feeds) < 3 {
		t.Errorf("starter config has %d feeds, want a handful", len(cfg.Feeds))
	}
	if err := os.WriteFile(path, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrote, err = ensureConfig(path)
	if err != nil || wrote {
		t.Fatalf("second ensureConfig: got (%v, %v), want (false, nil)", wrote, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "# mine\n" {
		t.Errorf("existing dotfile was changed: %q", b)
	}
}

func TestPaths(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/conf")
	t.Setenv("XDG_DATA_HOME", "/x/data")
	if got, _ := configPath(""); got != "/x/conf/brief/config.toml" {
		t.Errorf("configPath: got %q", got)
	}
	if got, _ := dbPath(""); got != "/x/data/brief/brief.db" {
		t.Errorf("dbPath: got %q", got)
	}
	if got, _ := configPath("/my.toml"); got != "/my.toml" {
		t.Errorf("configPath flag: got %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got, _ := configPath(""); got != "/home/u/.config/brief/config.toml" {
		t.Errorf("configPath default: got %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "")
	if got, _ := dbPath(""); got != "/home/u/.local/share/brief/brief.db" {
		t.Errorf("dbPath default: got %q", got)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		cmd     string
		db      string
		wantErr bool
	}{
		{args: nil},
		{args: []string{"--db", "F", "refresh"}, cmd: "refresh", db: "F"},
		{args: []string{"refresh", "--db", "F"}, cmd: "refresh", db: "F"},
		{args: []string{"-db=F", "version"}, cmd: "version", db: "F"},
		{args: []string{"frobnicate"}, wantErr: true},
		{args: []string{"refresh", "extra"}, wantErr: true},
		{args: []string{"--nope"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd, o, err := parseArgs(tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (cmd != tt.cmd || o.db != tt.db) {
				t.Errorf("got (%q, db %q), want (%q, db %q)", cmd, o.db, tt.cmd, tt.db)
			}
		})
	}
}
