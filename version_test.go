package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "-compiler", Value: "gc"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "d16464b1a2b3c4d5e6f708192a3b4c5d6e7f8091"},
		{Key: "vcs.time", Value: "2026-11-30T01:46:02Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	tests := []struct {
		name  string
		bi    *debug.BuildInfo
		ok    bool
		ldver string
		want  string
	}{
		{
			name: "released module",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/brief-reader/brief", Version: "v1.2.0"}},
			ok:   true,
			want: "brief v1.2.0 go1.26.8",
		},
		{
			name: "built in the checkout",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261130014602-d16464b1a2b3"}, Settings: vcs},
			ok:   true,
			want: "brief v0.0.0-20261130014602-d16464b1a2b3 (revision d16464b1a2b3c4d5e6f708192a3b4c5d6e7f8091, 2026-11-30T01:46:02Z) go1.26.8",
		},
		{
			name: "uncommitted changes",
			bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: append(vcs[:4:4],
				debug.BuildSetting{Key: "vcs.modified", Value: "true"})},
			ok:   true,
			want: "brief dev (revision d16464b1a2b3c4d5e6f708192a3b4c5d6e7f8091, 2026-11-30T01:46:02Z, modified) go1.26.8",
		},
		{
			name:  "ldflags version wins",
			bi:    &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			ok:    true,
			ldver: "1.3.0-rc1",
			want:  "brief 1.3.0-rc1 (revision d16464b1a2b3c4d5e6f708192a3b4c5d6e7f8091, 2026-11-30T01:46:02Z) go1.26.8",
		},
		{
			name: "nothing recorded",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			ok:   true,
			want: `brief dev go1.26.8 (no version or VCS revision recorded: build with "go build" inside the git checkout)`,
		},
		{
			name: "no build info",
			want: `brief dev (no version or VCS revision recorded: build with "go build" inside the git checkout)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := version
			version = tt.ldver
			defer func() { version = old }()
			if got := formatVersion(tt.bi, tt.ok); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestVersionCommands(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errb.String())
		}
		if got := out.String(); !strings.HasPrefix(got, "brief ") || !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
			t.Errorf("%v: got %q, want one line starting with \"brief \"", args, got)
		}
		if got, want := out.String(), versionText()+"\n"; got != want {
			t.Errorf("%v: got %q, want %q", args, got, want)
		}
	}
}
