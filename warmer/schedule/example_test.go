package schedule_test

import (
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/warmer/schedule"
)

func ExampleParse() {
	s, err := schedule.Parse("cron(0/5 8-17 ? * MON-FRI *)")
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, 11, 27, 17, 50, 0, 0, time.UTC)
	next, _ := s.Next(friday)
	fmt.Println(next.Format("Mon 15:04"))
	next, _ = s.Next(next)
	fmt.Println(next.Format("Mon 15:04"))

	_, err = schedule.Parse("rate(1 minutes)")
	fmt.Println(err)
	// Output:
	// Fri 17:55
	// Mon 08:00
	// schedule: "rate(1 minutes)": EventBridge wants the singular unit for 1 and the plural otherwise: rate(1 minute)
}
