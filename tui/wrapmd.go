package tui

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/glamour"
	gansi "github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// Glamour wraps a paragraph with muesli/reflow, which may break a line after any
// '-', and then wraps every block with margins again with x/ansi's Wordwrap, which
// may break after any of " ,.;-+|". A command read at 3 a.m. must not be cut in two:
// `--app shop-` / `prod` is two wrong commands. So, before rendering, every one of
// those characters that sits inside a word (and every space inside a code span) is
// swapped for a private-use rune that neither wrapper breaks at, and swapped back in
// the rendered text: the wrappers then only break at the spaces between words.
// In a fenced code block only the break characters are swapped (a code line too long
// for the pane is wrapped at a space); tables, rules and HTML comments are left as
// written.

// breakRunes are the characters glamour's wrappers may break after; nbRunes are their
// stand-ins, in the same order. nbSpace stands in for a space inside a code span.
const (
	breakRunes = "-.,;+|"
	nbRunes    = "\ue001\ue002\ue003\ue004\ue005\ue006"
	nbSpace    = '\ue000'
)

var (
	nbOf      = map[rune]rune{}
	unprotect *strings.Replacer
)

func init() {
	nb := []rune(nbRunes)
	pairs := []string{string(nbSpace), " "}
	for i, r := range breakRunes {
		nbOf[r] = nb[i]
		pairs = append(pairs, string(nb[i]), string(r))
	}
	unprotect = strings.NewReplacer(pairs...)
}

// ProtectWords readies Markdown for glamour so that its wrappers only break at spaces
// between words (see above); RestoreWords undoes it on the rendered text. A source that
// already holds one of the stand-ins is returned as it is (and so is not protected):
// restoring would change what it says.
func ProtectWords(src string) string {
	if strings.ContainsAny(src, nbRunes+string(nbSpace)) {
		return src
	}
	lines := joinItems(strings.Split(src, "\n"))
	fence := ""
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t>")
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			} else {
				lines[i] = protectCode(l)
			}
			continue
		}
		if f := fenceOf(t); f != "" {
			fence = f
			continue
		}
		if keepLine(t) {
			continue
		}
		lines[i] = protectLine(l)
	}
	return strings.Join(lines, "\n")
}

// protectCode swaps the break characters followed by a non-space in a line of a code
// block: glamour wraps a code line too long for the pane, and then only at a space.
func protectCode(l string) string {
	rs := []rune(l)
	for i, r := range rs {
		if nb := nbOf[r]; nb != 0 && i+1 < len(rs) && !isSpace(rs[i+1]) {
			rs[i] = nb
		}
	}
	return string(rs)
}

// itemLine is a line that opens a list item.
var itemLine = regexp.MustCompile(`^\s*([-*+]|\d{1,9}[.)])\s+\S`)

// joinItems joins the soft line breaks of list items: glamour reflows a paragraph but
// keeps a tight list item's lines as written, and a line wrapped again leaves an
// orphan word ("with shop-" / "staging"). A line that opens a block of its own, or
// follows a hard break (two spaces or a backslash at the end), is not joined.
func joinItems(lines []string) []string {
	out := make([]string, 0, len(lines))
	fence, inItem := "", false
	for _, l := range lines {
		t := strings.TrimLeft(l, " \t>")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			inItem = false
		case fenceOf(t) != "":
			fence, inItem = fenceOf(t), false
		case strings.TrimSpace(l) == "", strings.HasPrefix(strings.TrimSpace(l), ">"), keepLine(t):
			inItem = false
		case itemLine.MatchString(l):
			inItem = true
		case inItem && !startsBlock(t):
			prev := out[len(out)-1]
			if !strings.HasSuffix(prev, "  ") && !strings.HasSuffix(prev, "\\") {
				out[len(out)-1] = strings.TrimRight(prev, " \t") + " " + strings.TrimSpace(l)
				continue
			}
		default:
			inItem = false
		}
		out = append(out, l)
	}
	return out
}

