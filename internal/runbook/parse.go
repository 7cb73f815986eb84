package runbook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Parse parses a runbook. It fails only when the file cannot be read as a runbook at
// all (an unterminated or malformed YAML front matter, a size or nesting past MaxSize
// or MaxDepth), with a *Problem; every other
// fault is left for Lint to report. path names the file in messages and gives the
// runbook its Name. Parse keeps src as the Runbook's Source; do not modify it after.
func Parse(path string, src []byte) (*Runbook, error) {
	sum := sha256.Sum256(src)
	rb := &Runbook{
		Name:   strings.TrimSuffix(filepath.Base(path), ".md"),
		Path:   path,
		Digest: hex.EncodeToString(sum[:]),
		Source: src,
	}
	if perr := checkBounds(path, src); perr != nil {
		return nil, perr
	}
	yamlText, bodyOff, perr := splitFrontMatter(path, src)
	if perr != nil {
		return nil, perr
	}
	if yamlText != nil {
		fm, perr := parseFrontMatter(path, yamlText)
		if perr != nil {
			return nil, perr
		}
		rb.Title, rb.Summary, rb.Params, rb.issues = fm.title, fm.summary, fm.params, fm.issues
		rb.Cwd, rb.Shell = fm.cwd, fm.shell
	}
	p := &bodyParser{rb: rb, body: src[bodyOff:], base: bodyOff, lines: newLineIndex(src)}
	p.parse()
	if rb.Title == "" {
		rb.Title = rb.Name
	}
	return rb, nil
}

// openedAtKey keys, in a goldmark parse context, the map from heading and fenced code
// nodes to the offset of the line where their parser opened them. goldmark keeps no
// position for a fence without an info string and content, nor for an empty heading.
var openedAtKey = parser.NewContextKey()

// openRecorder wraps a goldmark block parser to record where it opens headings and
// fenced code blocks.
type openRecorder struct{ parser.BlockParser }

func (r openRecorder) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	_, seg := reader.PeekLine()
	n, state := r.BlockParser.Open(parent, reader, pc)
	if n != nil && (n.Kind() == ast.KindHeading || n.Kind() == ast.KindFencedCodeBlock) {
		if opened, ok := pc.Get(openedAtKey).(map[ast.Node]int); ok {
			opened[n] = seg.Start
		}
	}
	return n, state
}

// markdown is CommonMark without extensions: runbooks must read the same on GitHub,
// and glamour renders them, so dynodoc adds no syntax of its own to the body.
var markdown = func() parser.Parser {
	blocks := parser.DefaultBlockParsers()
	for i := range blocks {
		blocks[i].Value = openRecorder{blocks[i].Value.(parser.BlockParser)}
	}
	return parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
}()

// bodyParser walks the goldmark AST of the Markdown body into the Runbook. Offsets in
// the AST are relative to body; base turns them into offsets in the whole file so
// that line numbers count the front matter too.
type bodyParser struct {
	rb     *Runbook
	body   []byte
	base   int
	lines  lineIndex
	opened map[ast.Node]int
}

func (p *bodyParser) parse() {
	p.opened = map[ast.Node]int{}
	pc := parser.NewContext()
	pc.Set(openedAtKey, p.opened)
	doc := markdown.Parse(text.NewReader(p.body), parser.WithContext(pc))

	level := stepLevel(doc)
	var h1 *ast.Heading
	var step *Step
	var stepStart int
	var stepCut [2]int
	var before Step // blocks above the first step heading
	introEnd := len(p.body)
	finish := func(end int) {
		if step != nil {
			step.Body = p.stepBody(stepStart, end, stepCut)
			p.rb.Steps = append(p.rb.Steps, *step)
		}
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, _ := n.(*ast.Heading)
		switch {
		case h != nil && h.Level == level:
			start := p.headingStart(h)
			if step == nil {
				introEnd = start
			}
			finish(start)
			step, stepStart, stepCut = p.newStep(h, start)
		case h != nil && h.Level == 1 && h1 == nil:
			h1 = h
		case step != nil:
			p.collectBlocks(n, step)
		default:
			p.collectBlocks(n, &before)
		}
	}
	finish(len(p.body))

	if h1 != nil && p.rb.Title == "" {
		p.rb.Title, _, _ = p.headingText(h1)
	}
	p.rb.Intro = p.intro(h1, introEnd)
	p.layout(level, before)
}

