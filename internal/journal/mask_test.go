package journal

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestMask(t *testing.T) {
	m := NewMasker("hk-0123456789abcdef", "s3cr3t-value", "abc", "")
	tests := []struct {
		name, in, want string
	}{
		{"known secret", "token is hk-0123456789abcdef.", "token is ••••."},
		{"known secret twice", "s3cr3t-value and s3cr3t-value", "•••• and ••••"},
		{"short values are not secrets", "abc is fine", "abc is fine"},
		{"postgres url", "DATABASE_URL: postgres://user:pa55word@ec2-1-2-3-4.compute.amazonaws.com:5432/db",
			"DATABASE_URL: postgres://user:••••@ec2-1-2-3-4.compute.amazonaws.com:5432/db"},
		{"redis url without user", "REDIS_URL=rediss://:p4ss@redis.example.com:6379", "REDIS_URL=rediss://:••••@redis.example.com:6379"},
		{"url without password", "see https://user@example.com/x and https://example.com:443/a", "see https://user@example.com/x and https://example.com:443/a"},
		{"bearer", `curl -H "Authorization: Bearer abc.def-ghi" https://api`, `curl -H "Authorization: Bearer ••••" https://api`},
		{"bare bearer", "sent bearer eyJhbGciOi.x", "sent bearer ••••"},
		{"basic auth header", "authorization: Basic dXNlcjpwYXNz", "authorization: Basic ••••"},
		{"raw token header", "Authorization: 0123456789", "Authorization: ••••"},
		{"api key var", "export HEROKU_API_KEY=abcdef123456", "export HEROKU_API_KEY=••••"},
		{"heroku config output", "SECRET_KEY_BASE:  9f8e7d6c5b4a", "SECRET_KEY_BASE:  ••••"},
		{"token and password", "GITHUB_TOKEN=ghp_x PASSWORD='hunter22' user=bob", "GITHUB_TOKEN=•••• PASSWORD='••••' user=bob"},
		{"camel case json", `{"apiKey": "k-123", "name": "x"}`, `{"apiKey": "••••", "name": "x"}`},
		{"pgpassword", "PGPASSWORD=pw psql", "PGPASSWORD=•••• psql"},
		{"advice names variables, holds no secret", "no API token: HEROKU_API_KEY is not set; run `export HEROKU_API_KEY=$(heroku auth:token)`",
			"no API token: HEROKU_API_KEY is not set; run `export HEROKU_API_KEY=$(heroku auth:token)`"},
		{"a value in capitals without underscores is still masked", "AWS_SECRET_KEY=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_KEY=••••"},
		{"a pair after a plain pair", "note: password=abc", "note: password=••••"},
		{"not secret names", "Tests passed: 42, DATABASE_URL=none, monkey=banana", "Tests passed: 42, DATABASE_URL=none, monkey=banana"},
		{"log line", `2026-11-26T05:01:02+00:00 heroku[router]: at=error code=H10 desc="App crashed"`, `2026-11-26T05:01:02+00:00 heroku[router]: at=error code=H10 desc="App crashed"`},
		{"two urls", "a://u:p1@h b://:p2@h c://h:5432/x@y", "a://u:••••@h b://:••••@h c://h:5432/x@y"},
		{"url with an empty password", "postgres://u:@h/db", "postgres://u:@h/db"},
		{"scheme at the end", "see http://", "see http://"},
		{"empty", "", ""},
		{"already masked", "API_KEY=••••", "API_KEY=••••"},
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
	m := NewMasker("abcd12", "abcd12efgh")
	if got := m.Mask("x abcd12efgh y abcd12"); got != "x •••• y ••••" {
		t.Errorf("got %q: the longer secret was cut by the shorter", got)
	}
}

func TestMaskAllow(t *testing.T) {
	m := NewMasker()
	m.Allow("shop-prod")
	m.Add("shop-prod") // HEROKU_APP_NAME's value
	m.Add("prod-eu-1") // REGION's value
	m.Add("p4ssw0rd-long")
	got := m.Mask("heroku ps -a shop-prod on prod-eu-1 with p4ssw0rd-long")
	if want := "heroku ps -a shop-prod on •••• with ••••"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	m.Allow("prod-eu-1")
	if got := m.Mask("prod-eu-1"); got != "prod-eu-1" {
		t.Errorf("a value allowed after it was added is still masked: %q", got)
	}
}

func TestNilMaskerMasksShapes(t *testing.T) {
	var m *Masker
	if got := m.Mask("x://u:p@h"); got != "x://u:••••@h" {
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
				m.Add("S" + strings.Repeat("s", 5+i*200+j))
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				m.Mask("line with Ssssss in it and API_KEY=x")
			}
		}()
	}
	wg.Wait()
	if got := m.Mask("Ssssss"); got != Masked {
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
		if WorthMasking(strings.TrimSpace(secret)) && !strings.Contains(secret, "*") && !strings.Contains(secret, Masked) && strings.Contains(got, strings.TrimSpace(secret)) {
			t.Errorf("Mask(%q) = %q keeps the secret %q", before+secret+after, got, secret)
		}
	})
}

