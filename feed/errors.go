package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Sentinel errors of the fetcher. Every error returned by Fetch, FetchAll and
// FetchPage for a network fault wraps one of them (test with errors.Is) as well
// as the underlying cause; HTTP status failures are an *HTTPError instead.
var (
	// ErrTimeout means no complete answer came within Options.Timeout.
	ErrTimeout = errors.New("feed: timeout")
	// ErrTooLarge means the (decompressed) body is larger than Options.MaxBodySize.
	ErrTooLarge = errors.New("feed: response too large")
	// ErrTooManyRedirects means there were more than Options.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("feed: too many redirects")
	// ErrRedirectLoop means a redirect led back to a URL already visited.
	ErrRedirectLoop = errors.New("feed: redirect loop")
	// ErrBadRedirect means a redirect pointed to a URL that is not http or https.
	ErrBadRedirect = errors.New("feed: refusing redirect")
	// ErrConnRefused means nothing listens at the server's address.
	ErrConnRefused = errors.New("feed: connection refused")
	// ErrNoSuchHost means the host name could not be resolved.
	ErrNoSuchHost = errors.New("feed: no such host")
	// ErrTLS means the TLS handshake failed, e.g. because of a bad certificate.
	ErrTLS = errors.New("feed: TLS problem")
	// ErrNetwork is any other network failure (reset, unreachable, EOF …).
	ErrNetwork = errors.New("feed: network error")
	// ErrNotWebPage means FetchPage got something that is not a web page (a PDF, an image …).
	ErrNotWebPage = errors.New("feed: not a web page")
)

// NetError is a network-level failure: its message is written for the user,
// Kind is one of the sentinel errors above and Err is the underlying cause.
// Both are reachable with errors.Is and errors.As.
type NetError struct {
	Kind error  // one of the sentinels, e.g. ErrTimeout
	Msg  string // the complete message, starting with "feed: "
	Err  error  // the cause (may be nil)
}

// Error returns the user-facing message.
func (e *NetError) Error() string { return e.Msg }

