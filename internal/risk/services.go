package risk

import (
	"fmt"
	"strings"
)

// Processes, services and containers.

func killRule(c *classifier, cl call, depth int) {
	if cl.name() == "kill" {
		for _, a := range cl.args[1:] {
			switch a.text {
			case "-l", "-L", "--list", "--table":
				return // lists signals
			case "-0", "-s0":
				return // only checks that the process exists
			}
		}
	}
	c.addElsewhere(Risky, cl.name()+" stops processes")
}

var (
	systemctlSpec = optSpec{short: "tHMpPns", long: []string{"type", "state", "host",
		"machine", "property", "signal", "lines", "output", "root", "kill-whom", "job-mode"}}
	systemctlReads = setOf("status", "show", "cat", "list-units", "list-unit-files",
		"list-timers", "list-sockets", "list-jobs", "list-dependencies", "list-machines",
		"is-active", "is-enabled", "is-failed", "is-system-running", "get-default", "help",
		"show-environment")
)

func systemctlRule(c *classifier, cl call, depth int) {
	opts, operands := systemctlSpec.all(cl.args[1:])
	if len(operands) == 0 || systemctlReads[operands[0].text] || has(opts, "--version", "-h", "--help") {
		return
	}
	c.addElsewhere(Risky, fmt.Sprintf("systemctl %s changes a service", operands[0].text))
}

func serviceRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	if len(args) == 0 || args[0].is("--status-all") || (len(args) > 1 && args[1].is("status")) {
		return
	}
	c.addElsewhere(Risky, "service "+joined(args)+" changes a service")
}

func journalctlRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		if strings.HasPrefix(a.text, "--vacuum") || a.is("--rotate") || a.is("--flush") || a.is("--relinquish-var") {
			c.add(Risky, "journalctl "+a.text+" changes the journal")
		}
	}
}

var (
	dockerSpec = optSpec{short: "Hcl", long: []string{"host", "context", "log-level",
		"config", "tlscacert", "tlscert", "tlskey"}}
	// dockerVerbSpec: enough of the subcommands' options to find their operands.
	dockerVerbSpec = optSpec{short: "efnpwuvlt", long: []string{"env", "env-file", "filter",
		"format", "name", "publish", "workdir", "user", "volume", "label", "tail", "since",
		"until", "network", "file", "project-name", "profile", "project-directory", "timeout"}}
	dockerGroups = setOf("container", "image", "volume", "network", "system", "builder",
		"compose", "context", "buildx", "plugin", "secret", "service", "stack", "node", "swarm",
		"config", "manifest", "trust")
	dockerReads = setOf("ps", "images", "logs", "inspect", "version", "info", "stats", "top",
		"port", "diff", "history", "events", "search", "container ls", "container list",
		"container ps", "container inspect", "container logs", "container top",
		"container stats", "container port", "container diff", "image ls", "image list",
		"image inspect", "image history", "volume ls", "volume list", "volume inspect",
		"network ls", "network list", "network inspect", "system df", "system info",
		"system events", "context ls", "context list", "context inspect", "context show",
		"compose ps", "compose logs", "compose config", "compose ls", "compose top",
		"compose images", "compose version", "compose port", "buildx ls", "buildx version",
		"buildx inspect", "plugin ls", "node ls", "service ls", "service ps", "service logs",
		"service inspect", "stack ls", "stack ps", "stack services", "secret ls", "config ls",
		"manifest inspect")
	dockerDestroys = setOf("rm", "rmi", "container rm", "container prune", "image rm",
		"image prune", "volume rm", "volume prune", "system prune", "network rm",
		"network prune", "builder prune", "buildx prune", "compose rm", "stack rm",
		"service rm", "secret rm", "config rm", "swarm leave")
)

func dockerRule(c *classifier, cl call, depth int) {
	_, first := dockerSpec.leading(cl.args[1:])
	c.containers(cl.name(), cl.args[1+first:], depth)
}

func dockerComposeRule(c *classifier, cl call, depth int) {
	c.containers("docker", append([]arg{lit("compose")}, cl.args[1:]...), depth)
}

// containers classifies `docker VERB ...` and `docker GROUP VERB ...`.
func (c *classifier) containers(prog string, args []arg, depth int) {
	if len(args) == 0 {
		return
	}
	key, rest := args[0].text, args[1:]
	if dockerGroups[key] && len(rest) > 0 {
		key, rest = key+" "+rest[0].text, rest[1:]
	}
	opts, _ := dockerVerbSpec.all(rest)
	switch {
	case dockerReads[key]:
	case dockerDestroys[key]:
		c.add(Destructive, fmt.Sprintf("%s %s deletes containers, images or volumes", prog, key))
	case key == "compose down" && has(opts, "-v", "--volumes", "--rmi"):
		c.add(Destructive, prog+" compose down -v deletes volumes")
	case key == "exec" || key == "container exec":
		c.add(Risky, prog+" exec runs a command in a container")
		// Options end at the container's name; the rest is the command.
		if _, first := dockerVerbSpec.leading(rest); first+1 < len(rest) {
			c.onRemote(func() { c.call(call{args: rest[first+1:]}, depth+1) })
		}
	default:
		c.add(Risky, fmt.Sprintf("%s %s changes containers", prog, key))
	}
}

var (
	kubectlSpec = optSpec{short: "nslocf", long: []string{"namespace", "context", "kubeconfig",
		"cluster", "user", "server", "token", "as", "as-group", "request-timeout",
		"selector", "output", "filename", "container", "since", "tail", "field-selector",
		"sort-by", "template", "timeout"}}
	kubectlReads = setOf("get", "describe", "logs", "top", "explain", "version",
		"api-resources", "api-versions", "cluster-info", "diff", "events", "completion",
		"wait", "auth can-i", "auth whoami", "config view", "config get-contexts",
		"config current-context", "config get-clusters", "config get-users",
		"rollout status", "rollout history")
)

func kubectlRule(c *classifier, cl call, depth int) {
	name := cl.name()
	opts, operands := kubectlSpec.all(cl.args[1:])
	if len(operands) == 0 || has(opts, "-h", "--help") {
		return
	}
	verb := operands[0].text
	if len(operands) > 1 && (verb == "auth" || verb == "config" || verb == "rollout") {
		verb += " " + operands[1].text
	}
	switch {
	case kubectlReads[verb]:
	case verb == "delete":
		c.add(Destructive, name+" delete deletes cluster resources")
	case verb == "exec":
		c.add(Risky, name+" exec runs a command in a pod")
		if cmd := afterDashes(cl.args); len(cmd) > 0 {
			c.onRemote(func() { c.call(call{args: cmd}, depth+1) })
		}
	default:
		c.add(Risky, fmt.Sprintf("%s %s changes cluster resources", name, verb))
	}
}

// afterDashes returns the words after the first "--".
func afterDashes(args []arg) []arg {
	for i, a := range args {
		if a.is("--") {
			return args[i+1:]
		}
	}
	return nil
}

func init() {
	for _, name := range []string{"kill", "pkill", "killall", "skill"} {
		register(name, killRule)
	}
	register("systemctl", systemctlRule)
	register("service", serviceRule)
	register("journalctl", journalctlRule)
	register("docker", dockerRule)
	register("podman", dockerRule)
	register("docker-compose", dockerComposeRule)
	register("kubectl", kubectlRule)
	register("oc", kubectlRule)
	for _, name := range []string{"shutdown", "reboot", "halt", "poweroff"} {
		register(name, changer("stops or restarts the machine"))
	}
}
