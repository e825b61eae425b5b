// Package field is the one registry of the setup's values: each field's name,
// its label and help in the admin's words, whether it is a secret, and the
// flag, environment variable and profile key that carry it. Every package
// that names a value (profile, sfcheck, steps, doctor, ui, the commands)
// shares this type, so adding a value means adding a row here.
package field

import "strings"

// Field names one value of the setup. The strings are the keyring entry
// names ("default/client_secret") and the suffixes of the DRSETUP_*
// variables, so they never change.
type Field string

const (
	Environment   Field = "environment"
	TokenEndpoint Field = "token_endpoint"
	MyDomain      Field = "my_domain"
	Auth          Field = "auth"
	App           Field = "app"
	ClientID      Field = "client_id"
	ClientSecret  Field = "client_secret"
	Username      Field = "username"
	Password      Field = "password"
	SecurityToken Field = "security_token"
	DRAPIKey      Field = "dr_api_key"
	Events        Field = "events"

	// None is no field: an error that no one value explains.
	None Field = ""
)

// WhereConsumerKey is the Setup page that shows the Connected App's consumer
// key and secret.
const WhereConsumerKey = "Setup → App Manager → Salesforce DigitalRiver Integration → View → Manage Consumer Details"

// spec is one row of the registry.
type spec struct {
	field  Field
	label  string // on screen: "My Domain URL"
	noun   string // inside a sentence: "the client secret"
	help   string // what it is and where to find it
	secret bool   // kept only in the keyring; given only by a variable or a prompt
	// profileKey is the key in the profile file; "" for secrets, which live
	// only in the keyring.
	profileKey string
	list       bool // a comma-separated list on the command line, a JSON list in the profile
	// usage is the flag's line in --help; a word in backquotes names its
	// argument (pflag's convention).
	usage string
}

// registry is every field, in the order of the setup flow.
var registry = [...]spec{
	{field: Environment, usage: "Salesforce environment: production or sandbox", noun: "environment", label: "Environment", profileKey: "environment",
		help: "Production orgs log in at login.salesforce.com, sandboxes at test.salesforce.com. The org's own My Domain token endpoint works for both, and the client credentials flow requires it."},
	{field: TokenEndpoint, usage: "Salesforce token endpoint `URL` (overrides the one the environment picks)", noun: "token endpoint", label: "Token endpoint", profileKey: "tokenEndpoint",
		help: "The URL Digital River gets a Salesforce access token from."},
	{field: MyDomain, usage: "the org's My Domain `URL`, e.g. https://acme.my.salesforce.com", noun: "My Domain URL", label: "My Domain URL", profileKey: "myDomain",
		help: "Setup → My Domain → Current My Domain URL, e.g. https://acme.my.salesforce.com. Not the Lightning URL in the browser's address bar (….lightning.force.com)."},
	{field: Auth, usage: "how Digital River logs in to Salesforce: password or client-credentials", noun: "authentication method", label: "Authentication", profileKey: "auth",
		help: "Username-password is what the guide describes, and needs a Connected App. Client credentials logs in as the app's Run As user: the only flow an External Client App offers, and the one to use where the username-password flow is blocked or retired."},
	{field: App, usage: "which kind of Salesforce app holds the consumer key: connected-app or external-client-app (client credentials only)", noun: "kind of Salesforce app", label: "Salesforce app", profileKey: "app",
		help: "Which kind of app holds the consumer key: the Connected App \"Salesforce DigitalRiver Integration\" that step 10 of the guide creates, or an External Client App (Setup → External Client App Manager), which orgs get since Spring '26. External Client Apps offer only the client credentials flow."},
	{field: ClientID, usage: "the Connected App's consumer key", noun: "Client ID", label: "Client ID (consumer key)", profileKey: "clientId",
		help: "The Consumer Key of the Connected App \"Salesforce DigitalRiver Integration\" (step 10 of the guide): " + WhereConsumerKey + "."},
	{field: ClientSecret, noun: "client secret", label: "Client Secret (consumer secret)", secret: true,
		help: "The Consumer Secret of the same Connected App, on the same page."},
	{field: Username, usage: "the integration user's username (password authentication)", noun: "username", label: "Username", profileKey: "username",
		help: "The integration user's username (Setup → Users), the user with the permission set \"DigitalRiver Connector - Integration\"."},
	{field: Password, noun: "password", label: "Password", secret: true,
		help: "The integration user's password. drsetup appends the security token itself."},
	{field: SecurityToken, noun: "security token", label: "Security token", secret: true,
		help: "From the email \"Your new Salesforce security token\" (reset it under the user's Settings → Reset My Security Token). Digital River logs in from its own addresses, not from this computer: unless the org trusts those (Setup → Network Access), the login there needs the token even when one from here does not."},
	{field: DRAPIKey, noun: "Digital River API key", label: "Digital River secret API key", secret: true,
		help: "Digital River Dashboard → Developers → API keys: the confidential (secret) key. sk_test_… is test mode, other sk_… keys are live."},
	{field: Events, usage: "comma-separated event `LIST` (default: the eight the app supports)", noun: "event types", label: "Event types", profileKey: "events", list: true,
		help: "The eight events the app supports are all selected; the app ignores others."},
}

