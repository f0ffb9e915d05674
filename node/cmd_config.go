package node

import (
	"errors"
	"strings"
)

func init() {
	register(&command{name: "config", arity: -2, flags: flagAdmin | flagStale, fn: dispatchSub, subs: configSubcommands})
}

// configSubcommands lets execute check CONFIG's subcommand and arity before
// anything else, even inside MULTI, as Redis does; configCommand runs them.
var configSubcommands = []subcommand{
	{"get", -3, configCommand}, {"set", -4, configCommand}, {"resetstat", 2, configCommand},
	{"rewrite", 2, configCommand}, {"help", 2, configCommand},
}

// DirChanger is implemented by environments whose filesystem can be moved
// to another directory at runtime (CONFIG SET dir). ChangeDir checks dir
// (relative to the current one), re-roots the FS there and returns the
// absolute path; its error text is what the client sees.
type DirChanger interface {
	ChangeDir(dir string) (string, error)
}

// Relistener is implemented by environments that can move the node's
// listening sockets at runtime (CONFIG SET port / bind). It must keep the
// old listeners when the new ones cannot be opened.
type Relistener interface {
	Relisten(bind []string, port int) error
}

var configHelp = []string{
	"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"GET <pattern>",
	"    Return parameters matching the glob-like <pattern> and their values.",
	"SET <directive> <value>",
	"    Set the configuration <directive> to <value>.",
	"RESETSTAT",
	"    Reset statistics reported by the INFO command.",
	"REWRITE",
	"    Rewrite the configuration file.",
	"HELP",
	"    Prints this help.",
}

func configCommand(n *Node, c *client, args [][]byte) {
	sub := strings.ToLower(string(args[1]))
	arity := map[string]int{"get": -3, "set": -4, "resetstat": 2, "rewrite": 2, "help": 2}[sub]
	switch {
	case arity == 0:
		c.addError(noNewlines("ERR unknown subcommand '" + truncate(string(args[1]), 128) +
			"'. Try " + strings.ToUpper(string(args[0])) + " HELP."))
		return
	case (arity > 0 && len(args) != arity) || len(args) < -arity:
		c.addError(errWrongArgs("config|" + sub))
		return
	}
	switch sub {
	case "get":
		configGetCommand(n, c, args[2:])
	case "set":
		if len(args)%2 != 0 {
			c.addError(errSyntax)
			return
		}
		pairs := make([][2]string, 0, len(args)/2-1)
		for i := 2; i < len(args); i += 2 {
			pairs = append(pairs, [2]string{string(args[i]), string(args[i+1])})
		}
		if msg := n.configSet(c, pairs); msg != "" {
			c.addError(noNewlines(msg))
			return
		}
		c.addOK()
	case "resetstat":
		// Redis's resetServerStats: the counters of INFO stats, and of
		// persistence the AOF rewrites and the RDB saves started and the
		// rewrites' consecutive failures.
		n.stats = stats{}
		n.persist().aof.rewrites = 0
		n.persist().aof.rwFailures = 0 // which lifts aofRewriteLimited's hold too
		n.persist().rdbSaves = 0
		n.statResets++
		c.addOK()
	case "rewrite":
		n.configRewrite(c)
	case "help":
		c.addArrayLen(len(configHelp))
		for _, h := range configHelp {
			c.addSimple(h)
		}
	}
}

// configGetCommand replies with the name/value pairs of every directive
// matching one of the patterns: an exact name is echoed as given, a glob
// match under its own name; each directive appears once.
func configGetCommand(n *Node, c *client, patterns [][]byte) {
	type match struct {
		key string
		d   *confDef
	}
	var out []match
	seen := map[string]bool{}
	for _, p := range patterns {
		pat := string(p)
		if !strings.ContainsAny(pat, "[*?") {
			if d := lookupConf(pat); d != nil && !seen[strings.ToLower(pat)] {
				seen[strings.ToLower(pat)] = true
				out = append(out, match{pat, d})
			}
			continue
		}
		for _, d := range confDefs {
			if d.flags&confHidden == 0 && !seen[d.name] && configGlobMatch(pat, d.name) {
				seen[d.name] = true
				out = append(out, match{d.name, d})
			}
		}
	}
	c.addArrayLen(2 * len(out))
	for _, m := range out {
		c.addBulk(m.key)
		c.addBulk(m.d.get(&n.cfg))
	}
}

