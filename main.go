// Command brief is a terminal news reader: it follows the feeds listed in a
// dotfile, caches their articles in SQLite and shows them in a two-pane
// terminal UI where "Read also" links can be followed and retraced.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
	"github.com/brief-reader/brief/ui"
)

const usage = `brief — a terminal news reader

Usage:
  brief [flags]            open the reader
  brief refresh [flags]    refresh every feed and sync every account without the UI (for cron)
  brief add URL [--title T] [--tag T]... [--first]
                           follow a feed; URL may be any page that links to one
  brief add --account NAME URL [--tag CATEGORY]
                           subscribe account NAME on its server (the server finds the feed)
  brief remove URL|TITLE   stop following a feed (its articles stay in the cache)
  brief import FILE [--dry-run] [--verbose]
                           add the feeds of an OPML file or a newsboat urls file
  brief export [FILE] [--all]
                           write the feeds as OPML 2.0 (to stdout without FILE);
                           --all adds each account's subscriptions in a folder named after it
  brief account            list the sync accounts: last sync, changes waiting, errors
  brief account add NAME URL [CATEGORY]     subscribe account NAME to a feed (the server finds it)
  brief account remove NAME URL             unsubscribe account NAME from a feed
  brief account rename NAME OLD NEW         rename a category of account NAME
  brief search QUERY [--json]
                           print the cached articles matching QUERY (the query
                           language of the README; put -- before a query that
                           starts with -)
  brief version            print the version and the revision it was built from
  brief help               show this help

Flags (before or after the command):
  --config FILE   the dotfile (default $XDG_CONFIG_HOME/brief/config.toml,
                  else ~/.config/brief/config.toml)
  --db FILE       the article cache (default $XDG_DATA_HOME/brief/brief.db,
                  else ~/.local/share/brief/brief.db)
  --log FILE      append a log (refreshes, each feed's error, crashes) to FILE
  --version       print the version
  -h, --help      show this help

Exit status:
  0  done (brief refresh: at least one feed was fetched, or none was due)
  1  a dotfile, database or log file problem, or interrupted
  2  a mistake on the command line (brief search: a malformed query)
  3  brief refresh: every feed it fetched failed
  130  brief refresh: stopped by SIGTERM or SIGINT (what it stored stays)
`

// Exit statuses (listed in the usage text and the README).
const (
	exitOK        = 0
	exitError     = 1 // dotfile, database or log file problem; interrupted
	exitUsage     = 2 // command line mistake
	exitAllFailed = 3 // brief refresh: every feed it fetched failed
)

type options struct {
	config string
	db     string
	log    string
	// logger writes to the --log file (it discards without one): every part
	// of brief that logs takes it from here.
	logger *slog.Logger
	args   []string // the words after "account", or brief search's query
	json   bool     // brief search --json
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if subsCommands[commandWord(args)] {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return runSubs(ctx, args, os.Stdin, stdout, stderr)
	}
	cmd, opts, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n\n%s", err, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	limitMemory()

	switch cmd {
	case "version":
		fmt.Fprintln(stdout, versionText())
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	logger, logFile, err := openLog(opts.log)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return exitError
	}
	opts.logger = logger
	defer func() {
		if r := recover(); r != nil {
			logPanic(logger, cmd, r)
			panic(r)
		}
		if logFile != nil {
			if err := logFile.Close(); err != nil {
				fmt.Fprintf(stderr, "brief: log: %v\n", err)
			}
		}
	}()
	switch cmd {
	case "refresh":
		return runRefresh(ctx, opts, stdout, stderr)
	case "account":
		return runAccount(ctx, opts, stdout, stderr)
	case "search":
		return runSearch(ctx, opts, stdout, stderr)
	default:
		return runReader(ctx, opts, stderr)
	}
}

// newFlagSet returns a flag set with the flags every command takes, bound to o.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("brief", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.config, "config", "", "")
	fs.StringVar(&o.db, "db", "", "")
	fs.StringVar(&o.log, "log", "", "")
	return fs
}

// parseArgs accepts flags before and after the subcommand.
func parseArgs(args []string) (string, options, error) {
	var o options
	fs := newFlagSet(&o)
	fs.BoolVar(&o.json, "json", false, "")
	showVersion := fs.Bool("version", false, "")
	if err := fs.Parse(args); err != nil {
		return "", o, err
	}
	cmd := ""
	if fs.NArg() > 0 {
		cmd = fs.Arg(0)
		if cmd == "search" {
			words, err := parseWords(fs, fs.Args()[1:])
			if err != nil {
				return "", o, err
			}
			o.args = words
		} else if err := fs.Parse(fs.Args()[1:]); err != nil {
			return "", o, err
		}
		for cmd == "account" && fs.NArg() > 0 { // words and flags in any order
			o.args = append(o.args, fs.Arg(0))
			if err := fs.Parse(fs.Args()[1:]); err != nil {
				return "", o, err
			}
		}
		if cmd != "search" && fs.NArg() > 0 {
			return "", o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
	}
	if o.json && cmd != "search" {
		return "", o, errors.New("--json only goes with brief search")
	}
	if cmd == "search" && len(o.args) == 0 {
		return "", o, errors.New("brief search needs a query, as in: brief search tag:world ukraine")
	}
	if *showVersion && (cmd == "" || cmd == "version") {
		return "version", o, nil
	}
	switch cmd {
	case "", "refresh", "version", "help", "account", "search":
		return cmd, o, nil
	}
	return "", o, fmt.Errorf("unknown command %q", cmd)
}

// parseWords parses args with fs and returns the words that are not flags,
// in order; everything after "--" is words.
func parseWords(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return words, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(words, rest...), nil
		}
		words = append(words, rest[0])
		args = rest[1:]
	}
}

