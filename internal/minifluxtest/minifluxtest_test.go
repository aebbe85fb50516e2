package minifluxtest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestServerAnswers(t *testing.T) {
	s := Require(t)
	req, _ := http.NewRequest("GET", s.URL+"/v1/me", nil)
	req.SetBasicAuth(AdminUser, AdminPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /v1/me: got %d, want 200", resp.StatusCode)
	}
	form := url.Values{"Email": {GReaderUser}, "Passwd": {GReaderPassword}}
	resp, err = http.Post(s.URL+"/accounts/ClientLogin", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("ClientLogin: got %d, want 200", resp.StatusCode)
	}
	if out, err := s.Query(context.Background(), "SELECT count(*) FROM users"); err != nil || out != "1" {
		t.Fatalf("users: got %q, %v", out, err)
	}
}
