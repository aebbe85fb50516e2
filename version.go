package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…"; it wins
// over the build info.
var version = ""

// appVersion is the short version: the -X value, else the module version from
// the build info, else "dev" (a build outside any module version, e.g. go run).
func appVersion() string {
	bi, ok := debug.ReadBuildInfo()
	v, _ := versionInfo(bi, ok)
	return v
}

// versionText is what `brief version` and `brief --version` print.
func versionText() string {
	bi, ok := debug.ReadBuildInfo()
	return formatVersion(bi, ok)
}

// versionInfo returns the version and the VCS details ("revision d16464b1a2b3,
// 2026-11-30T01:46:02Z, modified") recorded in bi; ok is ReadBuildInfo's.
func versionInfo(bi *debug.BuildInfo, ok bool) (string, string) {
	v := version
	if !ok || bi == nil {
		if v == "" {
			v = "dev"
		}
		return v, ""
	}
	if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "dev"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return v, ""
	}
	details := []string{"revision " + rev}
	if at != "" {
		details = append(details, at)
	}
	if modified {
		details = append(details, "modified")
	}
	return v, strings.Join(details, ", ")
}

// formatVersion writes the version line for bi: "brief v1.2.0 (revision
// d16464b…, 2026-11-30T01:46:02Z) go1.26.8".
func formatVersion(bi *debug.BuildInfo, ok bool) string {
	v, vcs := versionInfo(bi, ok)
	line := "brief " + v
	if vcs != "" {
		line += " (" + vcs + ")"
	}
	if ok && bi != nil && bi.GoVersion != "" {
		line += " " + bi.GoVersion
	}
	if vcs == "" && v == "dev" {
		line += fmt.Sprintf(" (no version or VCS revision recorded: build with %q inside the git checkout)", "go build")
	}
	return line
}
