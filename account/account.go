// Package account syncs brief's cache with feed servers: Miniflux (its REST
// API) and servers of the Google Reader API (FreshRSS, Miniflux, Inoreader,
// The Old Reader, BazQux). It pulls an account's subscriptions, categories,
// entries and read/starred state into the store (entries go through the feed
// package's item normalisation like any local feed's), pushes the read/starred
// changes queued in the store in batches, and adds or removes subscriptions.
// Secrets come from a command run without a shell (or, warned about, from the
// dotfile) and live only in memory: never logged, cached or shown in an error.
package account

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"time"

	"github.com/google/shlex"
)

// Kinds of account.
const (
	KindMiniflux = "miniflux"
	KindGReader  = "greader"
)

// Config is one [[account]] of the dotfile.
type Config struct {
	Name            string
	Kind            string // KindMiniflux or KindGReader
	URL             string // Miniflux: its base URL; greader: the API root (…/api/greader.php for FreshRSS)
	Username        string // with a password; Miniflux also takes an API token instead
	Token           string // a literal API token (warned about)
	TokenCommand    string // prints the API token
	Password        string // a literal password (warned about)
	PasswordCommand string // prints the password
	History         time.Duration
	Timeout         time.Duration // per request; 0: 30s
	UserAgent       string
}

// DefaultHistory is how far back the first sync takes entries already read.
const DefaultHistory = 30 * 24 * time.Hour

// credentials are the secrets of an account, resolved for one sync.
type credentials struct {
	username string
	password string
	token    string
}

// resolve runs the account's secret commands.
func (c *Config) resolve(ctx context.Context) (credentials, error) {
	cr := credentials{username: c.Username, password: c.Password, token: c.Token}
	var err error
	if c.TokenCommand != "" {
		if cr.token, err = RunSecret(ctx, c.TokenCommand); err != nil {
			return credentials{}, fmt.Errorf("token_command: %w", err)
		}
	}
	if c.PasswordCommand != "" {
		if cr.password, err = RunSecret(ctx, c.PasswordCommand); err != nil {
			return credentials{}, fmt.Errorf("password_command: %w", err)
		}
	}
	if cr.token == "" && (cr.username == "" || cr.password == "") {
		return credentials{}, errors.New("no credentials: set token_command, or username and password_command")
	}
	return cr, nil
}

// secretTimeout bounds a secret command (a password manager may ask for a
// passphrase; it gets this long).
const secretTimeout = 2 * time.Minute

// RunSecret runs command, split into words like a shell would (quotes and
// backslashes) but without one (no variables, globs or pipes), and returns
// its first line of output. Errors name the program and its exit status, never
// what it printed (it might be the secret).
func RunSecret(ctx context.Context, command string) (string, error) {
	argv, err := shlex.Split(command)
	if err != nil {
		return "", fmt.Errorf("cannot split the command into words: %w", err)
	}
	if len(argv) == 0 {
		return "", errors.New("the command is empty")
	}
	ctx, cancel := context.WithTimeout(ctx, secretTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("%s exited with status %d", argv[0], ee.ExitCode())
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("%s did not finish within %s", argv[0], secretTimeout)
		}
		return "", fmt.Errorf("cannot run %s: %w", argv[0], errors.Unwrap(err))
	}
	line, _, _ := strings.Cut(out.String(), "\n")
	line = strings.TrimRight(line, "\r")
	if strings.TrimSpace(line) == "" {
		return "", fmt.Errorf("%s printed nothing", argv[0])
	}
	return line, nil
}

// Error is a failed sync of an account. Its message names the account and
// says what went wrong in words a user can act on; it never contains a
// secret.
type Error struct {
	Account    string
	Msg        string
	Status     int       // the HTTP status, or 0
	RetryAfter time.Time // the server asked not to be called before this
	Auth       bool      // the credentials were refused
	Err        error
}

func (e *Error) Error() string {
	return fmt.Sprintf("account %q: %s", e.Account, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// redactURL drops any user:password from u for messages.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the account's url"
	}
	p.User = nil
	return p.String()
}

// client is the HTTP client of one account for one sync.
type client struct {
	name     string
	base     string // no trailing slash
	hc       *http.Client
	ua       string
	requests int // made so far (for the no-change benchmark)
}

func newClient(c *Config) *client {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "brief"
	}
	return &client{
		name: c.Name,
		base: strings.TrimRight(strings.TrimSpace(c.URL), "/"),
		hc:   &http.Client{Timeout: timeout},
		ua:   ua,
	}
}