// newStep makes the step for an H2 whose line starts at start, and returns the span
// of its {#id} for stepBody to cut.
func (p *bodyParser) newStep(h *ast.Heading, start int) (*Step, int, [2]int) {
	title, id, cut := p.headingText(h)
	if id == "" {
		id = Slug(title)
	}
	return &Step{ID: id, Title: title, Line: p.line(start)}, start, cut
}

// headingText returns a heading's plain-text title and its trailing {#id}, and the
// span of the body to cut so the heading reads cleanly without it ({-1,-1} if none).
func (p *bodyParser) headingText(h *ast.Heading) (title, id string, cut [2]int) {
	cut = [2]int{-1, -1}
	title = strings.TrimSpace(plainText(h, p.body))
	if h.Lines().Len() == 0 {
		return title, "", cut
	}
	seg := h.Lines().At(h.Lines().Len() - 1)
	raw := p.body[seg.Start:seg.Stop]
	braces, from, ok := trailingID(raw)
	if !ok {
		return title, "", cut
	}
	id = strings.TrimSpace(string(braces[1 : len(braces)-1]))[1:]
	title = strings.TrimSpace(strings.TrimSuffix(title, string(braces)))
	return title, id, [2]int{seg.Start + from, seg.Start + from + len(bytes.TrimRight(raw[from:], " \t"))}
}

// trailingID finds "{#id}" at the end of a heading's text. It returns the braces and
// their contents, and the index where the cut starts (the spaces before the brace).
func trailingID(raw []byte) (braces []byte, from int, ok bool) {
	trimmed := bytes.TrimRight(raw, " \t")
	if !bytes.HasSuffix(trimmed, []byte("}")) {
		return nil, 0, false
	}
	open := bytes.LastIndexByte(trimmed, '{')
	if open < 0 || open > 0 && trimmed[open-1] == '\\' {
		return nil, 0, false
	}
	braces = trimmed[open:]
	inner := bytes.TrimSpace(braces[1 : len(braces)-1])
	if len(inner) < 2 || inner[0] != '#' || bytes.ContainsAny(inner[1:], " \t{}#") {
		return nil, 0, false
	}
	from = len(bytes.TrimRight(trimmed[:open], " \t"))
	return braces, from, true
}

// headingStart is the body offset of the start of a heading's first line.
func (p *bodyParser) headingStart(h *ast.Heading) int {
	off, ok := p.opened[h]
	if h.Lines().Len() > 0 && (!ok || h.Lines().At(0).Start < off) {
		off = h.Lines().At(0).Start // a setext heading opens at its underline
	}
	return bytes.LastIndexByte(p.body[:off], '\n') + 1
}

// headingEnd is the body offset just past a heading's last line (for a setext heading,
// its underline).
func (p *bodyParser) headingEnd(h *ast.Heading) int {
	off, ok := p.opened[h]
	if !ok && h.Lines().Len() > 0 {
		off = h.Lines().At(h.Lines().Len() - 1).Start
	}
	if nl := bytes.IndexByte(p.body[off:], '\n'); nl >= 0 {
		return off + nl + 1
	}
	return len(p.body)
}

// stepBody is the step's Markdown from start to end, ending in one newline, without the heading's {#id}
// (at cut) so that glamour shows a clean title.
func (p *bodyParser) stepBody(start, end int, cut [2]int) string {
	body := string(p.body[start:end])
	if cut[0] >= start && cut[1] <= end && cut[0] <= cut[1] {
		body = string(p.body[start:cut[0]]) + string(p.body[cut[1]:end])
	}
	return strings.TrimRight(body, " \t\r\n") + "\n"
}

