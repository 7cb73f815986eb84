package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/guard"
)

// GuardOptions are the options of `dynodoc guard -- heroku ARGS...`.
type GuardOptions struct {
	F    *Factory
	Argv []string // "heroku" and its arguments
}

// NewCmdGuard builds `dynodoc guard`, with `init` and `status`.
func NewCmdGuard(f *Factory, runF func(*GuardOptions) error) *cobra.Command {
	opts := &GuardOptions{F: f}
	cmd := &cobra.Command{
		Use:   "guard -- heroku ARGS...",
		Short: "Put dynodoc's gate in front of the Heroku CLI you type by hand",
		Long: `dynodoc guard runs the real heroku after classifying the command: a read runs at
once, untouched; a risky command asks y/N on the terminal (the app's name on
production); a destructive one wants the app's name typed. Without a terminal, risky
commands run and destructive ones need --confirm APP. Guarded commands are journaled
(dynodoc sessions). "eval \"$(dynodoc guard init bash)\"" routes heroku through it;
DYNODOC_GUARD=off or "command heroku" bypasses it. See docs/GUARD.md.`,
		Example: `  dynodoc guard -- heroku ps:restart -a shop-staging
  eval "$(dynodoc guard init bash)"
  dynodoc guard status`,
		// Everything after "guard" is the heroku command line, flags included.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && args[0] == "--" {
				args = args[1:]
			}
			if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
				return cmd.Help()
			}
			if args[0] != "heroku" {
				return usageError("dynodoc guard guards the Heroku CLI: dynodoc guard -- heroku %s", args[0])
			}
			opts.Argv = args
			if runF != nil {
				return runF(opts)
			}
			return guardRun(cmd, opts)
		},
	}
	cmd.AddCommand(newCmdGuardInit(f), newCmdGuardStatus(f))
	return cmd
}

func guardRun(cmd *cobra.Command, opts *GuardOptions) error {
	r := newGuardRunner(opts.F)
	if code := r.Run(cmd.Context(), opts.Argv); code != 0 {
		return &ExitError{Code: code}
	}
	return nil
}

// newGuardRunner wires the guard to the Factory's process.
func newGuardRunner(f *Factory) *guard.Runner {
	return guard.NewRunner(guard.Process{Stdin: f.IO.In, Stdout: f.IO.Out, Stderr: f.IO.ErrOut,
		Getenv: f.Getenv, Dir: f.WorkDir, Now: f.Now, Version: Version})
}

func newCmdGuardInit(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:       "init bash|zsh|fish",
		Short:     "Print the shell function that routes heroku through the guard",
		Example:   `  eval "$(dynodoc guard init bash)"      # in ~/.bashrc (zsh: ~/.zshrc)` + "\n" + `  dynodoc guard init fish | source        # in ~/.config/fish/config.fish`,
		Args:      usageArgs(cobra.ExactArgs(1)),
		ValidArgs: []string{"bash", "zsh", "fish"},
		RunE: func(cmd *cobra.Command, args []string) error {
			self, _ := os.Executable()
			script, err := guard.InitScript(args[0], guard.GuardCommand(f.Getenv("PATH"), self))
			if err != nil {
				return usageError("%v", err)
			}
			_, err = fmt.Fprint(f.IO.Out, script)
			return err
		},
	}
}

func newCmdGuardStatus(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Say whether the guard is active and which heroku it wraps",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			self, _ := os.Executable()
			_, err := fmt.Fprint(f.IO.Out, guard.Status(f.Getenv, self))
			return err
		},
	}
}
