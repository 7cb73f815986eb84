//go:build !windows

package front

import (
	"fmt"
	"os"
	"syscall"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// run replaces this process with the engine: same pid, terminal, signals and
// environment, and the name the user typed as argv[0].
func run(engine string, args []string) int {
	argv := append([]string{os.Args[0]}, args...)
	err := syscall.Exec(engine, argv, os.Environ())
	fmt.Fprintf(os.Stderr, "dynodoc: cannot start %s: %v\n", textsafe.Visible(engine), err)
	return 1
}