// intro is the Markdown before the first H2, without the H1.
func (p *bodyParser) intro(h1 *ast.Heading, end int) string {
	if h1 == nil {
		return trimBlankLines(string(p.body[:end]))
	}
	start, after := p.headingStart(h1), p.headingEnd(h1)
	if after > end {
		return trimBlankLines(string(p.body[:end]))
	}
	var parts []string
	for _, part := range []string{string(p.body[:start]), string(p.body[after:end])} {
		if part = trimBlankLines(part); part != "" {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, "\n\n")
}

// collectBlocks appends the fenced code blocks under n to the step, in order.
func (p *bodyParser) collectBlocks(n ast.Node, step *Step) {
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fcb, ok := n.(*ast.FencedCodeBlock); ok && entering {
			b := p.block(fcb)
			if b.attrErr != "" {
				p.rb.issues = append(p.rb.issues, Problem{Path: p.rb.Path, Line: b.Line, Message: b.attrErr})
				if p.rb.badAttrs == nil {
					p.rb.badAttrs = map[int]bool{}
				}
				p.rb.badAttrs[b.Line] = true
			}
			step.Blocks = append(step.Blocks, b.Block)
		}
		return ast.WalkContinue, nil
	})
}

// parsedBlock is a Block with the attribute error found while parsing it.
type parsedBlock struct {
	Block
	attrErr string
}

func (p *bodyParser) block(fcb *ast.FencedCodeBlock) parsedBlock {
	var info string
	if fcb.Info != nil {
		info = string(fcb.Info.Segment.Value(p.body))
	}
	lang, rest := splitInfo(info)
	b := parsedBlock{Block: Block{Kind: kindOf(lang), Lang: lang, Line: p.line(p.fenceOffset(fcb))}}
	var content strings.Builder
	for i := 0; i < fcb.Lines().Len(); i++ {
		seg := fcb.Lines().At(i)
		content.Write(seg.Value(p.body))
	}
	b.Body = content.String()
	if lang == "" && looksLikeShell(b.Body) {
		b.Kind = KindCommand // as in Runme, an unlabelled block of shell is a command
	}
	attrs, err := ParseAttrs(rest)
	b.Attrs = attrs
	if err != nil && b.Kind != KindOther {
		b.attrErr = "bad block attributes: " + err.Error()
	}
	switch b.Kind {
	case KindAsk:
		b.Body = strings.TrimSpace(b.Body)
	case KindCommand:
		p.commandBody(&b.Block)
	}
	return b
}

// fenceOffset is the body offset of a fenced block's opening fence line.
func (p *bodyParser) fenceOffset(fcb *ast.FencedCodeBlock) int {
	if off, ok := p.opened[fcb]; ok {
		return off
	}
	if fcb.Info != nil {
		return fcb.Info.Segment.Start
	}
	if fcb.Lines().Len() > 0 {
		start := fcb.Lines().At(0).Start
		return bytes.LastIndexByte(p.body[:start], '\n') // the newline ending the fence line
	}
	return 0
}

// kindOf maps an info string's first word to what the block does.
func kindOf(lang string) BlockKind {
	switch strings.ToLower(lang) {
	case "sh", "bash", "shell":
		return KindCommand
	case "check":
		return KindCheck
	case "action":
		return KindAction
	case "ask":
		return KindAsk
	}
	return KindOther
}

// line is the 1-based file line of a body offset.
func (p *bodyParser) line(bodyOff int) int { return p.lines.line(p.base + bodyOff) }

// plainText is a node's text without Markdown syntax: emphasis, code spans and links
// give their text.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			text := n.Segment.Value(src)
			if _, code := n.Parent().(*ast.CodeSpan); !code {
				// goldmark leaves escapes and entities to its renderer.
				text = util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(text)))
			}
			b.Write(text)
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// trimBlankLines drops leading and trailing lines that hold only white space, keeping
// the indentation of the first line that has text.
func trimBlankLines(s string) string {
	s = strings.TrimRight(s, " \t\r\n")
	for {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 || strings.TrimSpace(s[:nl]) != "" {
			break
		}
		s = s[nl+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets where lines start

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (idx lineIndex) line(off int) int {
	return sort.Search(len(idx), func(i int) bool { return idx[i] > off })
}
