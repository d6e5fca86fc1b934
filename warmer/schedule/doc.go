// Package schedule validates EventBridge schedule expressions and counts
// their firings, for warm-up schedules and their cost.
//
//	s, err := schedule.Parse("cron(0/4 8-18 ? * MON-FRI *)")
//	perYear := s.Count(from, from.AddDate(1, 0, 0))
//
// Two forms, as the EventBridge user guide ("Schedule expressions for
// rules") defines them:
//
//   - rate(value unit): value a positive whole number; unit minute, hour
//     or day — singular when value is 1, plural otherwise (rate(1 hour),
//     rate(5 minutes)); EventBridge rejects the other spellings and so does
//     Parse.
//   - cron(minutes hours day-of-month month day-of-week year): six fields,
//     evaluated in UTC. Minutes 0–59, hours 0–23, day-of-month 1–31,
//     month 1–12 or JAN–DEC, day-of-week 1–7 or SUN–SAT (1 = SUN), year
//     1970–2199; each a list (,) of *, n, a-b, with an optional /step.
//     Exactly one of day-of-month and day-of-week is ?. Day-of-month also
//     takes L (last day), LW (last weekday) and nW (weekday nearest day n,
//     within the month); day-of-week takes L (SAT), nL (last day n of the
//     month, Quartz's form) and n#k (k-th day n, k 1–5). These specials
//     stand alone in their field.
//
// A rate() fires every value·unit from a start this package cannot know
// (EventBridge counts from the rule's creation), so Next counts from the
// time given. Nothing is read from files or the environment. An invalid
// expression is an error that quotes it and says which field and item is
// wrong; there is no "unknown" schedule.
package schedule
