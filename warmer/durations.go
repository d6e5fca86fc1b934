package warmer

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Durations travel in JSON as seconds under a "_s" key, like every other
// duration faasprobe writes; the Go fields stay time.Duration.

// fromSeconds is s seconds as a Duration: finite, not negative and within
// a Duration's range, else an error naming key.
func fromSeconds(key string, s float64) (time.Duration, error) {
	if math.IsNaN(s) || s < 0 || s*float64(time.Second) >= math.MaxInt64 {
		return 0, fmt.Errorf("warmer: %s: %v is not a duration in seconds", key, s)
	}
	return time.Duration(math.Round(s * float64(time.Second))), nil
}

// plan has Plan's fields and none of its methods.
type plan Plan

// planJSON is Plan as JSON.
type planJSON struct {
	plan
	TimeoutS float64 `json:"timeout_s"`
	EveryS   float64 `json:"every_s"`
	JitterS  float64 `json:"jitter_s"`
}

// MarshalJSON writes the plan with its durations as "timeout_s",
// "every_s" and "jitter_s" seconds.
func (p Plan) MarshalJSON() ([]byte, error) {
	return json.Marshal(planJSON{plan(p), p.Timeout.Seconds(), p.Every.Seconds(), p.Jitter.Seconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Plan) UnmarshalJSON(b []byte) error {
	var j planJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var err error
	out := Plan(j.plan)
	if out.Timeout, err = fromSeconds("timeout_s", j.TimeoutS); err != nil {
		return err
	}
	if out.Every, err = fromSeconds("every_s", j.EveryS); err != nil {
		return err
	}
	if out.Jitter, err = fromSeconds("jitter_s", j.JitterS); err != nil {
		return err
	}
	*p = out
	return nil
}

// advice has Advice's fields and none of its methods.
type advice Advice

// adviceJSON is Advice as JSON.
type adviceJSON struct {
	advice
	IntervalS  float64 `json:"interval_s"`
	PreWarmS   float64 `json:"pre_warm_s"`
	KeepAliveS float64 `json:"keep_alive_s"`
}

// MarshalJSON writes the advice with its durations as "interval_s",
// "pre_warm_s" and "keep_alive_s" seconds.
func (a Advice) MarshalJSON() ([]byte, error) {
	return json.Marshal(adviceJSON{advice(a), a.Interval.Seconds(), a.PreWarm.Seconds(), a.KeepAlive.Seconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Advice) UnmarshalJSON(b []byte) error {
	var j adviceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var err error
	out := Advice(j.advice)
	if out.Interval, err = fromSeconds("interval_s", j.IntervalS); err != nil {
		return err
	}
	if out.PreWarm, err = fromSeconds("pre_warm_s", j.PreWarmS); err != nil {
		return err
	}
	if out.KeepAlive, err = fromSeconds("keep_alive_s", j.KeepAliveS); err != nil {
		return err
	}
	*a = out
	return nil
}
