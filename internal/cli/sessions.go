package cli

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/journal"
)

// SessionsOptions are the options of `dynodoc sessions`.
type SessionsOptions struct{ F *Factory }

// NewCmdSessions builds `dynodoc sessions`.
func NewCmdSessions(f *Factory, runF func(*SessionsOptions) error) *cobra.Command {
	opts := &SessionsOptions{F: f}
	return &cobra.Command{
		Use:   "sessions",
		Short: "List journaled sessions, newest first",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return sessionsRun(opts)
		},
	}
}

func sessionsRun(opts *SessionsOptions) error {
	list, err := journal.List(journal.Dir(opts.F.Getenv))
	if err != nil {
		return fmt.Errorf("unable to list sessions: %w", err)
	}
	if len(list) == 0 {
		fmt.Fprintln(opts.F.IO.ErrOut, "no sessions yet: every dynodoc run, train and resume is journaled")
		return nil
	}
	w := tabwriter.NewWriter(opts.F.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SESSION\tRUNBOOK\tAPP\tSTARTED\tOUTCOME\tSTEPS")
	for _, s := range list {
		what := s.Runbook
		if s.Training != "" {
			what += " (training: " + s.Training + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d/%d\n", s.ID, oneCell(what), oneCell(sessionApps(s.Apps)),
			s.Started.Local().Format("2006-01-02 15:04"), outcome(s), s.StepsDone, s.Steps)
	}
	return w.Flush()
}

// sessionApps names a session's apps with their environments, production first.
func sessionApps(apps map[string]string) string {
	names := slices.SortedFunc(maps.Keys(apps), func(a, b string) int {
		return cmp.Or(cmp.Compare(envRank(apps[a]), envRank(apps[b])), strings.Compare(a, b))
	})
	for i, app := range names {
		if env := apps[app]; env != "" {
			names[i] = app + " (" + env + ")"
		}
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ", ")
}

func envRank(env string) int {
	if env == "production" {
		return 0
	}
	return 1
}

// outcome says how a session ended (and a drill's verdict) and whether it can be
// resumed.
func outcome(s journal.Summary) string {
	if s.Problem != "" {
		return "damaged journal"
	}
	word := map[string]string{journal.StatusFinished: "finished", journal.StatusAborted: "quit"}[s.Status]
	if word == "" {
		word = "interrupted"
	}
	if s.Verdict != "" {
		word += ", " + s.Verdict
	}
	switch {
	case s.Status == journal.StatusFinished:
	case s.Resumable() == "":
		word += " (resumable)"
	case s.Training != "":
		word += " (a drill: not resumable)"
	}
	return word
}

// oneCell keeps a journal's text on its line of the table.
func oneCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// ResumeOptions are the options of `dynodoc resume`.
type ResumeOptions struct {
	F       *Factory
	ID      string
	Plain   bool
	Yes     bool
	Confirm string
	// ShowSecrets reveals config var values on screen; the journal still masks them.
	ShowSecrets bool
}

// NewCmdResume builds `dynodoc resume [ID]`.
func NewCmdResume(f *Factory, runF func(*ResumeOptions) error) *cobra.Command {
	opts := &ResumeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "resume [ID]",
		Short: "Continue an interrupted or quit session at its first unfinished step",
		Long: `Continue an interrupted (or quit) session: its finished steps keep their results and
are not run again; the walk resumes at the step that was running. With no ID, the
newest session that can be resumed; drills cannot (their simulated Heroku is gone)
and are named when skipped. A shipped runbook resumes from the binary's own copy, from
any folder. A runbook that changed since the session began is named first.`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.ID = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			id := opts.ID
			if id == "" {
				latest, skipped, err := journal.LatestResumable(journal.Dir(f.Getenv))
				for _, s := range skipped {
					fmt.Fprintf(f.IO.ErrOut, "skipped session %s: %s\n", s.ID, s.Why)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(f.IO.ErrOut, "resuming session %s, the newest that can be resumed\n", latest)
				id = latest
			}
			return resumeSession(cmd, f, id, walkSpec{plain: opts.Plain, yes: opts.Yes, confirm: opts.Confirm, showSecrets: opts.ShowSecrets})
		},
	}
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "text mode: one line read per prompt")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "approve risky gates (not destructive ones)")
	cmd.Flags().StringVar(&opts.Confirm, "confirm", "", "approve destructive gates for this app name")
	cmd.Flags().BoolVar(&opts.ShowSecrets, "show-secrets", false, showSecretsHelp)
	return cmd
}

// ReportOptions are the options of `dynodoc report`.
type ReportOptions struct {
	F      *Factory
	ID     string
	Format string
}

// NewCmdReport builds `dynodoc report ID [--format md|json]`.
func NewCmdReport(f *Factory, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "report ID",
		Short: "Print a session's incident timeline for the postmortem",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if runF != nil {
				return runF(opts)
			}
			return reportRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "md", "md or json")
	return cmd
}

func reportRun(opts *ReportOptions) error {
	if opts.Format != "md" && opts.Format != "json" {
		return usageError("--format %q: use md or json", opts.Format)
	}
	path, err := journal.Path(journal.Dir(opts.F.Getenv), opts.ID)
	if err != nil {
		return usageError("%v (dynodoc sessions lists them)", err)
	}
	sess, err := journal.Read(path)
	if err != nil {
		return fmt.Errorf("unable to read session %s: %w (dynodoc sessions lists them)", opts.ID, err)
	}
	for _, n := range sess.Notes {
		fmt.Fprintln(opts.F.IO.ErrOut, "note:", n)
	}
	return journal.Report(sess, opts.Format, opts.F.IO.Out)
}
