// Package platformenv is the one decoder of the platform environment:
// which provider and service a process runs on, and the region, function
// name and version, configured memory, runtime, Lambda initialisation type,
// ECS launch type and Cloud Run execution environment the variables state.
// hostinfo, sandbox and coldstart all decode through it, so they cannot
// come to disagree.
//
//	e := platformenv.Decode(root.Getenv)
//	// e.Provider "aws", e.Service "lambda", e.MemoryMB 128,
//	// e.Evidence ["AWS_LAMBDA_FUNCTION_NAME"]
//
// The rules, the same for every variable:
//   - White space around a value is dropped (strings.TrimSpace): " 2048"
//     is 2048, and a value of only white space is unset.
//   - A kept value is cut to MaxValue bytes.
//   - A memory size is whole megabytes, 1…MaxMemoryMB; anything else is a
//     Problem naming the variable, and the size stays 0 (unknown).
//   - The platform is decided by an ordered table (Rules): the first rule
//     that matches decides, and only its variables are the evidence.
//     Platforms that run on others come first (Vercel and Netlify functions
//     run on AWS Lambda).
//
// The variables each rule reads are listed in docs/platforms.md.
package platformenv
