package runbook

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// Bounds on what Parse reads. A runbook is a page of prose and commands: these are far
// above any real one, and far below what would take the parser minutes and gigabytes
// (goldmark's time grows with the square of the nesting depth).
const (
	MaxSize  = 4 << 20 // bytes in the file
	MaxDepth = 100     // nested lists and block quotes on one line
)

// CheckBounds is the check Parse makes first: a runbook larger than MaxSize or nested
// deeper than MaxDepth is refused with a *Problem at its line. A caller that shows a
// document Parse refused (as written) must not show one that fails this.
func CheckBounds(path string, src []byte) error {
	if p := checkBounds(path, src); p != nil {
		return p
	}
	return nil
}

// checkBounds refuses a runbook larger than MaxSize or nested deeper than MaxDepth,
// naming the line where it crosses the bound.
func checkBounds(path string, src []byte) *Problem {
	if len(src) > MaxSize {
		return &Problem{Path: path, Line: newLineIndex(src[:MaxSize+1]).line(MaxSize),
			Message: fmt.Sprintf("the runbook is larger than %d MiB, the most dynodoc reads (it passes that size on this line)", MaxSize>>20)}
	}
	var fence fenceState
	line := 1
	for rest := src; len(rest) > 0; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		depth, text := nesting(l)
		if fence.update(text) {
			continue // inside a fence, indentation is the code's own
		}
		if depth > MaxDepth {
			return &Problem{Path: path, Line: line,
				Message: fmt.Sprintf("this line nests lists or block quotes more than %d levels deep, the most dynodoc reads", MaxDepth)}
		}
	}
	return nil
}

// nesting estimates how many containers a line opens or continues: each block quote
// marker, each list marker, and each two columns of indentation (a nested list item
// is indented by at least two). It returns the rest of the line too.
func nesting(l []byte) (depth int, rest []byte) {
	col, i := 0, 0
	for i < len(l) {
		switch c := l[i]; {
		case c == ' ':
			col++
		case c == '\t':
			col += 4 - col%4
		case c == '>':
			depth++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(l) && (l[i+1] == ' ' || l[i+1] == '\t'):
			depth++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j+1 < len(l) && (l[j] == '.' || l[j] == ')') && (l[j+1] == ' ' || l[j+1] == '\t') {
				depth++
				i = j
				break
			}
			return depth + col/2, l[i:]
		default:
			return depth + col/2, l[i:]
		}
		i++
	}
	return depth + col/2, nil
}

// fenceState follows fenced code blocks, line by line.
type fenceState struct {
	char byte
	n    int
}

// update takes a line's text after its container markers and reports whether the line
// belongs to a fenced code block (its opening and closing fences included).
func (f *fenceState) update(text []byte) bool {
	c, n := fenceRun(text)
	switch {
	case f.n == 0 && n >= 3:
		f.char, f.n = c, n
		return true
	case f.n > 0 && c == f.char && n >= f.n && len(bytes.TrimSpace(text[n:])) == 0:
		f.n = 0
		return true
	}
	return f.n > 0
}

func fenceRun(text []byte) (byte, int) {
	if len(text) == 0 || (text[0] != '`' && text[0] != '~') {
		return 0, 0
	}
	n := 0
	for n < len(text) && text[n] == text[0] {
		n++
	}
	return text[0], n
}

// ReadFile reads a runbook from disk through MaxSize: a larger file (or /dev/zero) is
// refused after MaxSize+1 bytes, not read to its end.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > MaxSize {
		return nil, fmt.Errorf("%s is larger than %d MiB, the most dynodoc reads as a runbook", path, MaxSize>>20)
	}
	return src, nil
}

// MaxRenderQuotes is how many block quotes deep Markdown is rendered: glamour's time
// grows with the cube of the quote depth (300 levels take half a second, 1,000 take
// twenty), so deeper quote markers are dropped before rendering.
const MaxRenderQuotes = 32

// CapQuotes returns md with each line's block-quote markers beyond MaxRenderQuotes
// removed (fenced code is left alone): what a renderer is given renders in bounded
// time, whatever the runbook or a caller holds.
func CapQuotes(md string) string {
	if strings.Count(md, ">") <= MaxRenderQuotes {
		return md // the common case: nothing can be that deep
	}
	var b strings.Builder
	b.Grow(len(md))
	var fence fenceState
	for line := range strings.SplitAfterSeq(md, "\n") {
		_, text := nesting([]byte(line))
		if fence.update(text) {
			b.WriteString(line)
			continue
		}
		b.WriteString(capLineQuotes(line))
	}
	return b.String()
}

// capLineQuotes drops the '>' of a line's container prefix past MaxRenderQuotes.
func capLineQuotes(line string) string {
	quotes, i := 0, 0
	var b []byte
	for ; i < len(line); i++ {
		c := line[i]
		if c != '>' && c != ' ' && c != '\t' {
			break
		}
		if c == '>' {
			if quotes++; quotes > MaxRenderQuotes {
				if b == nil {
					b = append(make([]byte, 0, len(line)), line[:i]...)
				}
				continue
			}
		}
		if b != nil {
			b = append(b, c)
		}
	}
	if b == nil {
		return line
	}
	return string(append(b, line[i:]...))
}
