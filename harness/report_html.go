package harness

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
)

// reportPage is report.html's template: the page, its CSS and its script,
// with {{NAME}} placeholders for what a run fills in.
//
//go:embed report_page.html
var reportPage string

// The data report.html draws, as its script reads it (short keys where
// there are many of a thing).
type pageData struct {
	Nodes      []string              `json:"nodes"`
	Clients    []string              `json:"clients"`
	End        int64                 `json:"end"`
	ActiveEnd  int64                 `json:"activeEnd"`
	Roles      []pageRole            `json:"roles"`
	Masters    []pageMaster          `json:"masters"`
	Links      []pageLink            `json:"links"`
	ReplIDs    []string              `json:"replids"`
	Repl       map[string][][3]int64 `json:"repl"` // node -> [at, offset, index into ReplIDs]
	Marks      []pageMark            `json:"marks"`
	Ops        []pageOp              `json:"ops"`
	Events     []pageEvent           `json:"events"`
	Violations []pageViolation       `json:"violations"`
}

type pageRole struct {
	At   int64  `json:"at"`
	Node string `json:"node"`
	Role string `json:"role"`
}

type pageMaster struct {
	Node  string `json:"node"`
	From  int64  `json:"from"`
	To    int64  `json:"to"`
	Began string `json:"began"`
	Ended string `json:"ended"`
}

type pageLink struct {
	Node  string `json:"node"`
	From  int64  `json:"from"`
	To    int64  `json:"to"`
	State string `json:"state"`
}

// pageMark is a sync, promotion or restart on a node's lane.
type pageMark struct {
	At   int64  `json:"at"`
	Node string `json:"node"`
	Sym  string `json:"sym"`
	Text string `json:"text"`
}

type pageOp struct {
	Client  int      `json:"c"`
	Node    string   `json:"n"`
	Call    int64    `json:"s"`
	Return  int64    `json:"e"` // -1: no reply
	Outcome string   `json:"o"` // w (write ok), r (read ok), err, unk
	Keys    []string `json:"k"`
	Text    string   `json:"t"`
}

type pageEvent struct {
	At       int64  `json:"at"`
	End      int64  `json:"end"` // when a fault with an end stopped; 0 for none
	Operator bool   `json:"op"`
	Label    string `json:"label"`
	Text     string `json:"text"`
}

type pageViolation struct {
	Check       string       `json:"check"`
	Meaning     string       `json:"meaning"`
	Detail      string       `json:"detail"`
	At          int64        `json:"at"`
	Nodes       []string     `json:"nodes"`
	Keys        []string     `json:"keys"`
	Ops         []int        `json:"ops"` // indexes into pageData.Ops
	OffsetMarks []pageOffset `json:"offsetMarks"`
	Chips       [][2]string  `json:"chips"`
}

type pageOffset struct {
	Node   string `json:"node"`
	At     int64  `json:"at"`
	Offset string `json:"offset"`
}

// reportHTML renders report.html: the run drawn (a lane per node, per
// client, faults and operator actions), the violations on top, the summary
// text, and porcupine's view (historyPage) as a tab.
func reportHTML(res *Result, summary string, historyPage []byte) ([]byte, error) {
	d := buildPageData(res)
	data, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	porc, err := json.Marshal(string(historyPage))
	if err != nil {
		return nil, err
	}
	checks := checkNames(res.Violations)
	title := fmt.Sprintf("replsim seed %d: %s", res.Seed, strings.ToUpper(res.Verdict))
	if checks != "" {
		title += " (" + checks + ")"
	}
	heading := fmt.Sprintf(`replsim seed %d <span class="verdict %s">%s</span> %s`, res.Seed,
		html.EscapeString(res.Verdict), html.EscapeString(strings.ToUpper(res.Verdict)), html.EscapeString(checks))
	linNote := ""
	if len(res.Lin.Failed) == 0 {
		linNote = " (linearizability held: every key is shown)"
	} else {
		linNote = " (the keys that failed linearizability)"
	}
	masters := ""
	if len(res.Report.Roles) > 0 {
		masters = "<b>Who was master when:</b> " + html.EscapeString(mastersInWords(res))
	}
	page := strings.NewReplacer(
		"{{TITLE}}", html.EscapeString(title),
		"{{HEADING}}", heading,
		"{{REPRO}}", html.EscapeString(reproCommand(res)),
		"{{VIOLATION}}", violationBox(d),
		"{{MASTERS}}", masters,
		"{{SUMMARY}}", html.EscapeString(summary),
		"{{LINNOTE}}", linNote,
		// json.Marshal escapes <, > and &, so neither can end the script.
		"{{DATA}}", string(data),
		"{{PORCUPINE}}", string(porc),
	).Replace(reportPage)
	return []byte(page), nil
}

