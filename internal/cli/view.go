package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/runbooks"
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
	cmd.Flags().IntVarP(&opts.Width, "width", "w", 100, "wrap at this many columns")
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
	out, err := renderMarkdown(opts.Ctx, style, opts.Width, md)
	if err != nil {
		return fmt.Errorf("unable to render %s: %w", opts.Runbook, err)
	}
	if style == "notty" {
		out = trimLines(out)
	}
	_, err = fmt.Fprint(opts.F.IO.Out, out)
	return err
}

// renderMarkdown renders md with glamour, its quotes capped (glamour is cubic in
// their depth). A signal ends the wait: the render is left to the exiting process.
func renderMarkdown(ctx context.Context, style string, width int, md string) (string, error) {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return "", err
	}
	return cancellable(ctx, func() (string, error) { return r.Render(runbook.CapQuotes(textsafe.Markdown(md))) })
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