// ConfigGet returns the value of one directive (or alias) as CONFIG GET
// shows it; ok is false for a name the node does not implement.
func (n *Node) ConfigGet(name string) (value string, ok bool) {
	d := lookupConf(name)
	if d == nil {
		return "", false
	}
	return d.get(&n.cfg), true
}

// ConfigSet changes one setting at runtime, as CONFIG SET name value does,
// with the privileges of a local operator (protected directives such as dir
// are allowed; immutable ones are not). The error's text is the reply
// Redis would send, e.g. "ERR Unknown option or number of arguments for
// CONFIG SET - 'foo'".
func (n *Node) ConfigSet(name, value string) error {
	if msg := n.configSet(nil, [][2]string{{name, value}}); msg != "" {
		return errors.New(msg)
	}
	n.flush()
	return nil
}

// configSet applies name/value pairs atomically, following Redis's
// configSetCommand: every name is checked first, then every value is
// parsed into a copy of the config, and only then is the copy installed
// and its side effects applied. c is nil for an operator. It returns the
// error reply, or "" on success.
func (n *Node) configSet(c *client, pairs [][2]string) string {
	defs := make([]*confDef, len(pairs))
	invalid := false
	var unknownName, errName, errText string
	for i, p := range pairs {
		d := lookupConf(p[0])
		if d == nil {
			if !invalid {
				unknownName, invalid = p[0], true
			}
			continue
		}
		if invalid {
			continue
		}
		if d.flags&confImmutable != 0 || (d.flags&confProtected != 0 && !n.protectedAllowed(c)) {
			errText = "can't set immutable config"
			if d.flags&confImmutable == 0 {
				errText = "can't set protected config"
			}
			errName, invalid = p[0], true
			continue
		}
		for j := 0; j < i; j++ {
			if defs[j] == d {
				errText, errName, invalid = "duplicate parameter", p[0], true
				break
			}
		}
		defs[i] = d
	}
	if invalid {
		return configSetError(unknownName, errName, errText)
	}

	old := n.cfg
	next := n.cfg
	st := &confSetter{cfg: &next, chdir: n.changeDir}
	for i, p := range pairs {
		args := []string{p[1]}
		if defs[i].flags&confMultiArg != 0 {
			// sdssplitlen: an empty value is no argument at all.
			args = nil
			if p[1] != "" {
				args = strings.Split(p[1], " ")
			}
		}
		if err := defs[i].set(st, args); err != nil {
			if n.bug(BugConfigSetPartial) {
				n.cfg = next // the directives before it stay
			}
			n.restoreDir(old, next)
			return configSetError("", defs[i].name, err.Error())
		}
		if n.bug(BugConfigNoEffectDropped) && defs[i].flags&confNoEffect != 0 {
			next = old
		}
	}
	n.cfg = next
	if name, msg := n.applyConfig(old); msg != "" {
		n.logWarning("Failed applying new configuration. Possibly related to new %s setting. Restoring previous settings.", name)
		n.restoreDir(old, next)
		n.cfg = old
		return configSetError("", name, msg)
	}
	return ""
}

func configSetError(unknownName, errName, errText string) string {
	switch {
	case unknownName != "":
		return "ERR Unknown option or number of arguments for CONFIG SET - '" + unknownName + "'"
	case errText != "":
		return "ERR CONFIG SET failed (possibly related to argument '" + errName + "') - " + errText
	}
	return "ERR CONFIG SET failed (possibly related to argument '" + errName + "')"
}