// checkNames lists the properties that failed, in order of first failure.
func checkNames(vs []checker.Violation) string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		if !seen[v.Check] {
			seen[v.Check] = true
			out = append(out, v.Check)
		}
	}
	return strings.Join(out, ", ")
}

// violationBox is the top of the page: the first violation (the script
// switches it when another is picked) and the list of all.
func violationBox(d pageData) string {
	if len(d.Violations) == 0 {
		return `<section id="violation" class="none"><h2>No violation</h2></section>`
	}
	v := d.Violations[0]
	var b strings.Builder
	b.WriteString(`<section id="violation">`)
	fmt.Fprintf(&b, `<h2>Violation 1 of %d: %s</h2>`, len(d.Violations), html.EscapeString(v.Check))
	fmt.Fprintf(&b, `<p class="meaning">%s</p>`, html.EscapeString(v.Meaning))
	fmt.Fprintf(&b, `<p class="detail">%s</p>`, html.EscapeString(v.Detail))
	b.WriteString(`<div class="where">`)
	for _, c := range v.Chips {
		fmt.Fprintf(&b, `<span class="chip"><b>%s</b> %s</span>`, html.EscapeString(c[0]), html.EscapeString(c[1]))
	}
	b.WriteString(`</div>`)
	if len(d.Violations) > 1 {
		fmt.Fprintf(&b, `<details id="others"><summary>All %d violations (pick one to show it)</summary><ol>`, len(d.Violations))
		for i, o := range d.Violations {
			text := o.Detail
			if len(text) > 180 {
				text = text[:180] + "…"
			}
			fmt.Fprintf(&b, `<li data-v="%d">[%s] %s</li>`, i, html.EscapeString(o.Check), html.EscapeString(text))
		}
		b.WriteString(`</ol></details>`)
	}
	b.WriteString(`</section>`)
	return b.String()
}