// startsBlock reports whether a line (its indent cut) opens a block of its own.
func startsBlock(t string) bool {
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, "<") || strings.HasPrefix(t, "    ")
}

// RestoreWords puts back what ProtectWords swapped out.
func RestoreWords(s string) string { return unprotect.Replace(s) }

// fenceOf is the fence a line opens (``` or ~~~ and longer), or "".
func fenceOf(t string) string {
	for _, c := range []string{"`", "~"} {
		n := len(t) - len(strings.TrimLeft(t, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// keepLine reports whether a line is Markdown syntax whose punctuation must stay as
// written: a table row, a rule or a setext underline, an HTML comment.
func keepLine(t string) bool {
	switch {
	case strings.HasPrefix(t, "|"), strings.Contains(t, "<!--"), strings.Contains(t, "-->"):
		return true
	case strings.Trim(t, "-=*_: \t") == "":
		return true
	}
	return false
}

// protectLine swaps the break characters followed by a non-space (inside a word, or
// a flag's leading dashes), and the spaces inside code spans, for their stand-ins. A
// list marker ("- ", "1. ") is followed by a space, and stays.
func protectLine(l string) string {
	rs := []rune(l)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '`' {
			n := 1
			for i+n < len(rs) && rs[i+n] == '`' {
				n++
			}
			if end := closingTicks(rs, i+n, n); end >= 0 {
				out = append(out, rs[i:i+n]...)
				for _, c := range rs[i+n : end] {
					switch {
					case c == ' ':
						c = nbSpace
					case nbOf[c] != 0:
						c = nbOf[c]
					}
					out = append(out, c)
				}
				out = append(out, rs[end:end+n]...)
				i = end + n - 1
				continue
			}
			out = append(out, rs[i:i+n]...)
			i += n - 1
			continue
		}
		if nb := nbOf[r]; nb != 0 && i+1 < len(rs) && !isSpace(rs[i+1]) {
			r = nb
		}
		out = append(out, r)
	}
	return string(out)
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' }

// closingTicks is where the run of exactly n backticks that closes a code span starts,
// at or after from, or -1.
func closingTicks(rs []rune, from, n int) int {
	for j := from; j < len(rs); j++ {
		if rs[j] != '`' {
			continue
		}
		k := j
		for k < len(rs) && rs[k] == '`' {
			k++
		}
		if k-j == n {
			return j
		}
		j = k - 1
	}
	return -1
}

// fitWidth breaks a rendered line still wider than w (a word or a code line longer
// than the screen) so that nothing runs past the edge, continuing under its indent.
func fitWidth(s string, w int) string {
	if w <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, w, true), "\n")...)
	}
	return strings.Join(out, "\n")
}

// RenderWrapped renders Markdown with r, breaking lines only at the spaces between
// words, and fits what is still wider than w (a long word or code line) to w.
func RenderWrapped(r *glamour.TermRenderer, src string, w int) (string, error) {
	out, err := r.Render(ProtectWords(runbook.CapQuotes(src))) // glamour is cubic in the quote depth
	if err != nil {
		return "", err
	}
	return fitWidth(RestoreWords(out), w), nil
}

// PlainStyle is glamour's ASCII style without the Markdown markup it writes back
// (** for bold, * for emphasis, ` around code, # before headings): what a pipe, a log
// or a screen reader gets is text, not Markdown.
func PlainStyle() gansi.StyleConfig {
	s := styles.ASCIIStyleConfig
	s.Strong, s.Emph, s.Strikethrough = gansi.StylePrimitive{}, gansi.StylePrimitive{}, gansi.StylePrimitive{}
	s.Code = gansi.StyleBlock{}
	for _, h := range []*gansi.StyleBlock{&s.H1, &s.H2, &s.H3, &s.H4, &s.H5, &s.H6} {
		h.Prefix = ""
	}
	return s
}
