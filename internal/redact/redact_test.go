package redact

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fake credentials: shaped like the real ones, valid nowhere.
const (
	fakeKeyID   = "AKIAIOSFODNN7EXAMPLE"
	fakeSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	fakeSession = "IQoJb3JpZ2luX2VjEHAaCXVzLWVhc3QtMSJHMEUCIQDExampleSessionToken0123456789abcdef"
	fakeJWT     = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	fakeAccount = "DefaultEndpointsProtocol=https;AccountName=faasprobe;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==;EndpointSuffix=core.windows.net"
	fakeSAS     = "https://faasprobe.blob.core.windows.net/pkg/app.zip?sv=2021-08-06&se=2030-01-01&sr=b&sp=r&sig=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy%3D"
)

func TestEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key, value string
		want             string // Placeholder for whole redaction
		redacted         bool
	}{
		// Rule 1: nothing to hide.
		{"empty value of a credential", "AWS_SESSION_TOKEN", "", "", false},

		// Rule 2: known credentials, whatever the value.
		{"access key id", "AWS_ACCESS_KEY_ID", fakeKeyID, Placeholder, true},
		{"secret key", "AWS_SECRET_ACCESS_KEY", fakeSecret, Placeholder, true},
		{"session token", "AWS_SESSION_TOKEN", fakeSession, Placeholder, true},
		{"security token (old name)", "AWS_SECURITY_TOKEN", fakeSession, Placeholder, true},
		{"Lambda metadata token, a UUID", "AWS_LAMBDA_METADATA_TOKEN", "0b4a1d2e-8f3c-4b5a-9d6e-7f8091a2b3c4", Placeholder, true},
		{"container authorization token", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc", Placeholder, true},
		{"Azure storage", "AzureWebJobsStorage", fakeAccount, Placeholder, true},
		{"Azure storage, any case", "AZUREWEBJOBSSTORAGE", "x", Placeholder, true},
		{"Azure APPSETTING_ copy", "APPSETTING_AzureWebJobsStorage", "UseDevelopmentStorage=true", Placeholder, true},
		{"Azure content share", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", fakeAccount, Placeholder, true},
		{"any connection string", "SERVICEBUS_CONNECTION_STRING", "Endpoint=sb://x/", Placeholder, true},
		{"connection string without underscores", "MyDbConnectionString", "Server=db;Database=x", Placeholder, true},
		{"SAS URI by name", "CONTAINER_START_CONTEXT_SAS_URI", "https://x/y", Placeholder, true},
		{"MSI secret", "MSI_SECRET", "short", Placeholder, true},
		{"identity header", "IDENTITY_HEADER", "8c2f", Placeholder, true},
		{"Google access token", "GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.a0Af", Placeholder, true},
		{"Google credentials JSON", "GOOGLE_CREDENTIALS", `{"type":"service_account"}`, Placeholder, true},

		// Rule 3: the value carries a credential whatever the name.
		{"account key in any variable", "STORAGE", fakeAccount, Placeholder, true},
		{"SAS URL in any variable", "WEBSITE_RUN_FROM_PACKAGE", fakeSAS, Placeholder, true},
		{"Service Bus key", "BUS", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc123", Placeholder, true},
		{"SQL password", "DB", "Server=db;User Id=app;Password=hunter2;", Placeholder, true},
		{"presigned S3 URL", "PKG", "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abcdef", Placeholder, true},
		{"OAuth token in a query", "CALLBACK", "https://x.example/cb?access_token=abc", Placeholder, true},
		{"JVM key store password", "JAVA_TOOL_OPTIONS", "-Xmx1g -Djavax.net.ssl.keyStorePassword=changeit", Placeholder, true},
		{"access key id in any variable", "CONFIG", "id=" + fakeKeyID, Placeholder, true},
		{"access key id alone", "X", "ASIA" + "QWERTYUIOPASDFGH", Placeholder, true},
		{"PEM private key", "CERTS", "-----BEGIN RSA PRIVATE KEY-----\\nMIIE...", Placeholder, true},
		{"JWT", "HEADER", "Bearer " + fakeJWT, Placeholder, true},

		// Rule 4: passwords in URLs.
		{"URL password", "DATABASE_URL", "postgres://app:s3cr3t-pw@db.internal:5432/app", "postgres://app:" + Placeholder + "@db.internal:5432/app", true},
		{"URL password with ';' and ','", "DSN", "mysql://app:a;b,c@db/x", "mysql://app:" + Placeholder + "@db/x", true},
		{"two URLs", "PEERS", "http://a:pw1@h1:1,http://b:pw2@h2:2", "http://a:" + Placeholder + "@h1:1,http://b:" + Placeholder + "@h2:2", true},
		{"token as the user name", "REPO", "https://ghp_R4nd0mT0k3nV4lu3XyZ@github.com/o/r.git", "https://" + Placeholder + "@github.com/o/r.git", true},
		{"plain user name kept", "REPO", "ssh://git@github.com/o/r.git", "ssh://git@github.com/o/r.git", false},
		{"URL password under a weak name", "AUTH_URL", "https://u:pw@idp.example/authorize", "https://u:" + Placeholder + "@idp.example/authorize", true},

		// Rule 5, strong names: redacted unless harmless.
		{"password", "MY_PASSWORD", "hunter2", Placeholder, true},
		{"db password suffix", "DB_PWD", "hunter2", Placeholder, true},
		{"a number under a strong name", "SECRETS_MANAGER_TTL", "300", Placeholder, true},
		{"private key file path", "TLS_PRIVATE_KEY_FILE", "/etc/tls/key.pem", "/etc/tls/key.pem", false},
		{"credentials file path", "GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json", "/var/secrets/google/key.json", false},
		{"boolean under a strong name", "WEBSITE_CORS_SUPPORT_CREDENTIALS", "False", "False", false},
		{"random-looking path part", "CLIENT_SECRET", "/Xk9mQ2vR7tL4pW8zN3bH6", Placeholder, true},

		// Rule 5, weak names: redacted unless harmless or a short plain word.
		{"API key", "MY_API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", Placeholder, true},
		{"hex key", "MACHINEKEY_DecryptionKey", "0123456789ABCDEF0123456789ABCDEF", Placeholder, true},
		{"KMS key ARN kept", "AWS_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", false},
		{"not an ARN under the same name", "AWS_KMS_KEY_ARN", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6", Placeholder, true},
		{"token file path", "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", false},
		{"short plain word", "MY_API_KEY", "hunter2", "hunter2", false},
		{"signature type", "FUNCTION_SIGNATURE_TYPE", "http", "http", false},
		{"auth path", "WEBSITE_AUTH_LOGOUT_PATH", "/.auth/logout", "/.auth/logout", false},
		{"auth boolean", "WEBSITE_AUTH_ENABLED", "False", "False", false},
		{"token endpoint URL", "OIDC_TOKEN_URL", "https://idp.example/oauth2/token", "https://idp.example/oauth2/token", false},
		{"webhook token in a URL path", "SLACK_TOKEN_URL", "https://hooks.slack.com/services/T0000/B0000/XxYy12ZzAaBb34CcDdEe56", Placeholder, true},
		{"mixed-case short word", "KEY", "P4ssw0rd", Placeholder, true},
		{"long lower-case word", "TOKEN_AUDIENCE", "my-company-identity-provider", Placeholder, true},

		// Names that say nothing: kept verbatim.
		{"region", "AWS_REGION", "eu-central-1", "eu-central-1", false},
		{"path list", "PATH", "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin", "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin", false},
		{"trace id", "_X_AMZN_TRACE_ID", "Root=1-6217f7ab-1f6b3ebf2a1811227263a659;Parent=5c39ff32e875095b;Sampled=1", "Root=1-6217f7ab-1f6b3ebf2a1811227263a659;Parent=5c39ff32e875095b;Sampled=1", false},
		{"hex instance id", "WEBSITE_INSTANCE_ID", "2120174d611510bdf6ad494d55d9c98484f6a813d5b363a6244556f9f3045668", "2120174d611510bdf6ad494d55d9c98484f6a813d5b363a6244556f9f3045668", false},
		{"PWD is the working directory", "PWD", "/var/task", "/var/task", false},
		{"URL without credentials", "MSI_ENDPOINT", "http://172.16.1.3:8081/msi/token", "http://172.16.1.3:8081/msi/token", false},
		{"base64 padding is not a parameter", "BLOB", "Zm9vYmFy==", "Zm9vYmFy==", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, redacted := Env(tt.key, tt.value)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.redacted, redacted)
			if tt.want == Placeholder {
				assert.NotContains(t, got, tt.value)
			}
			again, _ := Env(tt.key, got)
			assert.Equal(t, got, again, "redacting twice changes nothing")
		})
	}
}

func TestIsSecretName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"AWS_SECRET_ACCESS_KEY", true},
		{"aws_session_token", true},
		{"APPSETTING_MSI_SECRET", true},
		{"MY_API_KEY", true},
		{"DB_PASSWORD", true},
		{"DB_PWD", true},
		{"GITHUB_TOKEN", true},
		{"X_AUTH", true},
		{"AWS_REGION", false},
		{"PWD", false},
		{"OLDPWD", false},
		{"PATH", false},
		{"AWS_LAMBDA_FUNCTION_NAME", false},
	} {
		assert.Equal(t, tt.want, IsSecretName(tt.name), tt.name)
	}
}

