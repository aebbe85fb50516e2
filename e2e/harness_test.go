// Package e2e drives the real brief binary: in tmux for the reader, and as a
// plain process for "brief refresh", against fixture feeds on loopback.
package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/minifluxtest"
)

// binary is the brief binary built once for the whole package.
var binary string

var (
	sourcesOnce sync.Once
	sourcesErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "brief-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "brief")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building brief:", err)
		os.Exit(1)
	}
	code := minifluxtest.RunLazy(m) // only the sync tests start a Miniflux
	os.RemoveAll(dir)
	os.Exit(code)
}

// statSources stats every Go source and module file of the repository. go test
// caches a package's result keyed on the files its test binary touched; the
// binary built in TestMain is not one of them, so without this a change to
// brief could be answered with a stale cached pass. It must run inside a test
// (files touched in TestMain before m.Run are not recorded).
func statSources(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "bench-out") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum") {
			_, err = os.Stat(path)
		}
		return err
	})
}

// env is an isolated home for one run of brief: its own config, data and HOME.
type env struct {
	t      *testing.T
	dir    string
	config string
	db     string
}

func newEnv(t *testing.T, dotfile string) *env {
	t.Helper()
	sourcesOnce.Do(func() { sourcesErr = statSources("..") })
	if sourcesErr != nil {
		t.Fatal(sourcesErr)
	}
	dir := t.TempDir()
	e := &env{t: t, dir: dir, config: filepath.Join(dir, "config.toml"), db: filepath.Join(dir, "brief.db")}
	if dotfile != "" {
		if err := os.WriteFile(e.config, []byte(dotfile), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// environ is the environment brief runs with: nothing of the developer's own.
func (e *env) environ() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + e.dir,
		"XDG_CONFIG_HOME=" + filepath.Join(e.dir, "xdg-config"),
		"XDG_DATA_HOME=" + filepath.Join(e.dir, "xdg-data"),
		"TERM=xterm-256color",
		"COLORTERM=truecolor",
		"LANG=C.UTF-8",
		"BROWSER=true",
	}
}

// run runs brief to completion and returns its stdout, stderr and exit code.
func (e *env) run(args ...string) (string, string, int) {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = e.environ()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("running brief: %v", err)
	}
	return out.String(), errb.String(), code
}

var sessions atomic.Int64

// tmuxSession is brief running in a detached tmux session of a fixed size.
type tmuxSession struct {
	t    *testing.T
	name string
}

func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run installs it")
		}
		t.Skip("tmux is not installed (apt-get install tmux)")
	}
}

// startTmux runs brief with args in a new tmux session of w×h cells.
func (e *env) startTmux(w, h int, args ...string) *tmuxSession {
	e.t.Helper()
	requireTmux(e.t)
	name := fmt.Sprintf("brief-e2e-%d-%d", os.Getpid(), sessions.Add(1))
	script := filepath.Join(e.dir, name+".sh")
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	for _, kv := range e.environ() {
		fmt.Fprintf(&b, "export %q\n", kv)
	}
	fmt.Fprintf(&b, "exec %q", binary)
	for _, a := range args {
		fmt.Fprintf(&b, " %q", a)
	}
	fmt.Fprintf(&b, " 2>%q\n", filepath.Join(e.dir, name+".stderr"))
	if err := os.WriteFile(script, []byte(b.String()), 0o755); err != nil {
		e.t.Fatal(err)
	}
	cmd := exec.Command("tmux", "new-session", "-d", "-s", name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), script)
	if out, err := cmd.CombinedOutput(); err != nil {
		e.t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	s := &tmuxSession{t: e.t, name: name}
	e.t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", name).Run() })
	return s
}

// keys sends tmux key names (e.g. "j", "Enter", "BSpace").
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"send-keys", "-t", s.name}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("tmux send-keys %v: %v: %s", keys, err, out)
	}
}

// screen returns the visible text of the pane.
func (s *tmuxSession) screen() string {
	s.t.Helper()
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitFor polls the screen until every want string is on it, and returns the screen.
// screenWait is how long a wait for the screen (or for brief to exit) may
// take before the test fails. It only bounds a failure: a wait returns as soon
// as the screen shows what it waits for. It is generous because a loaded
// 2-core machine has taken over 15 s to draw an article (seen while other
// builds ran beside the tests).
const screenWait = 60 * time.Second

func (s *tmuxSession) waitFor(what string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(screenWait)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("%s: screen never showed %q; last screen:\n%s", what, want, scr)
	return ""
}

// waitGone polls until the screen no longer shows text.
func (s *tmuxSession) waitGone(what, text string) {
	s.t.Helper()
	deadline := time.Now().Add(screenWait)
	var scr string
	for time.Now().Before(deadline) {
		if scr = s.screen(); !strings.Contains(scr, text) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("%s: screen still shows %q:\n%s", what, text, scr)
}

// exited reports whether the session's program has ended.
func (s *tmuxSession) exited() bool {
	return exec.Command("tmux", "has-session", "-t", s.name).Run() != nil
}

func (s *tmuxSession) waitExit(what string) {
	s.t.Helper()
	deadline := time.Now().Add(screenWait)
	for time.Now().Before(deadline) {
		if s.exited() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("%s: brief did not exit; screen:\n%s", what, s.screen())
}
