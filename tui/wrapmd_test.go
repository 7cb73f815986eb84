package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/x/ansi"
)

// brokenCommand finds a rendered line that ends inside something that must not be
// cut: a code span left open, an app name or a flag cut at a dash, a URL cut at a dot.
func brokenCommand(lines []string, apps ...string) (int, string) {
	cut := regexp.MustCompile(`(--|[a-z0-9]-|https?://\S*[./-])$`)
	for i, l := range lines {
		l = strings.TrimRight(ansi.Strip(l), " │┃")
		if strings.Count(l, "`")%2 == 1 {
			return i, l
		}
		if cut.MatchString(l) {
			return i, l
		}
		for _, a := range apps {
			if pre, _, ok := strings.Cut(a, "-"); ok && strings.HasSuffix(l, pre) && i+1 < len(lines) &&
				strings.HasPrefix(strings.TrimSpace(ansi.Strip(lines[i+1])), strings.TrimPrefix(a, pre)) {
				return i, l
			}
		}
	}
	return -1, ""
}

// TestRenderNeverBreaksACommand renders prose full of flags, app names, code spans and
// URLs at every width from 60 (the longest of them fits) to 80: no line ends inside
// one of them, and the text
// reads the same once the wrapping is taken out.
func TestRenderNeverBreaksACommand(t *testing.T) {
	src := "Every command passes `--app \"$APP\"` to name its app. Scale it with `heroku ps:scale web=2 --app shop-prod`\n" +
		"and check shop-staging and shop-prod, then read https://devcenter.heroku.com/articles/release-phase,\n" +
		"or pass --app shop-prod to heroku releases:rollback v41 --app shop-prod.\n\n" +
		"- a list item with shop-staging\n  continued on a soft break with --app shop-prod\n\n" +
		"```sh\nheroku ps --app shop-prod   # kept as written\n```\n"
	for w := 60; w <= 80; w++ {
		r, err := glamour.NewTermRenderer(glamour.WithStyles(PlainStyle()), glamour.WithWordWrap(w-4))
		if err != nil {
			t.Fatal(err)
		}
		out, err := RenderWrapped(r, src, w)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out, "\n")
		if i, l := brokenCommand(lines, "shop-prod", "shop-staging"); i >= 0 {
			t.Fatalf("width %d: line %d ends inside a command: %q\n%s", w, i, l, out)
		}
		for i, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Fatalf("width %d: line %d is %d wide: %q", w, i, ansi.StringWidth(l), l)
			}
		}
		flat := strings.Join(strings.Fields(out), " ")
		for _, want := range []string{"--app \"$APP\"", "heroku ps:scale web=2 --app shop-prod", "https://devcenter.heroku.com/articles/release-phase,",
			"heroku ps --app shop-prod   # kept as written"} {
			if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
				t.Fatalf("width %d: %q is not in the text:\n%s", w, want, out)
			}
		}
		if !strings.Contains(out, "heroku ps --app shop-prod   # kept as written") {
			t.Fatalf("width %d: the code block lost its spacing:\n%s", w, out)
		}
		if strings.ContainsAny(out, nbRunes+string(nbSpace)) {
			t.Fatalf("width %d: a stand-in is left in the text: %q", w, out)
		}
	}
}

// TestProtectWordsKeepsSyntax: list markers, rules, tables and comments keep their
// punctuation, and a source that already holds a stand-in is left alone.
func TestProtectWordsKeepsSyntax(t *testing.T) {
	for _, src := range []string{"- item\n", "1. first\n", "---\n", "| a-b | c |\n", "<!-- x-y -->\n", "a\ue001b --app x\n"} {
		got := ProtectWords(src)
		if src == "a\ue001b --app x\n" || !strings.ContainsAny(src, breakRunes) {
			if got != src {
				t.Errorf("ProtectWords(%q) = %q, want it unchanged", src, got)
			}
			continue
		}
		if src != "- item\n" && src != "1. first\n" && got != src {
			t.Errorf("ProtectWords(%q) = %q, want it unchanged", src, got)
		}
		if RestoreWords(got) != src {
			t.Errorf("RestoreWords(ProtectWords(%q)) = %q", src, RestoreWords(got))
		}
	}
	if got := ProtectWords("- item --app shop-prod\n"); !strings.HasPrefix(got, "- item ") || strings.Contains(got, "shop-prod") {
		t.Errorf("ProtectWords kept the marker or left the app name breakable: %q", got)
	}
}

// TestPlainStyleHasNoMarkup: bold, emphasis, code and headings come out as text.
func TestPlainStyleHasNoMarkup(t *testing.T) {
	r, err := glamour.NewTermRenderer(glamour.WithStyles(PlainStyle()), glamour.WithWordWrap(60))
	if err != nil {
		t.Fatal(err)
	}
	out, err := RenderWrapped(r, "## Title\n\n**Green everywhere**: not *upstream*, run `heroku ps`.\n", 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"**", "`", "##", "*upstream*"} {
		if strings.Contains(out, bad) {
			t.Errorf("plain text holds %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "Green everywhere: not upstream, run heroku ps.") {
		t.Errorf("plain text lost words:\n%s", out)
	}
}

// TestBrokenCommandScanner: the scanner the goldens go through sees each way a line
// can end inside a command, and passes clean text.
func TestBrokenCommandScanner(t *testing.T) {
	for _, lines := range [][]string{
		{"run heroku ps --", "app shop-prod"},
		{"check shop-", "prod now"},
		{"an open `code", "span`"},
		{"read https://devcenter.heroku.", "com/articles"},
		{"│ the app is shop", "-prod"},
	} {
		if i, _ := brokenCommand(lines, "shop-prod"); i != 0 {
			t.Errorf("not seen on line 0: %q (got %d)", lines, i)
		}
	}
	if i, l := brokenCommand([]string{"run `heroku ps --app shop-prod`", "then read the", "output │"}, "shop-prod"); i >= 0 {
		t.Errorf("clean text flagged at %d: %q", i, l)
	}
}

// TestWrapBreaksOnlyAtSpaces: the gate's wrap never cuts a flag or an app name after a
// hyphen, at any width; a word wider than the width is still cut, and a text holding
// the stand-in rune comes back as it was given.
func TestWrapBreaksOnlyAtSpaces(t *testing.T) {
	s := "Undo: heroku releases:rollback v42 --app shop-prod-eu-west (action releases.rollback version=42) on shop-staging"
	for w := len("releases.rollback"); w <= 80; w++ { // its longest word fits
		out := wrap(s, w)
		lines := strings.Split(out, "\n")
		if i, l := brokenCommand(lines, "shop-prod-eu-west", "shop-staging"); i >= 0 {
			t.Fatalf("width %d: line %d ends inside a command: %q\n%s", w, i, l, out)
		}
		if got := strings.Join(strings.Fields(out), " "); got != s {
			t.Fatalf("width %d: the text changed: %q", w, got)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Fatalf("width %d: line %q is too wide", w, l)
			}
		}
	}
	if got := wrap("a-very-long-hyphenated-name", 10); !strings.Contains(got, "\n") {
		t.Errorf("a word wider than the width was not cut: %q", got)
	}
	held := "type shop-prod, not shop\ue001prod"
	if got := wrap(held, 12); !strings.Contains(got, "shop\ue001prod") {
		t.Errorf("a text with the stand-in rune changed: %q", got)
	}
}
