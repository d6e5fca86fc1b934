// Package redact is the one place that decides whether an environment
// variable carries a credential, and hides it. The recorder (internal/record)
// writes every variable through Env; nothing else in faasprobe prints a
// whole environment.
//
//	v, redacted := redact.Env("AWS_SESSION_TOKEN", token) // "<REDACTED>", true
//	v, redacted = redact.Env("DATABASE_URL", "postgres://app:pw@db/x") // "postgres://app:<REDACTED>@db/x", true
//	v, redacted = redact.Env("AWS_REGION", "eu-west-1") // "eu-west-1", false
//
// # Rules
//
// In order. Names compare case-insensitively; Azure's APPSETTING_ copies of
// app settings are judged by the name without the prefix.
//
//  1. An empty value is kept: there is nothing to hide.
//  2. Known credentials are always redacted: AWS_ACCESS_KEY_ID,
//     AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,
//     AWS_LAMBDA_METADATA_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN,
//     AzureWebJobsStorage, AzureWebJobsDashboard,
//     WEBSITE_CONTENTAZUREFILECONNECTIONSTRING, WEBSITE_AUTH_ENCRYPTION_KEY,
//     WEBSITE_AUTH_SIGNING_KEY, CONTAINER_ENCRYPTION_KEY, MSI_SECRET,
//     IDENTITY_HEADER, GOOGLE_OAUTH_ACCESS_TOKEN, CLOUDSDK_AUTH_ACCESS_TOKEN,
//     GOOGLE_CREDENTIALS, GOOGLE_CLOUD_KEYFILE_JSON, and any name that holds
//     CONNECTION_STRING, SAS_URI, SAS_URL or SAS_TOKEN (underscores ignored).
//  3. A value that carries a credential whatever its name is redacted whole:
//     a KEY=VALUE parameter whose key names a secret (AccountKey=,
//     SharedAccessKey=, SharedAccessSignature=, Password=, Pwd=, a URL's
//     sig=, X-Amz-Signature=, X-Amz-Security-Token=, access_token=,
//     client_secret=, api_key=, token=…), an AWS access key id
//     (AKIA/ASIA + 16), a PEM private key, a JSON Web Token (eyJ….eyJ….…).
//  4. A password in a URL's user info (scheme://user:password@host) is
//     replaced (scheme://user:<REDACTED>@host); user info without a password
//     that is not a plain word (a token used as the user name) is replaced
//     whole. The rest of the URL is kept.
//  5. Names that suggest a secret are judged by their value:
//     - strong names (containing SECRET, PASSWORD, PASSWD, PASSPHRASE,
//     PRIVATE, CREDENTIAL, or ending in _PWD or _PASS) are redacted unless
//     the value is harmless;
//     - weak names (containing TOKEN, KEY, AUTH, SIGNATURE, COOKIE) are
//     redacted unless the value is harmless or a short plain word.
//
// A value is harmless when it cannot itself grant access: a boolean-like
// word (true, false, yes, no, on, off, none, null, enabled, disabled, 0, 1),
// an ARN, a URL without credentials (after rule 4), or a file path (or a
// ':'-separated list of them) none of whose parts looks random. A short
// plain word is under 16 characters of letters, digits, '.', '_' and '-'
// using at most two of lower case, upper case and digits ("us-east-1",
// "RSA-2048", "http"). Looks random: 16 or more characters using lower
// case, upper case and digits.
//
// Decisions, with the reason:
//
//   - AWS_KMS_KEY_ARN=arn:aws:kms:…:key/… is kept: an ARN names a resource
//     and grants nothing without credentials (AWS does not treat account ids
//     or ARNs as secrets), and the region and account it shows are useful
//     provenance. Any other value under that name is judged as rule 5 says.
//   - AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
//     GOOGLE_APPLICATION_CREDENTIALS hold file paths: kept (the file is
//     never read).
//   - SECRETS_MANAGER_TTL=300 or PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=2773
//     are redacted: a strong name with a number may be a PIN; when in doubt
//     a name that suggests a secret loses its value.
//   - MY_API_KEY=hunter2 is kept: a seven-letter word is not a key; a
//     password would be caught by its name (MY_PASSWORD=hunter2 is redacted).
//
// Everything is pure and allocation-light: no regular expression, no table
// built at init.
package redact
