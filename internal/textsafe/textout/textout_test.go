package textout

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain line", "plain line"},
		{"\x1b]0;pwned\x07title", "title"},
		{"\x1b]52;c;ZWNobw==\x07clip", "clip"},
		{"\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"\x1b[2J\x1b[Hcleared", "cleared"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x1b[8mconcealed\x1b[0m", "concealed"},
		{"\x1bPq#0;2;0;0;0\x1b\\dcs", "dcs"},
		{"\x1b_apc\x1b\\x", "x"},
		{"10%\r50%\r100%", "100%"},
		{"done\r", "done"},
		{"bell\x07", `bell\x07`},
		{"back\bspace", `back\x08space`},
		{"tab\there", "tab\there"},
		{"bidi \u202e", "bidi <U+202E>"},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzLine: whatever a command prints, the line drawn holds no character a terminal
// would act on and is valid UTF-8; a line that held none comes back unchanged.
func FuzzLine(f *testing.F) {
	for _, s := range []string{
		"\x1b]0;pwned\x07", "\x1b]52;c;ZWNobw==\x07", "\x1b[2J\x1b[H", "\u202e\u2066\u200b",
		"ok\r\nnext", "\x9b31m", "\xc2\x9b2J", "\x1bP\x1b\\", "\x1b", "é\x1b[", strings.Repeat("\x1b[", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Line(s)
		if textsafe.Has(got) || strings.ContainsRune(got, 0x1b) || !utf8.ValidString(got) {
			t.Fatalf("Line(%q) = %q", s, got)
		}
		if !textsafe.Has(s) && got != s {
			t.Fatalf("Line changed safe text %q to %q", s, got)
		}
	})
}

func BenchmarkLinePlain(b *testing.B) {
	line := strings.Repeat("2026-12-02T13:00:00Z app[web.1]: GET /health 200 ", 3)
	b.ReportAllocs()
	for b.Loop() {
		Line(line)
	}
}

func BenchmarkLineEscapes(b *testing.B) {
	line := "\x1b[32m2026-12-02T13:00:00Z\x1b[0m app[web.1]: \x1b]0;t\x07GET /health 200"
	b.ReportAllocs()
	for b.Loop() {
		Line(line)
	}
}
