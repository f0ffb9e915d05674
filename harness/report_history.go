package harness

import (
	"bytes"
	"fmt"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
)

// historyHTML renders the master history with porcupine: the failing keys
// if linearizability failed, otherwise every key. Faults and operator
// actions are annotations on their own rows; clients have their names.
func historyHTML(res *Result) ([]byte, error) {
	model := res.Lin.Model
	if model.Step == nil {
		model = checker.KVModel
	}
	info := res.Lin.Info
	if len(res.Lin.Failed) == 0 {
		timeout := res.Options.CheckTimeout
		if timeout <= 0 {
			timeout = Options{}.WithDefaults().CheckTimeout
		}
		_, info = porcupine.CheckOperationsVerbose(model, checker.LinOps(res.MasterOps), timeout)
	}
	info.AddAnnotations(timelineAnnotations(res.Timeline))
	var b bytes.Buffer
	if err := porcupine.Visualize(model, info, &b); err != nil {
		return nil, err
	}
	title := fmt.Sprintf("replsim seed %d: the master history (porcupine)", res.Seed)
	return namePorcupineClients(b.Bytes(), res.Report.Clients, title), nil
}

// timelineAnnotations turns the timeline into porcupine annotations:
// operator actions on one row, faults on another.
func timelineAnnotations(tl []cluster.TimelineEvent) []porcupine.Annotation {
	var out []porcupine.Annotation
	for _, ev := range tl {
		tag, bg := "faults", "#f6d5d5"
		switch ev.Kind {
		case cluster.EventPromote, cluster.EventCrash, cluster.EventRestart, cluster.EventRestartFailed:
			tag, bg = "operator", "#d5e5f6"
		}
		desc := ev.Kind
		if ev.Node != "" {
			desc += " " + ev.Node
		}
		out = append(out, porcupine.Annotation{Tag: tag, Start: ev.At, End: ev.At, Description: desc,
			Details: ev.Detail, BackgroundColor: bg})
	}
	return out
}