// protectedAllowed is Redis's allowProtectedAction for enable-protected-configs.
func (n *Node) protectedAllowed(c *client) bool {
	return allowProtected(n.cfg.EnableProtectedConfigs, c)
}

// allowProtected is Redis's allowProtectedAction for a "no"/"yes"/"local"
// setting; the harness's own commands (no client) are always allowed.
func allowProtected(setting string, c *client) bool {
	switch setting {
	case "yes":
		return true
	case "local":
		return c == nil || isLocalAddr(c.addr)
	}
	return c == nil
}

// isLocalAddr reports whether an "ip:port" peer address is 127.0.0.1 or
// ::1 (Redis's islocalClient).
func isLocalAddr(addr string) bool {
	host := addr
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		host = addr[:i]
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return host == "127.0.0.1" || host == "::1"
}

func (n *Node) changeDir(dir string) (string, error) {
	dc, ok := n.env.(DirChanger)
	if !ok {
		return "", errors.New("changing dir is not supported in this environment")
	}
	return dc.ChangeDir(dir)
}

// restoreDir moves the environment back to old.Dir when a failed CONFIG SET
// had already changed it (Redis chdirs back the same way).
func (n *Node) restoreDir(old, next Config) {
	if next.Dir != old.Dir {
		if _, err := n.changeDir(old.Dir); err != nil {
			n.logWarning("Failed restoring failed CONFIG SET command. Error setting dir to '%s': %s", old.Dir, err)
		}
	}
}

// applyConfig carries out the side effects of the settings that changed
// from old to n.cfg. On failure it returns the directive's name and the
// error text, having undone nothing (the caller restores old).
func (n *Node) applyConfig(old Config) (name, msg string) {
	cfg := &n.cfg
	portChanged := cfg.Port != old.Port
	bindChanged := strings.Join(cfg.Bind, " ") != strings.Join(old.Bind, " ")
	if portChanged || bindChanged {
		r, ok := n.env.(Relistener)
		if !ok || r.Relisten(cfg.Bind, cfg.Port) != nil {
			if portChanged {
				return "port", "Unable to listen on this port. Check server logs."
			}
			return "bind", "Failed to bind to specified addresses."
		}
	}
	if cfg.ReplBacklogSize != old.ReplBacklogSize {
		cfg.ReplBacklogSize = max(cfg.ReplBacklogSize, minBacklog)
		if n.repl.backlog != nil {
			n.repl.backlog.resize(cfg.ReplBacklogSize)
		}
	}
	if cfg.ProtoMaxBulkLen != old.ProtoMaxBulkLen {
		n.limits.MaxBulkLen = cfg.ProtoMaxBulkLen
	}
	if cfg.RequirePass != old.RequirePass && n.bug(BugStalePassAccepted) {
		n.stalePass = old.RequirePass
	}
	if cfg.RequirePass == "" && old.RequirePass != "" {
		// The default user is now passwordless: everyone is in, as in Redis.
		for _, cl := range n.clients {
			cl.authed = true
		}
	}
	if cfg.AppendOnly != old.AppendOnly && !n.aofToggled(cfg.AppendOnly) {
		return "appendonly", "Unable to turn on AOF. Check server logs."
	}
	if cfg.MinReplicasToWrite != old.MinReplicasToWrite || cfg.MinReplicasMaxLag != old.MinReplicasMaxLag {
		n.repl.refreshGoodReplicas()
	}
	return "", ""
}

// aofToggled reacts to CONFIG SET appendonly (updateAppendonly): turning
// it off stops the AOF, turning it on starts a background rewrite that
// will turn it on. It reports whether the change may stand.
func (n *Node) aofToggled(on bool) bool {
	if !on {
		n.aofStop()
		return true
	}
	return n.aofStartAppendOnly()
}
