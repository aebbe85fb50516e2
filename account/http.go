package account

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody caps one API response (a page of 1,000 entries with their content
// is a few MB).
const maxBody = 64 << 20

// do sends req and returns the body of a 2xx answer, or an *Error that says
// what went wrong: unreachable, TLS, timeout, refused credentials, rate
// limited (with Retry-After), a server error, or an answer that is not the
// API (an HTML page: a wrong url or a login portal).
func (c *client) do(req *http.Request, wantJSON bool) ([]byte, http.Header, error) {
	req.Header.Set("User-Agent", c.ua)
	c.requests++
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, c.transportError(req.Context(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, nil, c.transportError(req.Context(), err)
	}
	if len(body) > maxBody {
		return nil, nil, &Error{Account: c.name, Msg: fmt.Sprintf("the answer to %s is larger than %d MB", req.URL.Path, maxBody>>20)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, c.statusError(req, resp, body)
	}
	if wantJSON && !looksJSON(resp.Header.Get("Content-Type"), body) {
		return nil, nil, &Error{Account: c.name, Status: resp.StatusCode,
			Msg: fmt.Sprintf("%s answered %s with %s, not the %s API: check the account's url", c.host(), req.URL.Path, describe(resp.Header.Get("Content-Type"), body), c.api())}
	}
	return body, resp.Header, nil
}

// api names the API the client speaks, for messages.
func (c *client) api() string {
	if strings.Contains(c.base, "greader") {
		return "Google Reader"
	}
	return "server's"
}

func (c *client) host() string { return redactURL(c.base) }

// looksJSON reports whether a body is JSON (by type, else by its first byte).
func looksJSON(ctype string, body []byte) bool {
	if strings.Contains(ctype, "json") {
		return true
	}
	s := strings.TrimSpace(string(body[:min(len(body), 64)]))
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// describe names what a non-API body is.
func describe(ctype string, body []byte) string {
	s := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	switch {
	case strings.Contains(ctype, "html") || strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html"):
		return "an HTML page"
	case len(body) == 0:
		return "an empty answer"
	case ctype != "":
		return "a " + strings.Split(ctype, ";")[0] + " document"
	}
	return "something else"
}

// transportError classifies a failure before any answer.
func (c *client) transportError(ctx context.Context, err error) error {
	e := &Error{Account: c.name, Err: err}
	var cert x509.UnknownAuthorityError
	var host x509.HostnameError
	var inv x509.CertificateInvalidError
	var rec tls.RecordHeaderError
	var netErr net.Error
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case ctx.Err() != nil:
		e.Msg = "the sync was canceled"
	case errors.As(err, &cert), errors.As(err, &host), errors.As(err, &inv):
		e.Msg = fmt.Sprintf("TLS: the certificate of %s is not trusted (%s)", c.host(), tlsReason(err))
	case errors.As(err, &rec):
		e.Msg = fmt.Sprintf("TLS: %s does not speak TLS on that port (try http://)", c.host())
	case errors.As(err, &dns):
		e.Msg = fmt.Sprintf("cannot find the server %s (DNS)", c.host())
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Msg = fmt.Sprintf("%s did not answer in time", c.host())
	case errors.As(err, &op) && op.Op == "dial":
		e.Msg = fmt.Sprintf("cannot connect to %s: the server is down or unreachable", c.host())
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		e.Msg = fmt.Sprintf("TLS: %s", tlsReason(err))
	default:
		e.Msg = fmt.Sprintf("cannot reach %s: %s", c.host(), cleanErr(err))
	}
	return e
}

// tlsReason is the short reason of a TLS failure.
func tlsReason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, "x509: "); i >= 0 {
		return s[i:]
	}
	if i := strings.LastIndex(s, "tls: "); i >= 0 {
		return s[i:]
	}
	return cleanErr(err)
}

// cleanErr drops the "Get "url": " prefix net/http adds (the url could carry
// a query string; the host is named separately).
func cleanErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, "\": "); i >= 0 {
		return s[i+3:]
	}
	return s
}

// statusError classifies a non-2xx answer.
func (c *client) statusError(req *http.Request, resp *http.Response, body []byte) error {
	e := &Error{Account: c.name, Status: resp.StatusCode}
	code := resp.StatusCode
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Auth = true
		e.Msg = fmt.Sprintf("the server refused the credentials (HTTP %d): check the username, password or token", code)
	case code == http.StatusTooManyRequests || (code == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != ""):
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		e.Msg = fmt.Sprintf("the server asks to slow down (HTTP %d)", code)
		if !e.RetryAfter.IsZero() {
			e.Msg += "; next try after " + e.RetryAfter.Local().Format("15:04:05")
		}
	case code == http.StatusNotFound:
		e.Msg = fmt.Sprintf("%s has no %s (HTTP 404): check the account's url and kind", c.host(), req.URL.Path)
	case code >= 500:
		e.Msg = fmt.Sprintf("the server failed (HTTP %d)%s", code, apiMessage(body))
	default:
		e.Msg = fmt.Sprintf("the server refused %s %s (HTTP %d)%s", req.Method, req.URL.Path, code, apiMessage(body))
	}
	return e
}

// apiMessage is ": message" from a JSON error body ({"error_message": …}),
// or "".
func apiMessage(body []byte) string {
	var m struct {
		ErrorMessage string `json:"error_message"`
		Error        string `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	msg := m.ErrorMessage
	if msg == "" {
		msg = m.Error
	}
	if msg == "" {
		return ""
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return ": " + msg
}

// retryAfter parses a Retry-After header (seconds or an HTTP date); zero
// when absent or unreadable. Waits are capped at a day.
func retryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	var t time.Time
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		t = now.Add(time.Duration(n) * time.Second)
	} else if d, err := http.ParseTime(v); err == nil {
		t = d
	} else {
		return time.Time{}
	}
	if t.After(now.Add(24 * time.Hour)) {
		t = now.Add(24 * time.Hour)
	}
	return t
}

// serverTime is the Date header of an answer, or zero.
func serverTime(h http.Header) time.Time {
	if h == nil {
		return time.Time{}
	}
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// decode unmarshals an API answer, naming the call when it is not what the API sends.
func (c *client) decode(path string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{Account: c.name, Msg: fmt.Sprintf("the answer to %s is not what the API sends: %v", path, err), Err: err}
	}
	return nil
}
