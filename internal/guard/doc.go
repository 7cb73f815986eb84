// Package guard owns `dynodoc guard`: the gate in front of the Heroku CLI typed by
// hand. It finds the real heroku, classifies the command with internal/risk, resolves
// the target app as the CLI does and its environment (pipeline stage, else the config
// file), asks on the terminal, journals what it asked and what ran, and runs the CLI.
// A read passes straight through: the process becomes the CLI.
package guard
