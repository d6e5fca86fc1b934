// Package warmer keeps serverless sandboxes warm with pings that work with
// concurrency, are verified, and can be costed.
//
// Inside the function, Wrap answers pings before any typed unmarshal and
// passes everything else to the handler untouched:
//
//	lambda.Start(warmer.Wrap(lambda.NewHandler(coldstart.Wrap(handle))))
//
// On the scheduler's side, Ping sends N concurrent pings per target and
// reports how many distinct sandboxes answered; Start does it in a loop for
// long-running hosts; Advise says from invocation history whether warming
// is worth it at all. warmer/lambdainvoke is the aws-sdk-go-v2 Invoker
// (a separate package, so that Wrap does not link the SDK into every
// function); warmer/schedule validates EventBridge schedule expressions.
//
// Wrap recognises faasprobe's own pings, lambda-warmer's,
// serverless-plugin-warmup's and EventBridge schedules whose rule name
// contains RuleMarker; a non-ping costs a length check and at most one byte
// scan, and reaches the handler as the same slice. A ping asking for N
// sandboxes is held so that one sandbox cannot answer them all, and N is
// capped (WithMaxConcurrency). Pings are counted on Wrap's own
// coldstart.Tracker, never on the user's: a ping that paid a cold start
// says so, and the user's first invocation after it is not cold.
// docs/warming.md has the payload shapes, the cap, and the costs measured.
//
// Importing the package does nothing; Wrap reads what coldstart.New and
// sandbox.Detect read (docs/sources.md); Ping, Start and Advise read
// nothing. No credential is read here.
//
// # Unknown
//
// A reply's sandbox_age_ms is 0 where /proc is missing; sandbox_id_scope
// "process" means the id is per process (one process per sandbox on
// Lambda, so still one id per sandbox there). On the sender's side an
// answer that is not a warmer reply counts as an error and as NotWarmer.
//
// Platforms: AWS Lambda (the payload shapes are Lambda's), and any host of
// a byte-level aws-lambda-go handler, such as the Runtime Interface
// Emulator.
package warmer
