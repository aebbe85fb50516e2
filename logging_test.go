package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// crashModel panics in Update on the message "boom", and returns a batch
// whose command panics on "later".
type crashModel struct{}

func (crashModel) Init() tea.Cmd { return nil }
func (m crashModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg {
	case "boom":
		panic("boom in Update")
	case "later":
		return m, tea.Batch(func() tea.Msg { panic("boom in a command") }, func() tea.Msg { return nil })
	}
	return m, nil
}
func (crashModel) View() string { return "" }

// mustPanic runs f and reports whether it panicked.
func mustPanic(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("no panic: the wrapper must let the panic go on to bubbletea")
		}
	}()
	f()
}

func TestPanicLogger(t *testing.T) {
	var buf bytes.Buffer
	p := panicLogger{Model: crashModel{}, log: slog.New(slog.NewTextHandler(&buf, nil))}

	mustPanic(t, func() { p.Update("boom") })
	if got := buf.String(); !strings.Contains(got, `msg=panic where=Update panic="boom in Update"`) || !strings.Contains(got, "logging_test.go") {
		t.Errorf("log after a panic in Update: got %q, want the panic and a stack through this file", got)
	}

	buf.Reset()
	_, cmd := p.Update("later")
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("the batch was not passed on: %#v", batch)
	}
	mustPanic(t, func() { batch[0]() })
	if got := buf.String(); !strings.Contains(got, `msg=panic where=command panic="boom in a command"`) {
		t.Errorf("log after a panic in a command: got %q", got)
	}
}

// panicFetcher crashes when asked for anything.
type panicFetcher struct{}

func (panicFetcher) FetchAll(context.Context, []feed.Request) <-chan feed.Result {
	panic("fetcher bug")
}

func TestReaderRefreshRecoversPanics(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SyncFeeds(ctx, []store.FeedSpec{{URL: "https://a.example/rss"}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rs := refreshingStore{Store: st, log: slog.New(slog.NewTextHandler(&buf, nil))}
	_, err = rs.Refresh(ctx, panicFetcher{}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "refresh: internal error: fetcher bug") {
		t.Errorf("got error %v, want the panic as an error", err)
	}
	if !strings.Contains(buf.String(), `msg=panic where=refresh panic="fetcher bug"`) {
		t.Errorf("log: got %q, want the panic", buf.String())
	}
}

func TestLogFileProblems(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	var out, errb bytes.Buffer
	missing := filepath.Join(t.TempDir(), "no", "dir", "brief.log")
	if code := run([]string{"refresh", "--log", missing}, &out, &errb); code != exitError {
		t.Errorf("unwritable log: got exit %d, want %d", code, exitError)
	}
	if !strings.Contains(errb.String(), "brief: log: open "+missing) {
		t.Errorf("stderr: got %q, want it to name the log file", errb.String())
	}
}