// TestCommittedScenarioEnvs runs the rules over the environments committed
// under testdata (redacted by hand from real captures): what was redacted
// stays redacted, and nothing else is touched.
func TestCommittedScenarioEnvs(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*", "env"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	checked := 0
	for _, f := range files {
		if strings.Contains(f, "bad-input") {
			continue // garbage on purpose
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			if !ok || k == "" || strings.HasPrefix(k, "#") {
				continue
			}
			got, _ := Env(k, v)
			if v == Placeholder {
				assert.Equal(t, Placeholder, got, "%s: %s", f, k)
			} else {
				assert.Equal(t, v, got, "%s: %s changed", f, k)
			}
			checked++
		}
	}
	assert.Greater(t, checked, 50)
}

func FuzzEnv(f *testing.F) {
	for _, s := range [][2]string{
		{"AWS_SESSION_TOKEN", fakeSession}, {"AzureWebJobsStorage", fakeAccount}, {"WEBSITE_RUN_FROM_PACKAGE", fakeSAS},
		{"DATABASE_URL", "postgres://app:pw@db/x"}, {"MY_API_KEY", "hunter2"}, {"AWS_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:1:key/x"},
		{"PATH", "/usr/bin:/bin"}, {"X", "http://a:b@c,http://d@e"}, {"X", "eyJ0eXAiOiJKV1QiLCJhbGc.eyJzdWIiOiIxMjM0NTY3.x"},
		{"X", "://@"}, {"KEY", "a=b=c;d==&sig="}, {"X", "AKIA"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		got, redacted := Env(key, value)
		if !redacted {
			if got != value {
				t.Fatalf("unredacted but changed: %q → %q", value, got)
			}
		} else if !strings.Contains(got, Placeholder) {
			t.Fatalf("redacted without a placeholder: %q → %q", value, got)
		}
		if nameClass(key) == always && value != "" && got != Placeholder {
			t.Fatalf("credential %s kept: %q", key, got)
		}
		if carriesSecret(value) && got != Placeholder {
			t.Fatalf("secret-bearing value kept: %q → %q", value, got)
		}
		if again, _ := Env(key, got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", value, got, again)
		}
	})
}