// buildPageData assembles what the page draws from the result.
func buildPageData(res *Result) pageData {
	rd := res.Report
	d := pageData{Nodes: rd.Nodes, Clients: rd.Clients, End: res.SimTimeMs * 1_000_000, Repl: map[string][][3]int64{}}
	if d.Nodes == nil {
		d.Nodes = []string{}
	}
	if d.Clients == nil {
		d.Clients = []string{}
	}
	for _, r := range rd.Roles {
		d.Roles = append(d.Roles, pageRole{At: r.At, Node: r.Node, Role: r.Role})
	}
	for _, m := range masterSpans(res) {
		d.Masters = append(d.Masters, pageMaster{Node: m.Node, From: m.From, To: m.To, Began: m.Began, Ended: m.Ended})
	}
	for _, l := range linkSpans(res) {
		d.Links = append(d.Links, pageLink{Node: l.Node, From: l.From, To: l.To, State: l.State})
	}
	active := int64(0)
	ridIndex := map[string]int64{}
	for _, p := range rd.Repl {
		idx, ok := ridIndex[p.ReplID]
		if !ok {
			idx = int64(len(d.ReplIDs))
			ridIndex[p.ReplID] = idx
			d.ReplIDs = append(d.ReplIDs, p.ReplID)
		}
		pts := d.Repl[p.Node]
		if n := len(pts); n > 0 && pts[n-1][1] == p.Offset && pts[n-1][2] == idx {
			// no change
		} else {
			d.Repl[p.Node] = append(pts, [3]int64{p.At, p.Offset, idx})
			active = max(active, p.At)
		}
		switch p.Kind {
		case cluster.ReplSync:
			d.Marks = append(d.Marks, pageMark{At: p.At, Node: p.Node, Sym: "S",
				Text: fmt.Sprintf("%s %s loaded a full resync from %s: replication ID %s offset %d", secs6(p.At), p.Node, p.Master, shortID(p.ReplID), p.Offset)})
		case cluster.ReplPromote:
			d.Marks = append(d.Marks, pageMark{At: p.At, Node: p.Node, Sym: "P",
				Text: fmt.Sprintf("%s %s promoted: new replication ID %s at offset %d", secs6(p.At), p.Node, shortID(p.ReplID), p.Offset)})
		case cluster.ReplRestart:
			d.Marks = append(d.Marks, pageMark{At: p.At, Node: p.Node, Sym: "R",
				Text: fmt.Sprintf("%s %s restarted from its files: replication ID %s offset %d", secs6(p.At), p.Node, shortID(p.ReplID), p.Offset)})
		}
	}
	opIndex := map[checker.OpRef]int{}
	var all []*checker.Op
	for _, ops := range [][]checker.Op{res.MasterOps, res.ReplicaOps} {
		for i := range ops {
			all = append(all, &ops[i])
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Call < all[j].Call })
	for _, op := range all {
		po := pageOp{Client: op.Client, Node: op.Node, Call: op.Call, Return: op.Return, Keys: []string{}, Text: op.Describe()}
		switch {
		case op.Unknown:
			po.Return, po.Outcome = -1, "unk"
		case op.Err != "":
			po.Outcome = "err"
		case op.Writes():
			po.Outcome = "w"
		default:
			po.Outcome = "r"
		}
		if op.Key != "" {
			po.Keys = append(po.Keys, op.Key)
		}
		if op.Key2 != "" && op.Key2 != op.Key {
			po.Keys = append(po.Keys, op.Key2)
		}
		if op.Kind == checker.OpCmd {
			for _, k := range cluster.OpKeys(op) {
				if k != op.Key {
					po.Keys = append(po.Keys, k) // a set command's other keys
				}
			}
		}
		opIndex[op.Ref()] = len(d.Ops)
		d.Ops = append(d.Ops, po)
		active = max(active, op.Call)
		if !op.Unknown {
			active = max(active, op.Return)
		}
	}
	d.Events = pageEvents(res.Timeline)
	for _, ev := range res.Timeline {
		active = max(active, ev.At)
	}
	for _, v := range res.Violations {
		d.Violations = append(d.Violations, pageViolationOf(res, v, opIndex, all))
	}
	// The view starts on the part of the run where something happened (a
	// run that waited out the heal budget is mostly silence).
	d.ActiveEnd = min(d.End, active+active/50+1)
	if d.ActiveEnd <= 0 {
		d.ActiveEnd = max(d.End, 1)
	}
	return d
}

// pageEvents turns the timeline into marks: a fault and its _end become
// one span; operator actions (op_*, process events, the heal) go on their
// own lane.
func pageEvents(tl []cluster.TimelineEvent) []pageEvent {
	var out []pageEvent
	open := map[string][]int{} // kind+node -> indexes of spans not yet ended
	for _, ev := range tl {
		if base, ok := strings.CutSuffix(ev.Kind, "_end"); ok {
			k := base + "/" + ev.Node
			if idx := open[k]; len(idx) > 0 {
				out[idx[0]].End = ev.At
				open[k] = idx[1:]
				continue
			}
		}
		label := ev.Kind
		if ev.Node != "" {
			label += " " + ev.Node
		}
		operator := strings.HasPrefix(ev.Kind, "op_") || masterKinds[ev.Kind] || ev.Kind == "heal"
		open[ev.Kind+"/"+ev.Node] = append(open[ev.Kind+"/"+ev.Node], len(out))
		out = append(out, pageEvent{At: ev.At, Operator: operator, Label: label, Text: eventWords(&ev)})
	}
	if out == nil {
		out = []pageEvent{}
	}
	return out
}

