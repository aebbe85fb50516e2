package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/dotfile"
	"github.com/brief-reader/brief/internal/subs"
)

// The commands that edit the subscriptions: add, remove, import, export.

// subsCommands are the commands handled by runSubs.
var subsCommands = map[string]bool{"add": true, "remove": true, "import": true, "export": true}

// subsArgs are the parsed arguments of a subscriptions command.
type subsArgs struct {
	options
	cmd     string
	args    []string // positional arguments after the command
	title   string
	tags    []string
	first   bool
	dryRun  bool
	verbose bool
	all     bool
	account string // add: subscribe this [[account]] on its server instead of the dotfile
}

// valueFlags are the flags of brief that take a value, for finding the command word.
var valueFlags = map[string]bool{"config": true, "db": true, "log": true, "title": true, "tag": true, "account": true}

// commandWord returns the first argument that is neither a flag nor a flag's value.
func commandWord(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if i+1 < len(args) {
				return args[i+1]
			}
			return ""
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return a
		}
		name := strings.TrimLeft(a, "-")
		if !strings.Contains(name, "=") && valueFlags[name] {
			i++ // skip its value
		}
	}
	return ""
}

// parseSubsArgs parses a subscriptions command with its flags anywhere.
func parseSubsArgs(args []string) (subsArgs, error) {
	var a subsArgs
	fs := newFlagSet(&a.options)
	fs.StringVar(&a.title, "title", "", "")
	fs.Func("tag", "", func(v string) error {
		if v = strings.TrimSpace(v); v == "" {
			return errors.New("--tag needs a name")
		}
		a.tags = append(a.tags, v)
		return nil
	})
	fs.BoolVar(&a.first, "first", false, "")
	fs.BoolVar(&a.dryRun, "dry-run", false, "")
	fs.BoolVar(&a.verbose, "verbose", false, "")
	fs.BoolVar(&a.all, "all", false, "")
	fs.StringVar(&a.account, "account", "", "")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return a, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) == 0 || !subsCommands[pos[0]] {
		return a, errors.New("no subscriptions command")
	}
	a.cmd, a.args = pos[0], pos[1:]
	want := map[string][2]int{"add": {1, 1}, "remove": {1, 1}, "import": {1, 1}, "export": {0, 1}}[a.cmd]
	switch {
	case len(a.args) < want[0]:
		return a, fmt.Errorf("%s needs %s", a.cmd, map[string]string{"add": "a URL", "remove": "a URL or a title", "import": "a file"}[a.cmd])
	case len(a.args) > want[1]:
		return a, fmt.Errorf("unexpected argument %q (quote a title with spaces)", a.args[want[1]])
	}
	if a.all && a.cmd != "export" {
		return a, fmt.Errorf("--all is for export, not %s", a.cmd)
	}
	if a.account != "" && a.cmd != "add" {
		return a, fmt.Errorf("--account is for add, not %s (brief account remove NAME URL removes a feed from an account)", a.cmd)
	}
	if a.account != "" && (a.title != "" || a.first || len(a.tags) > 1) {
		return a, errors.New("add --account takes the server's title and discovery: --title and --first do not apply, and one --tag names the category")
	}
	return a, nil
}

