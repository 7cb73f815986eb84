package shell

import (
	"context"
	"fmt"
	"os"
)

// deathHelperEnv switches the test binary into deathHelper: a stand-in for dynodoc
// that runs one block and is killed while it runs.
const deathHelperEnv = "DYNODOC_SHELL_DEATH_HELPER"

// deathHelper runs the block in $DYNODOC_SHELL_DEATH_HELPER, printing its output, and
// exits when it ends (it is meant to be killed first).
func deathHelper() {
	res := Run(context.Background(), Spec{Command: os.Getenv(deathHelperEnv)}, func(_, line string) {
		fmt.Println(line)
	})
	fmt.Println("ended", res.ExitCode)
	os.Exit(0)
}