// pageViolationOf is one violation as the page shows it: its words, the
// operations it names (indexes into the page's operations), where its
// nodes reached the offsets it names, and chips that say where it is.
func pageViolationOf(res *Result, v checker.Violation, opIndex map[checker.OpRef]int, all []*checker.Op) pageViolation {
	pv := pageViolation{Check: v.Check, Meaning: propertyMeaning[v.Check], Detail: res.NamedDetail(v), At: violationAt(res, v),
		Nodes: v.Nodes, Keys: v.Keys, Ops: []int{}, OffsetMarks: []pageOffset{}}
	if pv.Nodes == nil {
		pv.Nodes = []string{}
	}
	if pv.Keys == nil {
		pv.Keys = []string{}
	}
	for _, r := range v.Ops {
		if i, ok := opIndex[r]; ok {
			pv.Ops = append(pv.Ops, i)
		}
	}
	// Where each named node reached each named offset.
	type spot struct {
		node string
		at   int64
	}
	marks := map[spot][]string{}
	var order []spot
	var offsets []int64
	for _, o := range v.Offsets {
		if !slices.Contains(offsets, o) {
			offsets = append(offsets, o)
		}
	}
	for _, n := range v.Nodes {
		for _, off := range offsets {
			for _, p := range res.Report.Repl {
				if p.Node == n && (v.ReplID == "" || p.ReplID == v.ReplID) && p.Offset >= off {
					s := spot{n, p.At}
					if marks[s] == nil {
						order = append(order, s)
					}
					marks[s] = append(marks[s], fmt.Sprint(off))
					break
				}
			}
		}
	}
	for _, s := range order {
		pv.OffsetMarks = append(pv.OffsetMarks, pageOffset{Node: s.node, At: s.at, Offset: strings.Join(marks[s], ", ")})
	}
	pv.Chips = append(pv.Chips, [2]string{"at", secs6(pv.At)})
	if len(v.Nodes) > 0 {
		pv.Chips = append(pv.Chips, [2]string{"nodes", strings.Join(v.Nodes, " ")})
	}
	if len(v.Keys) > 0 {
		pv.Chips = append(pv.Chips, [2]string{"keys", strings.Join(v.Keys, " ")})
	}
	if len(offsets) > 0 {
		offs := make([]string, len(offsets))
		for i, o := range offsets {
			offs[i] = fmt.Sprint(o)
		}
		s := strings.Join(offs, ", ")
		if v.ReplID != "" {
			s += " of " + shortID(v.ReplID)
		}
		pv.Chips = append(pv.Chips, [2]string{"offsets", s})
	}
	for n, i := range pv.Ops {
		if n == 3 {
			pv.Chips = append(pv.Chips, [2]string{"", fmt.Sprintf("+%d more operations", len(pv.Ops)-3)})
			break
		}
		op := all[i]
		pv.Chips = append(pv.Chips, [2]string{clientName(res.Report.Clients, fmt.Sprint(op.Client)) + " → " + op.Node, op.Describe()})
	}
	return pv
}

// namePorcupineClients makes porcupine's page name clients as the
// cluster does (c1.., r1..) instead of 0.., and titles it. Porcupine
// labels rows with their number; the patch looks that line up and leaves
// the page as it is if a porcupine upgrade changed it.
func namePorcupineClients(page []byte, names []string, title string) []byte {
	js, err := json.Marshal(names)
	if err != nil {
		return page
	}
	const label = "text.textContent = i < realClients ? i : sortedTags[i - realClients]"
	page = bytes.Replace(page, []byte(label),
		[]byte("text.textContent = i < realClients ? (replsimClientNames[i] || i) : sortedTags[i - realClients]"), 1)
	page = bytes.Replace(page, []byte("      render(data)"), []byte("      const replsimClientNames = "+string(js)+"\n      render(data)"), 1)
	return bytes.Replace(page, []byte("<title>Porcupine</title>"), []byte("<title>"+html.EscapeString(title)+"</title>"), 1)
}
