package shrink

import (
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
)

// faultStepsDimension shrinks the fault schedule by delta debugging over its
// steps: drop halves of the steps, then quarters, ... then single steps,
// keeping the final heal. The first time it runs it freezes the schedule the
// seed generates for the current options, so later variants replay the
// same faults minus the dropped ones.
var faultStepsDimension = shrinkDimension{
	name: "fault steps",
	size: func(o harness.Options) int { return len(scheduleOf(o).Steps) },
	smaller: func(o harness.Options) []harness.Options {
		s := scheduleOf(o)
		var droppable []int // indexes of steps that may go
		for i, st := range s.Steps {
			if _, heal := st.Fault.(fault.Heal); !heal {
				droppable = append(droppable, i)
			}
		}
		var out []harness.Options
		for chunk := (len(droppable) + 1) / 2; chunk >= 1; chunk /= 2 {
			for start := 0; start < len(droppable); start += chunk {
				drop := map[int]bool{}
				for _, i := range droppable[start:min(start+chunk, len(droppable))] {
					drop[i] = true
				}
				c := s
				c.Steps = nil
				for i, st := range s.Steps {
					if !drop[i] {
						c.Steps = append(c.Steps, st)
					}
				}
				v := o
				v.Schedule = &c
				out = append(out, v)
			}
			if chunk == 1 {
				break
			}
		}
		return out
	},
}

// scheduleOf is the schedule a run of o uses: its own, or the one its seed
// generates.
func scheduleOf(o harness.Options) fault.Schedule {
	if o.Schedule != nil {
		return *o.Schedule
	}
	return harness.GenerateSchedule(o)
}

// frozen reports whether o replays a fixed schedule; the topology knobs then
// stay as the schedule has them.
func frozen(o harness.Options) bool { return o.Schedule != nil }