var index = func() map[Field]int {
	m := make(map[Field]int, len(registry))
	for i, s := range registry {
		m[s.field] = i
	}
	return m
}()

// All returns every field, in the order of the setup flow.
func All() []Field {
	out := make([]Field, len(registry))
	for i, s := range registry {
		out[i] = s.field
	}
	return out
}

// Count is the number of fields, for arrays indexed by Index.
const Count = len(registry)

// Index is f's place in All, for arrays indexed by field; false for a name
// that is not a field.
func (f Field) Index() (int, bool) {
	i, ok := index[f]
	return i, ok
}

func (f Field) spec() spec {
	if i, ok := index[f]; ok {
		return registry[i]
	}
	return spec{field: f}
}

// Valid reports whether f is a field of the registry.
func (f Field) Valid() bool { _, ok := index[f]; return ok }

// Label is the field's name on screen; the raw name for an unknown field.
func (f Field) Label() string {
	if s := f.spec(); s.label != "" {
		return s.label
	}
	return string(f)
}

// Noun names the value inside a sentence, without an article: "client
// secret", "Digital River API key".
func (f Field) Noun() string {
	if s := f.spec(); s.noun != "" {
		return s.noun
	}
	return string(f)
}

// ShortLabel is the label without its explanation in parentheses: "Client
// Secret" for "Client Secret (consumer secret)".
func (f Field) ShortLabel() string {
	l, _, _ := strings.Cut(f.Label(), " (")
	return l
}

// Help says what the value is and where in Salesforce Setup or the Digital
// River Dashboard to find it.
func (f Field) Help() string { return f.spec().help }

// Secret reports whether f is a secret: kept only in the keyring, given only
// through the environment or a prompt, never a flag.
func (f Field) Secret() bool { return f.spec().secret }

// List reports whether f holds a list (comma-separated on the command line).
func (f Field) List() bool { return f.spec().list }

// Flag is the command-line flag that sets f ("--my-domain"), or "" for
// secrets, which flags never carry (they land in shell history and the
// process list).
func (f Field) Flag() string {
	if !f.Valid() || f.Secret() {
		return ""
	}
	return "--" + f.FlagName()
}

// FlagName is the flag's name without dashes ("my-domain"); "" for secrets.
func (f Field) FlagName() string {
	if !f.Valid() || f.Secret() {
		return ""
	}
	return strings.ReplaceAll(string(f), "_", "-")
}

// EnvVar is the environment variable that sets f ("DRSETUP_MY_DOMAIN"); ""
// for a name that is not a field.
func (f Field) EnvVar() string {
	if !f.Valid() {
		return ""
	}
	return "DRSETUP_" + strings.ToUpper(string(f))
}

// Where names where unattended setup takes f from: "--my-domain or
// DRSETUP_MY_DOMAIN", or for a secret only its variable.
func (f Field) Where() string {
	if fl := f.Flag(); fl != "" {
		return fl + " or " + f.EnvVar()
	}
	return f.EnvVar()
}

// Usage is the flag's help line, "" for secrets.
func (f Field) Usage() string { return f.spec().usage }

// ProfileKey is f's key in the profile file, "" for secrets (and unknown
// names): they are never written there.
func (f Field) ProfileKey() string { return f.spec().profileKey }
