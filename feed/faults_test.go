package feed

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// faultCase is one network fault: setup returns the URL to fetch and the
// exact message the user must see.
type faultCase struct {
	name   string
	setup  func(t *testing.T, c *Client) (rawURL, wantMsg string)
	opts   Options
	wantIs error
}

func TestFetchNetworkFaults(t *testing.T) {
	tests := []faultCase{
		{
			name:   "connection refused",
			wantIs: ErrConnRefused,
			setup: func(t *testing.T, c *Client) (string, string) {
				addr := feedtest.ClosedAddr(t)
				return "http://" + addr + "/feed.xml", "feed: connection refused by " + addr + " (is the server down?)"
			},
		},
		{
			name:   "DNS failure",
			wantIs: ErrNoSuchHost,
			opts:   Options{Timeout: 5 * time.Second},
			setup: func(t *testing.T, c *Client) (string, string) {
				return "http://brief-test.invalid/feed.xml", "feed: no such host: brief-test.invalid"
			},
		},
		{
			name:   "TLS self-signed",
			wantIs: ErrTLS,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := tlsServer(t, nil)
				return srv.URL + "/feed.xml", "feed: TLS certificate problem: signed by an unknown authority (self-signed?)"
			},
		},
		{
			name:   "TLS expired",
			wantIs: ErrTLS,
			setup: func(t *testing.T, c *Client) (string, string) {
				cert := expiredCert(t)
				srv := tlsServer(t, &cert)
				trust(t, c, srv.Certificate())
				return srv.URL + "/feed.xml", "feed: TLS certificate problem: expired on 2020-01-02"
			},
		},
		{
			name:   "TLS wrong host",
			wantIs: ErrTLS,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := tlsServer(t, nil)
				trust(t, c, srv.Certificate())
				_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				return "https://localhost:" + port + "/feed.xml",
					"feed: TLS certificate problem: certificate is valid for example.com, *.example.com, not localhost"
			},
		},
		{
			name:   "TLS to a plain HTTP server",
			wantIs: ErrTLS,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				return strings.Replace(srv.URL("/feed.xml"), "http://", "https://", 1),
					"feed: TLS handshake failed: the server does not speak TLS (try http://)"
			},
		},
		{
			name:   "HTTP server never answers",
			wantIs: ErrTimeout,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				srv.Handle("/feed.xml", feedtest.Hang())
				return srv.URL("/feed.xml"), "feed: no answer within 300ms"
			},
		},
		{
			name:   "TCP server never answers",
			wantIs: ErrTimeout,
			setup: func(t *testing.T, c *Client) (string, string) {
				return "http://" + feedtest.SilentAddr(t) + "/feed.xml", "feed: no answer within 300ms"
			},
		},
		{
			name:   "TLS server never answers",
			wantIs: ErrTimeout,
			setup: func(t *testing.T, c *Client) (string, string) {
				return "https://" + feedtest.SilentAddr(t) + "/feed.xml", "feed: no answer within 300ms"
			},
		},
		{
			name:   "drip one byte a second",
			wantIs: ErrTimeout,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				body := feedtest.RSS("Slow", srv.URL(""), feedtest.Generate(srv.URL(""), 1, 3))
				srv.Handle("/feed.xml", feedtest.Drip(body, "application/rss+xml", time.Second))
				return srv.URL("/feed.xml"), "feed: response not complete within 300ms (server too slow)"
			},
		},
		{
			name:   "redirect loop",
			wantIs: ErrRedirectLoop,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				srv.Handle("/a", feedtest.Redirect("/b"))
				srv.Handle("/b", feedtest.Redirect("/a"))
				return srv.URL("/a"), "feed: redirect loop: " + srv.URL("/a") + " → " + srv.URL("/b") + " → " + srv.URL("/a")
			},
		},
		{
			name:   "redirect to itself",
			wantIs: ErrRedirectLoop,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				srv.Handle("/a", feedtest.Redirect("/a"))
				return srv.URL("/a"), "feed: redirect loop: " + srv.URL("/a") + " → " + srv.URL("/a")
			},
		},
		{
			name:   "redirect chain longer than the cap",
			wantIs: ErrTooManyRedirects,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := redirectChain(t, 6)
				return srv.URL("/r0"), "feed: too many redirects (more than 5)"
			},
		},
		{
			name:   "redirect chain longer than a lower cap",
			wantIs: ErrTooManyRedirects,
			opts:   Options{MaxRedirects: 2},
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := redirectChain(t, 3)
				return srv.URL("/r0"), "feed: too many redirects (more than 2)"
			},
		},
		{
			name:   "redirect to a file: URL",
			wantIs: ErrBadRedirect,
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				srv.Handle("/feed.xml", feedtest.Redirect("file:///etc/passwd"))
				return srv.URL("/feed.xml"), "feed: refusing redirect to a file: URL (only http and https are followed)"
			},
		},
		{
			name:   "body over the cap with Content-Length",
			wantIs: ErrTooLarge,
			opts:   Options{MaxBodySize: 1 << 10},
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				srv.Set("/feed.xml", feedtest.RSS("Big", srv.URL(""), feedtest.Generate(srv.URL(""), 1, 20)), "")
				return srv.URL("/feed.xml"), "feed: response larger than 1 KiB"
			},
		},
		{
			name:   "body over the cap, chunked",
			wantIs: ErrTooLarge,
			opts:   Options{MaxBodySize: 1 << 10},
			setup: func(t *testing.T, c *Client) (string, string) {
				srv := feedtest.New(t)
				srv.Handle("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/rss+xml")
					for range 8 {
						if _, err := w.Write([]byte(strings.Repeat("x", 512))); err != nil {
							return
						}
						w.(http.Flusher).Flush()
					}
				})
				return srv.URL("/feed.xml"), "feed: response larger than 1 KiB"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // most cases wait for a timeout
			opts := tt.opts
			if opts.Timeout == 0 && !errors.Is(tt.wantIs, ErrTimeout) {
				// Only the cases about a timeout run against testTimeout: the
				// others (a TLS handshake, a refused connection…) must not
				// turn into a timeout on a loaded machine.
				opts.Timeout = loadProofTimeout
			}
			c := newTestClient(t, opts)
			rawURL, want := tt.setup(t, c)
			start := time.Now()
			res := c.Fetch(context.Background(), Request{URL: rawURL})
			elapsed := time.Since(start)
			if !errors.Is(res.Err, tt.wantIs) {
				t.Fatalf("got %v, want %v", res.Err, tt.wantIs)
			}
			if got := res.Err.Error(); got != want {
				t.Errorf("message: got %q, want %q", got, want)
			}
			var ne *NetError
			if !errors.As(res.Err, &ne) {
				t.Errorf("got %T, want a *NetError", res.Err)
			}
			if res.Feed != nil || res.NotModified {
				t.Errorf("got Feed=%v NotModified=%v, want neither", res.Feed, res.NotModified)
			}
			// Not a speed bound: a fault that was not caught would last forever.
			if limit := c.opts.Timeout + loadProofTimeout; elapsed > limit {
				t.Errorf("took %v, want the fetch ended by its timeout (at most %v)", elapsed, limit)
			}
		})
	}
}

