// Command dynodoc is the front a user types (internal/front): it starts in about a
// millisecond, answers --version, guard and risk itself, and execs dynodoc-engine
// beside it for everything else.
package main

import (
	"os"

	"github.com/dynodoc/dynodoc/internal/front"
)

func main() { os.Exit(front.Main(os.Args[1:])) }