// setup loads (or first writes) the dotfile, opens the store and syncs the feed list.
func setup(ctx context.Context, o options, stderr io.Writer) (Config, *store.Store, string, error) {
	cpath, err := configPath(o.config)
	if err != nil {
		return Config{}, nil, "", err
	}
	wrote := false
	if o.config == "" {
		// Only the default location gets a starter dotfile: an explicit
		// --config that does not exist is a typo to report, not to paper over.
		if wrote, err = ensureConfig(cpath); err != nil {
			return Config{}, nil, "", err
		}
	}
	notice := ""
	if wrote {
		notice = fmt.Sprintf("wrote a starter config to %s — edit it to add your feeds", cpath)
		fmt.Fprintf(stderr, "brief: %s\n", notice)
	}
	cfg, err := loadConfig(cpath)
	if err != nil {
		return Config{}, nil, "", err
	}
	dpath, err := dbPath(o.db)
	if err != nil {
		return Config{}, nil, "", err
	}
	if err := checkDBDir(dpath); err != nil {
		return Config{}, nil, "", err
	}
	st, err := store.Open(ctx, dpath)
	if err != nil {
		return Config{}, nil, "", err
	}
	if err := st.SyncFeeds(ctx, feedSpecs(cfg)); err != nil {
		return Config{}, nil, "", errors.Join(err, st.Close())
	}
	st.SetIntervals(cfg.feedIntervals())
	if err := st.SyncAccounts(ctx, cfg.accountSpecs()); err != nil {
		return Config{}, nil, "", errors.Join(err, st.Close())
	}
	if cfg.kill, err = applyKillRules(ctx, st, cfg); err != nil {
		return Config{}, nil, "", errors.Join(err, st.Close())
	}
	printConfigWarnings(cfg, stderr)
	return cfg, st, notice, nil
}

// feedSpecs lists the dotfile's feeds for store.SyncFeeds.
func feedSpecs(cfg Config) []store.FeedSpec {
	specs := make([]store.FeedSpec, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		specs[i] = store.FeedSpec{URL: f.URL, Title: f.Title, Tags: f.Tags}
	}
	return specs
}

func newClient(cfg Config) *feed.Client {
	return feed.NewClient(feed.Options{
		Timeout:     cfg.Timeout.Duration,
		UserAgent:   "brief/" + appVersion(),
		Concurrency: cfg.Concurrency,
		PerHost:     cfg.PerHost,
	})
}

func runRefresh(ctx context.Context, o options, stdout, stderr io.Writer) int {
	cfg, st, _, err := setup(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	out, abandoned := untilStopped(ctx, func() refreshOutcome {
		var o2 refreshOutcome
		o2.sum, o2.deleted, o2.err = refresh(ctx, st, headerClient{Client: newClient(cfg), headers: cfg.feedHeaders(), fullText: cfg.fullTextFeeds(), st: st}, nil, nil, o.logger, cfg.Keep, cfg.kill)
		if o2.err == nil {
			o2.accts = syncAccounts(ctx, cfg, st, stderr)
		}
		return o2
	})
	if abandoned { // the store is still in use: exit without closing it
		fmt.Fprintln(stderr, "brief: refresh stopped by a signal; what was stored before stays")
		return exitInterrupted
	}
	defer closeStore(st, stderr)
	sum, deleted, err, accts := out.sum, out.deleted, out.err, out.accts
	for _, fe := range sum.Errors {
		fmt.Fprintf(stderr, "brief: %s: %s\n", feedName(fe), fe.Error)
	}
	for _, fe := range sum.Warnings {
		fmt.Fprintf(stderr, "brief: %s: warning: %s\n", feedName(fe), fe.Warning)
	}
	for _, fe := range sum.SkippedFeeds {
		fmt.Fprintf(stderr, "brief: %s: skipped, the server asked to wait: %s\n", feedName(fe), fe.Error)
	}
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return 1
	}
	line := fmt.Sprintf("%s, %s, %d failed", plural(sum.Feeds, "feed"), plural(sum.New+accts.new, "new article"), sum.Failed+accts.failed)
	if accts.accounts > 0 {
		line = fmt.Sprintf("%s, %s, %s, %d failed", plural(sum.Feeds, "feed"), plural(accts.accounts, "account"),
			plural(sum.New+accts.new, "new article"), sum.Failed+accts.failed)
	}
	if n := sum.Skipped - sum.NotDue; n > 0 {
		line += fmt.Sprintf(", %d skipped (server asked to wait)", n)
	}
	if sum.NotDue > 0 {
		line += fmt.Sprintf(", %d not due (refresh_interval)", sum.NotDue)
	}
	if deleted > 0 {
		line += fmt.Sprintf(", %s deleted (keep = %q)", plural(int(deleted), "old article"), cfg.Keep.String())
	}
	fmt.Fprintln(stdout, line)
	if allFailed(sum) {
		fmt.Fprintf(stderr, "brief: every feed failed (exit status %d)\n", exitAllFailed)
		return exitAllFailed
	}
	return exitOK
}

