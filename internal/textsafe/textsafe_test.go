package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestVisible(t *testing.T) {
	cases := []struct{ in, want string }{
		{"heroku ps -a shop", "heroku ps -a shop"},
		{"a\tb\nc", "a\tb\nc"},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"echo hi\r", `echo hi\x0d`},
		{"del\x7f", `del\x7f`},
		{"nul\x00", `nul\x00`},
		{"c1 \u009b2J", "c1 <U+009B>2J"},
		{"raw \x9b byte", `raw \x9b byte`},
		{"heroku apps:info \u202eyortsed", "heroku apps:info <U+202E>yortsed"},
		{"a\u200bb\u200dc\u2066d\u2069\ufeff\u00ad", "a<U+200B>b<U+200D>c<U+2066>d<U+2069><U+FEFF><U+00AD>"},
		{"line\u2028sep", "line<U+2028>sep"},
		{"filler\u3164", "filler<U+3164>"},
		{"tag\U000E0041", "tag<U+E0041>"},
		{"icon \ue0a0 main, plane 15 \U000F0001", "icon <U+E0A0> main, plane 15 <U+F0001>"},
		{"café ☕ 日本", "café ☕ 日本"},
	}
	for _, c := range cases {
		if got := Visible(c.in); got != c.want {
			t.Errorf("Visible(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Has(c.in); got != (c.in != c.want) {
			t.Errorf("Has(%q) = %v", c.in, got)
		}
	}
}

func TestMarkdown(t *testing.T) {
	in := "# Title \x1b]0;pwned\x07\r\n\r\nProse \x1b[2J with `code \x1b[H`\u202e.\n"
	want := "# Title \\x1b]0;pwned\\x07\n\nProse \\x1b[2J with `code \\x1b[H`<U+202E>.\n"
	if got := Markdown(in); got != want {
		t.Errorf("Markdown = %q, want %q", got, want)
	}
	if s := "no controls\n"; Markdown(s) != s {
		t.Errorf("Markdown changed text without controls: %q", Markdown(s))
	}
}

// FuzzSafe: whatever the text, what Visible and Markdown return holds no
// character a terminal would act on and is valid UTF-8; text that held none comes back
// unchanged.
func FuzzSafe(f *testing.F) {
	for _, s := range []string{
		"\x1b]0;pwned\x07", "\x1b]52;c;ZWNobw==\x07", "\x1b[2J\x1b[H", "\u202e\u2066\u200b",
		"ok\r\nnext", "\x9b31m", "\xc2\x9b2J", "\x1bP\x1b\\", "\x1b", "é\x1b[", strings.Repeat("\x1b[", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range map[string]func(string) string{"Visible": Visible, "Markdown": Markdown} {
			got := fn(s)
			if Has(got) {
				t.Fatalf("%s(%q) = %q still holds an unsafe character", name, s, got)
			}
			if strings.ContainsRune(got, 0x1b) || !utf8.ValidString(got) {
				t.Fatalf("%s(%q) = %q", name, s, got)
			}
			if !Has(s) && got != s {
				t.Fatalf("%s changed safe text %q to %q", name, s, got)
			}
		}
	})
}
