package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/account"
	"github.com/brief-reader/brief/store"
)

// openLog opens the --log file for appending and returns a logger writing
// to it, and the file to close at the end; with no path the logger discards
// everything (and the file is nil). Every part of brief that logs takes this
// *slog.Logger (options.logger): refreshes, the reader, sync.
func openLog(path string) (*slog.Logger, *os.File, error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("log: %w", err)
	}
	l := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l.Info("brief started", "version", appVersion(), "pid", os.Getpid())
	return l, f, nil
}

// logPanic records a recovered panic with its stack.
func logPanic(log *slog.Logger, where string, r any) {
	log.Error("panic", "where", where, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
}

// logRefresh records a refresh: one line per failing feed, one per feed
// warning, one per skipped feed, and the summary.
func logRefresh(log *slog.Logger, sum store.Summary, pruned int64, err error) {
	for _, fe := range sum.Errors {
		log.Warn("feed failed", "url", fe.URL, "title", fe.Title, "error", fe.Error)
	}
	for _, fe := range sum.Warnings {
		log.Info("feed warning", "url", fe.URL, "title", fe.Title, "warning", fe.Warning)
	}
	for _, fe := range sum.SkippedFeeds {
		log.Info("feed skipped", "url", fe.URL, "retry_after", fe.RetryAfter, "error", fe.Error)
	}
	attrs := []any{"feeds", sum.Feeds, "new", sum.New, "failed", sum.Failed, "skipped", sum.Skipped, "not_due", sum.NotDue,
		"warnings", len(sum.Warnings), "deleted_old", pruned, "elapsed", sum.Elapsed}
	if err != nil {
		log.Error("refresh failed", append(attrs, "error", err)...)
		return
	}
	log.Info("refresh", attrs...)
}

// panicLogger wraps the reader's model so that a panic in Update, View or a
// command is written to the log, with its stack, before bubbletea restores
// the terminal and reports it.
type panicLogger struct {
	tea.Model
	log *slog.Logger
}

func (p panicLogger) Init() tea.Cmd {
	defer p.recover("Init")
	return p.wrap(p.Model.Init())
}

func (p panicLogger) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer p.recover("Update")
	m, cmd := p.Model.Update(msg)
	return panicLogger{Model: m, log: p.log}, p.wrap(cmd)
}

func (p panicLogger) View() string {
	defer p.recover("View")
	return p.Model.View()
}

// recover logs a panic and lets it go on to bubbletea.
func (p panicLogger) recover(where string) {
	if r := recover(); r != nil {
		logPanic(p.log, where, r)
		panic(r)
	}
}

// wrap makes cmd (and the commands of a batch it returns) log a panic.
func (p panicLogger) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		defer p.recover("command")
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			w := make(tea.BatchMsg, len(b))
			for i, c := range b {
				w[i] = p.wrap(c)
			}
			return w
		}
		return msg
	}
}

// refreshingStore is the store as the reader sees it: its Refresh also
// logs and applies retention, exactly as `brief refresh` does.
type refreshingStore struct {
	*store.Store
	log      *slog.Logger
	keep     keepPolicy
	accounts []account.Config // synced after a refresh of everything, or of an account's feeds
	kill     []store.IgnoreRule
}

// Refresh refreshes, deletes what retention allows, and logs both. A panic
// is logged and returned as an error (the reader runs this in a goroutine
// of its own, where nothing else would catch it).
func (s refreshingStore) Refresh(ctx context.Context, f store.Fetcher, feedIDs []int64, progress func(store.Progress)) (sum store.Summary, err error) {
	defer func() {
		if r := recover(); r != nil {
			logPanic(s.log, "refresh", r)
			err = fmt.Errorf("refresh: internal error: %v", r)
		}
	}()
	sum, _, err = refresh(ctx, s.Store, f, feedIDs, progress, s.log, s.keep, s.kill)
	if err == nil {
		err = s.syncAccounts(ctx, feedIDs, &sum, progress)
	}
	return sum, err
}
