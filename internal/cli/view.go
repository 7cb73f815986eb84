package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/runbooks"
	"github.com/dynodoc/dynodoc/tui"
)

// ViewOptions are the options of `dynodoc view`.
type ViewOptions struct {
	F       *Factory
	Ctx     context.Context // a signal ends the render
	Runbook string
	Width   int
}

// NewCmdView builds `dynodoc view RUNBOOK`.
func NewCmdView(f *Factory, runF func(*ViewOptions) error) *cobra.Command {
	opts := &ViewOptions{F: f}
	cmd := &cobra.Command{
		Use:   "view RUNBOOK",
		Short: "Render a runbook to the terminal",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Runbook, opts.Ctx = args[0], cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return viewRun(opts)
		},
	}
	cmd.Flags().IntVarP(&opts.Width, "width", "w", 0, "wrap at this many columns (default: the terminal's width, else $COLUMNS, else 80)")
	return cmd
}

func viewRun(opts *ViewOptions) error {
	md, err := viewMarkdown(opts.F, opts.Runbook)
	if err != nil {
		return err
	}
	style := "notty"
	if opts.F.IO.IsTerminal() && opts.F.Getenv("NO_COLOR") == "" {
		style = "dark"
		if s := opts.F.Getenv("GLAMOUR_STYLE"); s != "" {
			style = s
		}
	}
	width := opts.Width
	if width <= 0 {
		width = outputWidth(opts.F)
	}
	out, err := renderMarkdown(opts.Ctx, style, width, md)
	if err != nil {
		return fmt.Errorf("unable to render %s: %w", opts.Runbook, err)
	}
	if style == "notty" {
		out = trimLines(out)
	}
	_, err = fmt.Fprint(opts.F.IO.Out, out)
	return err
}

// renderMarkdown renders md with glamour to fit width columns: paragraphs wrapped at
// the spaces between words, at most tui.MaxProse wide (see tui.RenderWrapped). A
// signal ends the wait: the render is left to the exiting process.
func renderMarkdown(ctx context.Context, style string, width int, md string) (string, error) {
	// glamour's document margin is 2 columns on each side.
	styleOpt := glamour.WithStandardStyle(style)
	if style == "notty" {
		styleOpt = glamour.WithStyles(tui.PlainStyle())
	}
	r, err := glamour.NewTermRenderer(styleOpt, glamour.WithWordWrap(min(max(width-4, 20), tui.MaxProse)))
	if err != nil {
		return "", err
	}
	return cancellable(ctx, func() (string, error) { return tui.RenderWrapped(r, textsafe.Markdown(md), width) })
}

// outputWidth is how wide the output is: the terminal's width, else $COLUMNS, else
// 80 (a pipe), as glow does.
func outputWidth(f *Factory) int {
	if out, ok := f.IO.Out.(*os.File); ok && term.IsTerminal(int(out.Fd())) {
		if w, _, err := term.GetSize(int(out.Fd())); err == nil && w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Getenv("COLUMNS"))); err == nil && n >= 20 && n <= 1000 {
		return n
	}
	return 80
}

// cancellable runs f and returns its answer, or the context's error as soon as ctx
// ends first.
func cancellable(ctx context.Context, f func() (string, error)) (string, error) {
	if ctx == nil {
		return f()
	}
	type answer struct {
		out string
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := f()
		done <- answer{out, err}
	}()
	select {
	case a := <-done:
		return a.out, a.err
	case <-ctx.Done():
		return "", &ExitError{Code: ExitInterrupted, Err: errors.New(interruption(ctx))}
	}
}

// viewMarkdown is what view renders. view only shows, so it never refuses a document
// it can read: its lint problems go to stderr, and a document whose front matter does
// not parse is shown as written.
func viewMarkdown(f *Factory, name string) (string, error) {
	path, src, err := runbook.Resolve(name, runbooks.FS, f.WorkDir)
	if err != nil {
		return "", &ExitError{Code: ExitUsage, Err: err}
	}
	// A document past the bounds is not shown as written either: rendering it is what
	// the bounds are for.
	if err := runbook.CheckBounds(path, src); err != nil {
		return "", &ExitError{Code: ExitUsage, Err: err}
	}
	for _, p := range runbook.LintSource(path, src, actions.LintOptions()) {
		fmt.Fprintln(f.IO.ErrOut, textsafe.Visible(p.String()))
	}
	rb, err := runbook.Parse(path, src)
	if err != nil {
		return string(src), nil
	}
	return RunbookMarkdown(rb), nil
}

// RunbookMarkdown is the runbook as a reader sees it: title, summary, introduction and
// steps, without the front matter.
func RunbookMarkdown(rb *runbook.Runbook) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", rb.Title)
	if rb.Summary != "" {
		fmt.Fprintf(&b, "*%s*\n\n", rb.Summary)
	}
	if rb.Intro != "" {
		b.WriteString(rb.Intro + "\n\n")
	}
	for _, s := range rb.Steps {
		b.WriteString(s.Body + "\n\n")
	}
	return b.String()
}