// allFailed tells whether a refresh fetched at least one feed and every one
// it fetched failed (feeds skipped because their server asked to wait are
// not counted either way).
func allFailed(sum store.Summary) bool {
	fetched := sum.Feeds - sum.Skipped
	return fetched > 0 && sum.Failed >= fetched
}

func runReader(ctx context.Context, o options, stderr io.Writer) int {
	cfg, st, notice, err := setup(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	defer closeStore(st, stderr)

	noColor := os.Getenv("NO_COLOR") != ""
	dark := true
	switch cfg.Theme {
	case "dark":
	case "light":
		dark = false
	default:
		// Asked once, before the program owns the terminal.
		dark = lipgloss.HasDarkBackground()
	}
	style := "light"
	if dark {
		style = "dark"
	}
	switch {
	case noColor:
		style = "notty"
	case cfg.Theme != "auto" && cfg.Theme != "dark" && cfg.Theme != "light":
		style = cfg.Theme // a glamour JSON style file, checked here rather than on every render
		if _, err := glamour.NewTermRenderer(glamour.WithStylePath(style)); err != nil {
			fmt.Fprintf(stderr, "brief: theme %s: %v\n", style, err)
			return 1
		}
	}
	views, err := compileViews(ctx, st, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return exitError
	}

	client := newClient(cfg)
	subs, err := newLiveSubs(cfg.path, st, client)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	var (
		view     ui.View
		saveView func(ui.View) error
		verr     error
	)
	if vf, err := viewFile(); err != nil {
		verr = err
	} else {
		view, saveView, verr = loadView(vf)
	}
	if verr != nil {
		o.logger.Warn("view state", "error", verr)
		notice = joinNotice(notice, verr)
	}
	m := ui.New(ui.Options{
		Store:           refreshingStore{Store: st, log: o.logger, keep: cfg.Keep, kill: cfg.kill, accounts: cfg.accountConfigs()},
		Client:          client,
		Subs:            subs,
		Fetcher:         headerClient{Client: client, headers: cfg.feedHeaders(), fullText: cfg.fullTextFeeds(), st: st},
		RefreshOnStart:  cfg.RefreshOnStart,
		RefreshInterval: cfg.RefreshInterval.Duration,
		Dark:            dark,
		NoColor:         noColor,
		GlamourStyle:    style,
		OpenURL:         opener(cfg.Browser),
		TerminalBrowser: terminalBrowser(cfg.Browser),
		Copy:            copyOSC52,
		View:            view,
		SaveView:        saveView,
		Keys:            cfg.keyTable(),
		Notice:          notice,
		Logger:          o.logger,
		Views:           views,
		KillRules:       len(cfg.kill) > 0,
	})
	p := tea.NewProgram(panicLogger{Model: m, log: o.logger}, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx))
	_, err = p.Run()
	switch {
	case errors.Is(err, tea.ErrProgramPanic):
		o.logger.Error("the reader crashed", "error", err)
		fmt.Fprintf(stderr, "brief: the reader crashed (a bug: the panic is above%s)\n", logHint(o.log))
		return exitError
	case err != nil && !errors.Is(err, tea.ErrProgramKilled):
		o.logger.Error("the reader failed", "error", err)
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return exitError
	}
	if notice != "" {
		fmt.Fprintf(stderr, "brief: %s\n", notice) // again: the screen hid it while the reader ran
	}
	return 0
}

// logHint points at the log file, if there is one.
func logHint(path string) string {
	if path == "" {
		return ""
	}
	return " and in " + path
}

// feedName names a feed in messages: its title and URL, or the URL alone.
func feedName(fe store.FeedError) string {
	u := feed.DisplayURL(fe.URL)
	if fe.Title == "" || fe.Title == fe.URL {
		return u
	}
	return fmt.Sprintf("%s (%s)", feed.CleanText(fe.Title), u)
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func closeStore(st *store.Store, stderr io.Writer) {
	if err := st.Close(); err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
	}
}
