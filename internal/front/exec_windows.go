//go:build windows

package front

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// run starts the engine with this process's streams and waits for it: Windows has no
// exec. Ctrl+C reaches the engine through the console, so the front ignores it and
// exits with the engine's code.
func run(engine string, args []string) int {
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(engine, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	default:
		fmt.Fprintf(os.Stderr, "dynodoc: cannot start %s: %v\n", textsafe.Visible(engine), err)
		return 1
	}
}