// runSubs runs add, remove, import or export; stdin answers add's question
// when a page names several feeds.
func runSubs(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a, err := parseSubsArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n\n%s", err, usage)
		return 2
	}
	path, err := configPath(a.config)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	switch a.cmd {
	case "add":
		if a.account != "" {
			err = runAddAccount(ctx, a, stdout, stderr)
		} else {
			err = runAdd(ctx, a, path, stdin, stdout, stderr)
		}
	case "remove":
		err = runRemove(a, path, stdout)
	case "import":
		err = runImport(a, path, stdout)
	case "export":
		err = runExport(ctx, a, path, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	return 0
}

// prepareDotfile makes sure there is a dotfile to add feeds to (only the
// default location gets a new one: an explicit --config must exist).
func prepareDotfile(a subsArgs, path string, stdout io.Writer) error {
	if a.config != "" || a.dryRun {
		return nil
	}
	wrote, err := ensureDotfile(path)
	if wrote {
		fmt.Fprintf(stdout, "wrote a new dotfile at %s\n", path)
	}
	return err
}

func runAdd(ctx context.Context, a subsArgs, path string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := prepareDotfile(a, path, stdout); err != nil {
		return err
	}
	cfg, err := loadConfig(path)
	if err != nil {
		return err
	}
	if err := refuseDuplicate(cfg, a.args[0]); err != nil {
		return err
	}
	client := newClient(cfg)
	cands, err := client.Discover(ctx, a.args[0])
	if err != nil {
		return fmt.Errorf("add: %s: %w", feed.DisplayURL(a.args[0]), err)
	}
	c := cands[0]
	if len(cands) > 1 && !a.first {
		if c, err = pickCandidate(cands, stdin, stdout); err != nil {
			return err
		}
	}
	if err := refuseDuplicate(cfg, c.URL); err != nil {
		return err
	}
	f, err := candidateFeed(ctx, client, c)
	if err != nil {
		return err
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(stderr, "brief: %s: warning: %s\n", feed.DisplayURL(c.URL), feed.CleanText(w))
	}
	entry := dotfile.Feed{URL: c.URL, Title: strings.TrimSpace(a.title), Tags: a.tags}
	if entry.Title == "" {
		entry.Title = f.Title
	}
	if err := appendFeed(path, entry); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s, %s, to %s\n", feedLabel(FeedConf{URL: c.URL, Title: entry.Title}), plural(len(f.Items), "item"), path)
	return nil
}

// candidateFeed returns the feed of a discovered candidate, downloading it
// when discovery did not already: a feed is checked before it is added.
func candidateFeed(ctx context.Context, client *feed.Client, c feed.Candidate) (*feed.Feed, error) {
	if c.Feed != nil {
		return c.Feed, nil
	}
	res := client.Fetch(ctx, feed.Request{URL: c.URL})
	if res.Err != nil {
		return nil, fmt.Errorf("add: %s: %w", feed.DisplayURL(c.URL), res.Err)
	}
	return res.Feed, nil
}

// refuseDuplicate errors when the dotfile already follows rawURL.
func refuseDuplicate(cfg Config, rawURL string) error {
	if i := findFeed(cfg, rawURL); i >= 0 {
		return fmt.Errorf("add: already subscribed: %s is feed #%d of %s", feedLabel(cfg.Feeds[i]), i+1, cfg.path)
	}
	return nil
}

// pickCandidate lists the feeds a page names and reads the user's choice.
func pickCandidate(cands []feed.Candidate, stdin io.Reader, stdout io.Writer) (feed.Candidate, error) {
	fmt.Fprintf(stdout, "The page names %d feeds:\n", len(cands))
	for i, c := range cands {
		if t := feed.CleanText(c.Title); t != "" {
			fmt.Fprintf(stdout, "  %d. %s  %s\n", i+1, t, feed.DisplayURL(c.URL))
		} else {
			fmt.Fprintf(stdout, "  %d. %s\n", i+1, feed.DisplayURL(c.URL))
		}
	}
	in := bufio.NewScanner(stdin)
	for {
		fmt.Fprintf(stdout, "Add which one? [1-%d, q to cancel] ", len(cands))
		if !in.Scan() {
			if err := in.Err(); err != nil {
				return feed.Candidate{}, fmt.Errorf("add: reading the answer: %w", err)
			}
			return feed.Candidate{}, errors.New("add: several feeds and no answer; pick one by its URL or pass --first")
		}
		s := strings.TrimSpace(in.Text())
		if s == "q" || s == "" {
			return feed.Candidate{}, errors.New("add: cancelled; nothing was changed")
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(cands) {
			return cands[n-1], nil
		}
		fmt.Fprintf(stdout, "%q is not a number from 1 to %d\n", s, len(cands))
	}
}

func runRemove(a subsArgs, path string, stdout io.Writer) error {
	removed, err := removeFeed(path, a.args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %s from %s (its articles and read/starred state stay in the cache)\n", feedLabel(removed), path)
	return nil
}

// appendFeed adds f to the dotfile at path unless it follows f.URL already.
func appendFeed(path string, f dotfile.Feed) error {
	return editFeeds(path, func(cfg Config, data []byte) ([]byte, error) {
		if err := refuseDuplicate(cfg, f.URL); err != nil {
			return nil, err
		}
		return dotfile.Append(data, f), nil
	})
}

// removeFeed takes the feed that arg names (URL or title) out of the dotfile
// at path and returns it.
func removeFeed(path, arg string) (FeedConf, error) {
	var removed FeedConf
	err := editFeeds(path, func(cfg Config, data []byte) ([]byte, error) {
		i, err := matchFeed(cfg, arg)
		if err != nil {
			return nil, err
		}
		blocks, err := feedBlocks(cfg, data)
		if err != nil {
			return nil, err
		}
		removed = cfg.Feeds[i]
		return dotfile.Remove(data, blocks[i]), nil
	})
	return removed, err
}

// matchFeed finds the feed that arg names: its URL (normalised) or its
// title (ignoring case); a title shared by several feeds is refused.
func matchFeed(cfg Config, arg string) (int, error) {
	if i := findFeed(cfg, arg); i >= 0 {
		return i, nil
	}
	var hits []int
	for i, f := range cfg.Feeds {
		if f.Title != "" && strings.EqualFold(strings.TrimSpace(f.Title), strings.TrimSpace(arg)) {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return -1, fmt.Errorf("remove: no feed in %s has the URL or title %q", cfg.path, arg)
	}
	var names []string
	for _, i := range hits {
		names = append(names, feed.DisplayURL(cfg.Feeds[i].URL))
	}
	return -1, fmt.Errorf("remove: %d feeds are titled %q; remove one by its URL: %s", len(hits), arg, strings.Join(names, ", "))
}

func runImport(a subsArgs, path string, stdout io.Writer) error {
	data, err := os.ReadFile(a.args[0])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	list, err := subs.Read(data)
	if err != nil {
		return fmt.Errorf("import: %s: %w", a.args[0], err)
	}
	if len(list.Problems) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "import: %s: %s, so nothing was imported; fix or delete these lines:", a.args[0], plural(len(list.Problems), "problem"))
		for _, p := range list.Problems {
			fmt.Fprintf(&b, "\n  %s", p)
		}
		return errors.New(b.String())
	}
	if err := prepareDotfile(a, path, stdout); err != nil {
		return err
	}
	var plan importPlan
	if a.dryRun {
		cfg, err := loadConfig(path)
		if err != nil {
			return err
		}
		plan = planImport(cfg, list)
	} else {
		err = editFeeds(path, func(cfg Config, data []byte) ([]byte, error) {
			plan = planImport(cfg, list)
			return dotfile.Append(data, plan.add...), nil
		})
		if err != nil {
			return err
		}
	}
	plan.report(stdout, list, a, path)
	return nil
}

// importPlan is what an import does: feeds to add, feeds already there.
type importPlan struct {
	add     []dotfile.Feed
	lines   []int       // beside add: the line each came from
	already []subs.Note // entries the dotfile has already
}

// planImport decides, against the dotfile, which entries of list to add.
func planImport(cfg Config, list *subs.List) importPlan {
	var p importPlan
	idx := feedIndex(cfg)
	for _, e := range list.Entries {
		if i, ok := idx[feed.NormalizeURL(e.URL)]; ok {
			p.already = append(p.already, subs.Note{Line: e.Line, URL: e.URL,
				Reason: fmt.Sprintf("%s is already there as feed #%d %s", feed.DisplayURL(e.URL), i+1, feedLabel(cfg.Feeds[i]))})
			continue
		}
		p.add = append(p.add, dotfile.Feed{URL: e.URL, Title: e.Title, Tags: e.Tags})
		p.lines = append(p.lines, e.Line)
	}
	return p
}

// report says what the import did (or, with --dry-run, would do): with
// --verbose every line of the file in order, else the lines skipped, then a
// summary.
func (p importPlan) report(w io.Writer, list *subs.List, a subsArgs, path string) {
	verb := "added"
	if a.dryRun {
		verb = "would add"
	}
	var notes []subs.Note
	for _, s := range list.Skipped {
		if a.verbose || !strings.Contains(s.Reason, "tags merged") {
			notes = append(notes, subs.Note{Line: s.Line, Reason: "skipped: " + s.Reason})
		}
	}
	if a.verbose {
		notes = append(notes, p.already...)
		for i, f := range p.add {
			title, tags := f.Title, ""
			if title == "" {
				title = "(no title)"
			}
			if len(f.Tags) > 0 {
				tags = " [" + strings.Join(f.Tags, ", ") + "]"
			}
			notes = append(notes, subs.Note{Line: p.lines[i], Reason: fmt.Sprintf("%s %q %s%s", verb, title, feed.DisplayURL(f.URL), tags)})
		}
	}
	slices.SortStableFunc(notes, func(x, y subs.Note) int { return x.Line - y.Line })
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
	fmt.Fprintf(w, "%s: %s %s, %d already there, %d skipped", list.Format, verb, plural(len(p.add), "feed"), len(p.already), len(list.Skipped))
	switch {
	case a.dryRun:
		fmt.Fprint(w, " (dry run: nothing written)")
	case len(p.add) > 0:
		fmt.Fprintf(w, " (in %s; they are fetched at the next refresh)", path)
	}
	fmt.Fprintln(w)
}

func runExport(ctx context.Context, a subsArgs, path string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(path)
	if err != nil {
		return err
	}
	entries := make([]subs.Entry, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		entries[i] = subs.Entry{URL: f.URL, Title: f.Title, Tags: f.Tags}
	}
	var groups []subs.Group
	if a.all {
		if groups, err = accountGroups(ctx, a, cfg, stderr); err != nil {
			return err
		}
	}
	out := subs.ExportGroups(entries, groups, "brief subscriptions", time.Now())
	for _, g := range groups {
		entries = append(entries, g.Entries...)
	}
	if len(a.args) == 0 || a.args[0] == "-" {
		_, err := stdout.Write(out)
		return err
	}
	dst := a.args[0]
	if same(dst, path) {
		return fmt.Errorf("export: %s is the dotfile; give another file name", dst)
	}
	if err := os.WriteFile(dst, out, 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "exported %s to %s\n", plural(len(entries), "feed"), dst)
	return nil
}

// same reports whether two paths name the same existing file.
func same(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}
