package journal

import (
	"strings"
	"sync"
	"testing"
)

func TestMask(t *testing.T) {
	m := NewMasker("hk-0123456789abcdef", "s3cr3t-value", "abc", "")
	tests := []struct {
		name, in, want string
	}{
		{"known secret", "token is hk-0123456789abcdef.", "token is ****."},
		{"known secret twice", "s3cr3t-value and s3cr3t-value", "**** and ****"},
		{"short values are not secrets", "abc is fine", "abc is fine"},
		{"postgres url", "DATABASE_URL: postgres://user:pa55word@ec2-1-2-3-4.compute.amazonaws.com:5432/db",
			"DATABASE_URL: postgres://user:****@ec2-1-2-3-4.compute.amazonaws.com:5432/db"},
		{"redis url without user", "REDIS_URL=rediss://:p4ss@redis.example.com:6379", "REDIS_URL=rediss://:****@redis.example.com:6379"},
		{"url without password", "see https://user@example.com/x and https://example.com:443/a", "see https://user@example.com/x and https://example.com:443/a"},
		{"bearer", `curl -H "Authorization: Bearer abc.def-ghi" https://api`, `curl -H "Authorization: Bearer ****" https://api`},
		{"bare bearer", "sent bearer eyJhbGciOi.x", "sent bearer ****"},
		{"basic auth header", "authorization: Basic dXNlcjpwYXNz", "authorization: Basic ****"},
		{"raw token header", "Authorization: 0123456789", "Authorization: ****"},
		{"api key var", "export HEROKU_API_KEY=abcdef123456", "export HEROKU_API_KEY=****"},
		{"heroku config output", "SECRET_KEY_BASE:  9f8e7d6c5b4a", "SECRET_KEY_BASE:  ****"},
		{"token and password", "GITHUB_TOKEN=ghp_x PASSWORD='hunter22' user=bob", "GITHUB_TOKEN=**** PASSWORD='****' user=bob"},
		{"camel case json", `{"apiKey": "k-123", "name": "x"}`, `{"apiKey": "****", "name": "x"}`},
		{"pgpassword", "PGPASSWORD=pw psql", "PGPASSWORD=**** psql"},
		{"advice names variables, holds no secret", "no API token: HEROKU_API_KEY is not set; run `export HEROKU_API_KEY=$(heroku auth:token)`",
			"no API token: HEROKU_API_KEY is not set; run `export HEROKU_API_KEY=$(heroku auth:token)`"},
		{"a value in capitals without underscores is still masked", "AWS_SECRET_KEY=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_KEY=****"},
		{"a pair after a plain pair", "note: password=abc", "note: password=****"},
		{"not secret names", "Tests passed: 42, DATABASE_URL=none, monkey=banana", "Tests passed: 42, DATABASE_URL=none, monkey=banana"},
		{"log line", `2026-11-26T05:01:02+00:00 heroku[router]: at=error code=H10 desc="App crashed"`, `2026-11-26T05:01:02+00:00 heroku[router]: at=error code=H10 desc="App crashed"`},
		{"two urls", "a://u:p1@h b://:p2@h c://h:5432/x@y", "a://u:****@h b://:****@h c://h:5432/x@y"},
		{"url with an empty password", "postgres://u:@h/db", "postgres://u:@h/db"},
		{"scheme at the end", "see http://", "see http://"},
		{"empty", "", ""},
		{"already masked", "API_KEY=****", "API_KEY=****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskLongestSecretFirst(t *testing.T) {
	m := NewMasker("abcd", "abcdefgh")
	if got := m.Mask("x abcdefgh y abcd"); got != "x **** y ****" {
		t.Errorf("got %q: the longer secret was cut by the shorter", got)
	}
}

func TestMaskAllow(t *testing.T) {
	m := NewMasker()
	m.Allow("shop-prod")
	m.Add("shop-prod")  // HEROKU_APP_NAME's value
	m.Add("production") // RACK_ENV's value
	m.Add("p4ssw0rd-long")
	got := m.Mask("heroku ps -a shop-prod on production with p4ssw0rd-long")
	if want := "heroku ps -a shop-prod on **** with ****"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	m.Allow("production")
	if got := m.Mask("production"); got != "production" {
		t.Errorf("a value allowed after it was added is still masked: %q", got)
	}
}

func TestNilMaskerMasksShapes(t *testing.T) {
	var m *Masker
	if got := m.Mask("x://u:p@h"); got != "x://u:****@h" {
		t.Errorf("got %q", got)
	}
}

func TestMaskConcurrent(t *testing.T) {
	m := NewMasker()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 200 {
				m.Add(strings.Repeat("s", 4+i*200+j))
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				m.Mask("line with ssss in it and API_KEY=x")
			}
		}()
	}
	wg.Wait()
	if got := m.Mask("ssss"); got != Masked {
		t.Errorf("got %q", got)
	}
}

var benchLines = []string{
	`2026-11-26T05:01:02.123456+00:00 app[web.1]: Started GET "/checkout" for 10.1.2.3 at 2026-11-26 05:01:02 +0000`,
	`2026-11-26T05:01:02+00:00 heroku[router]: at=error code=H10 desc="App crashed" method=GET path="/" host=shop.example.com request_id=0b4f`,
	"=== web (Standard-1X): bundle exec puma -C config/puma.rb (3)",
	"DATABASE_URL:  postgres://u7s:p0a9b8c7d6e5@ec2-3-4-5-6.compute-1.amazonaws.com:5432/d1",
	"plain output without anything special in it at all",
}

// BenchmarkMask masks typical output lines with the token and 40 config values known.
func BenchmarkMask(b *testing.B) {
	m := NewMasker("hk-0123456789abcdef0123")
	for i := range 40 {
		m.Add(strings.Repeat("v", 8) + string(rune('A'+i)) + "-value")
	}
	for i := 0; b.Loop(); i++ {
		m.Mask(benchLines[i%len(benchLines)])
	}
}

// FuzzMask: whatever surrounds it, a known secret never survives Mask, and Mask never
// panics.
func FuzzMask(f *testing.F) {
	f.Add("token=", "s3cr3t-t0k3n", " rest")
	f.Add("postgres://u:", "pa55word", "@h/db")
	f.Add("Authorization: Bearer ", "abc.def", "")
	f.Add("xxab", "abcd", "cdcd")
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		m := NewMasker(secret, "ab"+secret)
		got := m.Mask(before + secret + after)
		if len(strings.TrimSpace(secret)) >= minSecret && !strings.Contains(secret, "*") && strings.Contains(got, strings.TrimSpace(secret)) {
			t.Errorf("Mask(%q) = %q keeps the secret %q", before+secret+after, got, secret)
		}
	})
}