// Unwrap returns the sentinel kind and the cause.
func (e *NetError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func netErr(kind, cause error, format string, args ...any) *NetError {
	return &NetError{Kind: kind, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// HTTPError is an answer with a status that is neither success nor
// "not modified". RetryAfter is set for 429 and 503: the feed must not be
// fetched again before then.
type HTTPError struct {
	Status     int       // the HTTP status code
	RetryAfter time.Time // zero unless a 429 or 503 said when to come back
}

// Error returns a plain message naming the status, and for 429/503 until when
// the feed is left alone.
func (e *HTTPError) Error() string {
	s := e.Status
	switch {
	case s == http.StatusNotFound:
		return "feed: not found (HTTP 404)"
	case s == http.StatusGone:
		return "feed: gone (HTTP 410): the feed was removed; delete it from your config"
	case s == http.StatusUnauthorized:
		return "feed: login required (HTTP 401)"
	case s == http.StatusForbidden:
		return "feed: access denied (HTTP 403)"
	case s == http.StatusTooManyRequests:
		return "feed: too many requests (HTTP 429)" + e.until()
	case s == http.StatusServiceUnavailable:
		return "feed: service unavailable (HTTP 503)" + e.until()
	case s >= 500 && s <= 599:
		return fmt.Sprintf("feed: server error (HTTP %d)", s)
	case s >= 400 && s <= 499:
		return fmt.Sprintf("feed: request refused (HTTP %d)", s)
	default:
		return fmt.Sprintf("feed: unexpected answer (HTTP %d)", s)
	}
}

func (e *HTTPError) until() string {
	if e.RetryAfter.IsZero() {
		return ""
	}
	return ": not trying again before " + e.RetryAfter.Local().Format("2006-01-02 15:04:05 MST")
}

// Back-off bounds for Retry-After.
const (
	defaultRetry429 = time.Hour        // 429 without Retry-After
	defaultRetry503 = 10 * time.Minute // 503 without Retry-After
	minRetryAfter   = time.Minute      // shorter requests are rounded up
	maxRetryAfter   = 7 * 24 * time.Hour
)

// statusError turns a failed status into an *HTTPError, reading Retry-After
// (seconds or an HTTP date) for 429 and 503.
func statusError(status int, h http.Header, now time.Time) *HTTPError {
	e := &HTTPError{Status: status}
	switch status {
	case http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(h.Get("Retry-After"), now, defaultRetry429)
	case http.StatusServiceUnavailable:
		e.RetryAfter = retryAfter(h.Get("Retry-After"), now, defaultRetry503)
	}
	return e
}

// retryAfter parses a Retry-After value relative to now; a missing or
// unreadable value gives now+def. The wait is kept within
// [minRetryAfter, maxRetryAfter] so a hostile server cannot disable a feed for
// ever nor make us hammer it.
func retryAfter(v string, now time.Time, def time.Duration) time.Time {
	now = now.Round(0)
	v = strings.TrimSpace(v)
	d := def
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(max(secs, 0), int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
		if d >= minRetryAfter && d <= maxRetryAfter {
			return t
		}
	}
	return now.Add(min(max(d, minRetryAfter), maxRetryAfter))
}

// formatSize writes a byte count the way the user set it, e.g. "16 MiB".
func formatSize(n int64) string {
	const kib, mib, gib = 1 << 10, 1 << 20, 1 << 30
	switch {
	case n >= gib && n%gib == 0:
		return fmt.Sprintf("%d GiB", n/gib)
	case n >= mib && n%mib == 0:
		return fmt.Sprintf("%d MiB", n/mib)
	case n >= kib && n%kib == 0:
		return fmt.Sprintf("%d KiB", n/kib)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// classifyNetError turns an error of the HTTP client or of reading a body into
// a *NetError with a plain message. parent is the caller's context (its
// cancellation is reported as such), reqCtx the per-request context carrying
// the timeout, host the server's host:port, and inBody tells whether the
// headers had already arrived.
func classifyNetError(parent, reqCtx context.Context, err error, timeout time.Duration, host string, inBody bool) error {
	var ne *NetError
	if errors.As(err, &ne) {
		return ne // our own, e.g. from CheckRedirect or the body cap
	}
	if perr := parent.Err(); perr != nil {
		return netErr(perr, err, "feed: stopped: %v", perr)
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err // drop the `Get "…":` prefix from messages
	}
	var (
		dns *net.DNSError
		te  interface{ Timeout() bool }
	)
	switch {
	case reqCtx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return timeoutError(err, timeout, inBody)
	case errors.As(err, &dns) && dns.IsNotFound:
		return netErr(ErrNoSuchHost, err, "feed: no such host: %s", dns.Name)
	case errors.As(err, &dns):
		return netErr(ErrNoSuchHost, err, "feed: no such host: %s (DNS lookup failed: %s)", dns.Name, dns.Err)
	case errors.As(err, &te) && te.Timeout(): // a stage limit, e.g. the TLS handshake
		return timeoutError(err, timeout, inBody)
	}
	if tlsErr := classifyTLS(err); tlsErr != nil {
		return tlsErr
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return netErr(ErrConnRefused, err, "feed: connection refused by %s (is the server down?)", host)
	case errors.Is(err, syscall.ECONNRESET):
		return netErr(ErrNetwork, err, "feed: connection reset by %s", host)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return netErr(ErrNetwork, err, "feed: network unreachable for %s (offline?)", host)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return netErr(ErrNetwork, err, "feed: %s closed the connection too early", host)
	}
	return netErr(ErrNetwork, err, "feed: network error: %v", cause)
}

// timeoutError says which part of the answer did not arrive within timeout.
func timeoutError(err error, timeout time.Duration, inBody bool) error {
	if inBody {
		return netErr(ErrTimeout, err, "feed: response not complete within %s (server too slow)", timeout)
	}
	return netErr(ErrTimeout, err, "feed: no answer within %s", timeout)
}

// classifyTLS names certificate and handshake problems, or returns nil.
func classifyTLS(err error) error {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		record   tls.RecordHeaderError
		verify   *tls.CertificateVerificationError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &unknown):
		return netErr(ErrTLS, err, "feed: TLS certificate problem: signed by an unknown authority (self-signed?)")
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired && invalid.Cert != nil {
			if time.Now().After(invalid.Cert.NotAfter) {
				return netErr(ErrTLS, err, "feed: TLS certificate problem: expired on %s", invalid.Cert.NotAfter.UTC().Format(time.DateOnly))
			}
			return netErr(ErrTLS, err, "feed: TLS certificate problem: not valid before %s", invalid.Cert.NotBefore.UTC().Format(time.DateOnly))
		}
		return netErr(ErrTLS, err, "feed: TLS certificate problem: %s", strings.TrimPrefix(invalid.Error(), "x509: "))
	case errors.As(err, &hostname):
		return netErr(ErrTLS, err, "feed: TLS certificate problem: %s", strings.TrimPrefix(hostname.Error(), "x509: "))
	case errors.As(err, &verify):
		return netErr(ErrTLS, err, "feed: TLS certificate problem: %s", strings.TrimPrefix(verify.Err.Error(), "x509: "))
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http reports the second case as an untyped error.
		return netErr(ErrTLS, err, "feed: TLS handshake failed: the server does not speak TLS (try http://)")
	case errors.As(err, &alert):
		return netErr(ErrTLS, err, "feed: TLS handshake failed: %s", alert.Error())
	}
	return nil
}