func TestFetchTLSErrorsUnwrap(t *testing.T) {
	srv := tlsServer(t, nil)
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL + "/feed.xml"})
	var ua x509.UnknownAuthorityError
	if !errors.As(res.Err, &ua) {
		t.Errorf("got %v, want it to wrap x509.UnknownAuthorityError", res.Err)
	}
}

func TestFetchTrustedTLS(t *testing.T) {
	body := feedtest.RSS("Secure", "https://example.org", feedtest.Generate("https://example.org", 1, 2))
	srv := tlsServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	})
	c := newTestClient(t, Options{})
	trust(t, c, srv.Certificate())
	res := c.Fetch(context.Background(), Request{URL: srv.URL + "/feed.xml"})
	if res.Err != nil || res.Feed == nil || len(res.Feed.Items) != 2 {
		t.Fatalf("got Err=%v Feed=%v, want 2 items", res.Err, res.Feed)
	}
}

// tlsServer starts an HTTPS server with cert (nil: httptest's own, for
// 127.0.0.1 and example.com, signed by an authority nobody trusts) and h
// (default: 404), closed when the test ends; handshake errors are not logged.
func tlsServer(t *testing.T, cert *tls.Certificate, h ...http.HandlerFunc) *httptest.Server {
	t.Helper()
	var handler http.Handler = http.NotFoundHandler()
	if len(h) > 0 {
		handler = h[0]
	}
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// trust makes c accept certificates signed by cert.
func trust(t *testing.T, c *Client, cert *x509.Certificate) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	c.transport.TLSClientConfig.RootCAs = pool
}

// expiredCert makes a self-signed certificate for 127.0.0.1 that expired on
// 2020-01-02.
func expiredCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "brief expired test"},
		NotBefore:             time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