// FuzzURLPassword: whatever the user, password, host and variable name, the
// password of a well-formed URL never survives.
func FuzzURLPassword(f *testing.F) {
	f.Add("DATABASE_URL", "app", "s3cr3t", "db:5432")
	f.Add("X", "", "p", "h")
	f.Add("MY_TOKEN", "u;x", "a,b;c", "h.example")
	f.Fuzz(func(t *testing.T, name, user, pass, host string) {
		const bad = "/?#@: \t\r\n\"'"
		if pass == "" || strings.ContainsAny(pass, "/?#@ \t\r\n\"'") || strings.ContainsAny(user, bad) ||
			strings.ContainsAny(host, bad) || strings.Contains(pass, "://") || strings.Contains(user+host, "://") {
			t.Skip()
		}
		marked := "pw" + pass + "pw" // cannot be a substring of the placeholder
		v := "https://" + user + ":" + marked + "@" + host + "/path"
		got, redacted := Env(name, v)
		if !redacted || strings.Contains(got, ":"+marked+"@") || strings.Contains(got, marked) && !strings.Contains(user+host, marked) {
			t.Fatalf("password survived: %q → %q", v, got)
		}
	})
}

func BenchmarkEnv(b *testing.B) {
	vars := [][2]string{
		{"AWS_REGION", "eu-central-1"}, {"PATH", "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin"},
		{"AWS_SESSION_TOKEN", fakeSession}, {"_X_AMZN_TRACE_ID", "Root=1-6217f7ab-1f6b3ebf2a1811227263a659;Parent=5c39ff32e875095b;Sampled=1"},
		{"AWS_LAMBDA_LOG_STREAM_NAME", "2022/02/24/[$LATEST]adc8ffa31b144205a859666534d566cd"},
		{"DATABASE_URL", "postgres://app:pw@db/x"}, {"MY_API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, kv := range vars {
			Env(kv[0], kv[1])
		}
	}
}