func TestMaskFragmentsOfATokenLikeSecret(t *testing.T) {
	const token = "hrku-0123456789abcdefABCDEF-xyz" // 31 bytes
	m := NewMasker(token, "postgres://u:pa55word@ec2-1-2-3-4.compute-1.amazonaws.com:5432/db")
	tests := []struct{ name, in, want string }{
		{"whole", "t=" + token, "t=" + Masked},
		{"without its first five", "t=" + token[5:] + " end", "t=" + Masked + " end"},
		{"its middle", "[" + token[3:20] + "]", "[" + Masked + "]"},
		{"twelve bytes are a fragment", "x " + token[7:19] + " y", "x " + Masked + " y"},
		{"eleven are not", "x " + token[7:18] + " y", "x " + token[7:18] + " y"},
		{"two fragments", token[:14] + " and " + token[15:], Masked + " and " + Masked},
		{"a URL's fragments are not masked", "host ec2-1-2-3-4.compute-1.amazonaws.com", "host ec2-1-2-3-4.compute-1.amazonaws.com"},
	}
	for _, tt := range tests {
		if got := m.Mask(tt.in); got != tt.want {
			t.Errorf("%s: Mask(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestShortValuesAreNotMaskedEverywhere: values too short or too ordinary to be a
// credential are not added, so that "1", "true" and "production" stay readable in
// every line; their pairs are still masked when the name says secret.
func TestShortValuesAreNotMaskedEverywhere(t *testing.T) {
	m := NewMasker()
	m.AddAll("1", "true", "web", "5432", "3.14", "false", "info", "production", "enabled", "us-east", "", "  ")
	line := "1 web dyno true on production (info, us-east), port 5432, pi 3.14"
	if got := m.Mask(line); got != line {
		t.Errorf("Mask(%q) = %q: a short or ordinary value was masked", line, got)
	}
	m.AddAll("Tr0ub4dor", "s3cret-value", "correcthorsebattery")
	if got := m.Mask("a Tr0ub4dor b s3cret-value c correcthorsebattery"); got != "a "+Masked+" b "+Masked+" c "+Masked {
		t.Errorf("a secret was not masked: %q", got)
	}
	for v, want := range map[string]bool{"abcde": false, "abcdef": false, "abcdefghijk": false, "abcdefghijkl": true, "abc123": true, "-12.5": false, "12-34-56": true, "TRUE": false} {
		if WorthMasking(v) != want {
			t.Errorf("WorthMasking(%q) = %v, want %v", v, !want, want)
		}
	}
}

// TestMaskKeepsExpansionsVerbatim: masking is of values, not names: a command that
// names a secret variable holds no secret and is journaled as written.
func TestMaskKeepsExpansionsVerbatim(t *testing.T) {
	m := NewMasker("hk-0123456789abcdef")
	for _, cmd := range []string{
		`echo "${HEROKU_API_KEY:5}"`,
		`echo ${HEROKU_API_KEY:0:4}`,
		`curl -u "$USER:$API_TOKEN" https://x`,
		`echo "${SECRET_TOKEN:-unset}"`,
		`test -n "$HEROKU_API_KEY" && echo set`,
	} {
		if got := m.Mask(cmd); got != cmd {
			t.Errorf("Mask(%q) = %q, want it verbatim", cmd, got)
		}
	}
	if got := m.Mask("HEROKU_API_KEY:hk-0123456789abcdef"); got != "HEROKU_API_KEY:"+Masked {
		t.Errorf("a pair's value is no longer masked: %q", got)
	}
}

func BenchmarkMaskFragments(b *testing.B) {
	m := NewMasker()
	for i := range 40 {
		m.Add(strings.Repeat(string(rune('A'+i)), 4) + "x0123456789abcdef0123456789")
	}
	for i := 0; b.Loop(); i++ {
		m.Mask(benchLines[i%len(benchLines)])
	}
}

// TestFragmentIndexIsBounded: many long token-like values (a blob, a hundred keys)
// keep the fragment index within maxFragments windows; each is still masked whole.
func TestFragmentIndexIsBounded(t *testing.T) {
	var values []string
	for i := range 100 {
		values = append(values, fmt.Sprintf("K%03d", i)+strings.Repeat("abcdefghij0123456789", 200)[i:4000])
	}
	m := NewMasker(values...)
	k := m.known.Load()
	n := 0
	for _, at := range k.fragments {
		n += len(at)
	}
	if n > maxFragments {
		t.Errorf("%d windows indexed, want at most %d", n, maxFragments)
	}
	last := values[len(values)-1]
	if got := m.Mask("x " + last + " y"); got != "x "+Masked+" y" {
		t.Errorf("a value past the bound is not masked whole: %.40q", got)
	}
}

// TestMaskMultiLineSecretLineByLine: a PEM key printed by config:get comes a line at a
// time; every line of it is masked.
func TestMaskMultiLineSecretLineByLine(t *testing.T) {
	pem := "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n"
	m := NewMasker(pem)
	for _, line := range strings.Split(strings.ReplaceAll(pem, "\r", ""), "\n") {
		if line == "" {
			continue
		}
		if got := m.Mask(line); got != Masked {
			t.Errorf("Mask(%q) = %q", line, got)
		}
	}
}
