package profile

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"strings"
	"syscall"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/drsetup/drsetup/secret"
)

// KeyringErrorKind says why the keyring could not be used.
type KeyringErrorKind string

const (
	KindNoSessionBus    KeyringErrorKind = "no_session_bus"    // Linux: no D-Bus session bus to reach a keyring through
	KindNoSecretService KeyringErrorKind = "no_secret_service" // a bus, but no keyring service on it (or no keyring support on this OS)
	KindLocked          KeyringErrorKind = "locked"            // locked, unlock prompt dismissed, or no default keyring
	KindTimeout         KeyringErrorKind = "timeout"           // no answer within the timeout
	KindTooBig          KeyringErrorKind = "too_big"           // the value exceeds what this keyring stores
	KindDenied          KeyringErrorKind = "denied"            // the keyring or the bus refused drsetup
	KindOther           KeyringErrorKind = "other"
)

// Keyring operations, as KeyringError.Op.
const (
	OpGet    = "get"
	OpSet    = "set"
	OpDelete = "delete"
)

// KeyringError is a keyring failure. Its Error text says, in the user's words,
// which failure it is, what to do about it, and how drsetup carries on
// without the keyring.
type KeyringError struct {
	Kind   KeyringErrorKind
	Op     string // OpGet, OpSet or OpDelete
	User   string // the entry, "<profile>/<field>"; never a secret
	Reason string // which failure, in plain words; empty means the Kind's usual wording
	Err    error  // what go-keyring, D-Bus or the OS said

	goos string // whose remedies to give; empty means this OS
}

func (e *KeyringError) Unwrap() error { return e.Err }

func (e *KeyringError) Error() string {
	return e.Problem() + "; " + e.Remedy()
}

// Problem says what failed and why: "could not save secrets in the keyring:
// the keyring is locked".
func (e *KeyringError) Problem() string {
	var head string
	switch e.Op {
	case OpSet:
		head = "could not save secrets in the keyring"
	case OpDelete:
		head = "could not delete secrets from the keyring"
	case OpGet:
		head = "could not read saved secrets from the keyring"
	default:
		head = "could not reach the keyring"
	}
	reason := e.Reason
	if reason == "" {
		reason = defaultReason(e.Kind)
	}
	return head + ": " + reason
}

// Remedy says what to do on this OS, and how drsetup carries on meanwhile.
func (e *KeyringError) Remedy() string {
	const envVars = "DRSETUP_CLIENT_SECRET, DRSETUP_PASSWORD, DRSETUP_SECURITY_TOKEN and DRSETUP_DR_API_KEY"
	var carryOn string
	switch e.Op {
	case OpSet:
		carryOn = "drsetup goes on without saving secrets; next time set " + envVars + " or answer the prompts"
	case OpDelete:
		carryOn = fmt.Sprintf("The secrets stay in the keyring under the service %q; run \"drsetup profiles delete\" again once the keyring works, or remove them by hand", KeyringService)
	default:
		carryOn = "Meanwhile, set " + envVars + " or answer the prompts"
	}
	goos := e.goos
	if goos == "" {
		goos = runtime.GOOS
	}
	return fmt.Sprintf("%s. %s", remedy(goos, e.Kind), carryOn)
}

func defaultReason(k KeyringErrorKind) string {
	switch k {
	case KindNoSessionBus:
		return "there is no D-Bus session bus to reach a keyring through"
	case KindNoSecretService:
		return "no keyring service (such as GNOME Keyring or KeePassXC) is running"
	case KindLocked:
		return "the keyring is locked"
	case KindTimeout:
		return "the keyring did not answer in time (it may be waiting for an unlock prompt, or be stuck)"
	case KindTooBig:
		return "the value is too large for this keyring"
	case KindDenied:
		return "the keyring refused access"
	}
	return "the keyring failed"
}

func remedy(goos string, k KeyringErrorKind) string {
	switch goos {
	case "darwin":
		switch k {
		case KindLocked:
			return `unlock it with "security unlock-keychain" or in Keychain Access, or run drsetup in a desktop session rather than over SSH`
		case KindDenied:
			return "run drsetup again and choose Allow when macOS asks for the keychain"
		case KindTimeout:
			return "answer the keychain prompt if one is open, then run drsetup again"
		case KindTooBig:
			return "check the value: Salesforce and Digital River secrets are far shorter"
		}
		return "check the login keychain in Keychain Access"
	case "windows":
		switch k {
		case KindDenied:
			return "run drsetup as the Windows user who saved the secrets"
		case KindTimeout:
			return "answer the Windows Security prompt if one is open, then run drsetup again"
		case KindTooBig:
			return "check the value: Salesforce and Digital River secrets are far shorter"
		}
		return "run drsetup from an interactive desktop session and check Credential Manager"
	}
	switch k {
	case KindNoSessionBus:
		return `run drsetup in a desktop session, or start a session bus with "dbus-run-session -- $SHELL" and a keyring in it ("gnome-keyring-daemon --unlock" reads the keyring password from standard input)`
	case KindNoSecretService:
		return "install and start GNOME Keyring (package gnome-keyring), or turn on Secret Service Integration in KeePassXC"
	case KindLocked:
		return `unlock it: log in to the desktop session, or open Passwords and Keys (Seahorse) or KeePassXC and unlock it there; on a server, "gnome-keyring-daemon --unlock" reads the keyring password from standard input`
	case KindTimeout:
		return "answer any keyring prompt or unlock the keyring, then run drsetup again"
	case KindTooBig:
		return "check the value: Salesforce and Digital River secrets are far shorter"
	case KindDenied:
		return "allow drsetup when the keyring asks, and run drsetup as the user whose desktop session it is (not with sudo)"
	}
	return "check that the keyring works, for example in Passwords and Keys (Seahorse)"
}

// classify turns what go-keyring returned into ErrNoSecret, a *KeyringError,
// or nil. goos picks the OS whose errors err came from; value, the secret
// being set, is kept out of any text.
func classify(goos, op, user, value string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNoSecret
	}
	kind, reason := kindOf(goos, err)
	if kind == KindOther && reason == "" {
		reason = "the keyring failed (" + redact(err.Error(), value) + ")"
	}
	return &KeyringError{Kind: kind, Op: op, User: user, Reason: reason, Err: err, goos: goos}
}

func redact(text, value string) string {
	if value == "" {
		return text
	}
	return strings.ReplaceAll(text, value, secret.Redacted)
}

// kindOf reads the errors seen from go-keyring on each OS. Secret Service
// errors come from godbus; macOS ones are exit codes of /usr/bin/security;
// Windows ones are Win32 error numbers from the Credential Manager API.
func kindOf(goos string, err error) (KeyringErrorKind, string) {
	switch {
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return KindTooBig, ""
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return KindNoSecretService, "drsetup has no keyring support on this system"
	}
	switch goos {
	case "darwin":
		return darwinKind(err)
	case "windows":
		return windowsKind(err)
	}
	return secretServiceKind(err)
}

func darwinKind(err error) (KeyringErrorKind, string) {
	var exit interface{ ExitCode() int }
	if !errors.As(err, &exit) {
		return KindOther, ""
	}
	// The security tool exits with the low byte of the OSStatus.
	switch exit.ExitCode() {
	case 36: // errSecInteractionNotAllowed: locked, and no way to ask (SSH, cron)
		return KindLocked, "the login keychain is locked and macOS cannot ask to unlock it here"
	case 51: // errSecAuthFailed
		return KindDenied, "the keychain refused drsetup (wrong keychain password, or access was not allowed)"
	case 128: // errSecUserCanceled
		return KindDenied, "the keychain prompt was cancelled"
	}
	return KindOther, ""
}

// Win32 error numbers Credential Manager returns.
const (
	winErrorAccessDenied       = 5
	winErrorNoSuchLogonSession = 1312
)

func windowsKind(err error) (KeyringErrorKind, string) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return KindOther, ""
	}
	switch errno {
	case winErrorAccessDenied:
		return KindDenied, "Windows Credential Manager refused access"
	case winErrorNoSuchLogonSession:
		return KindOther, "Windows Credential Manager is not available in this logon session (SSH, a service or a scheduled task)"
	}
	return KindOther, ""
}

func secretServiceKind(err error) (KeyringErrorKind, string) {
	if name, ok := dbusErrorName(err); ok {
		switch {
		case name == "org.freedesktop.DBus.Error.ServiceUnknown",
			name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn."):
			return KindNoSecretService, "no Secret Service (such as GNOME Keyring or KeePassXC) is running on the D-Bus session bus"
		case name == "org.freedesktop.DBus.Error.NoReply",
			name == "org.freedesktop.DBus.Error.Timeout",
			name == "org.freedesktop.DBus.Error.TimedOut":
			return KindTimeout, "the Secret Service did not answer (it may be waiting for an unlock prompt, or be stuck)"
		case name == "org.freedesktop.DBus.Error.AccessDenied",
			name == "org.freedesktop.DBus.Error.AuthFailed":
			return KindDenied, "the Secret Service refused drsetup"
		case name == "org.freedesktop.Secret.Error.IsLocked":
			return KindLocked, "the keyring is locked"
		case name == "org.freedesktop.DBus.Error.UnknownObject",
			name == "org.freedesktop.DBus.Error.UnknownInterface",
			name == "org.freedesktop.DBus.Error.UnknownMethod",
			name == "org.freedesktop.Secret.Error.NoSuchObject":
			return KindLocked, "the Secret Service has no default keyring (\"login\") unlocked for drsetup to use"
		}
		return KindOther, ""
	}

	text := err.Error()
	var execErr *exec.Error
	var exitErr *exec.ExitError
	var netErr *net.OpError
	switch {
	case strings.Contains(text, "failed to unlock correct collection"):
		// go-keyring's wording for a locked collection, a dismissed unlock
		// prompt, and a Secret Service with no default keyring alike.
		return KindLocked, "the keyring is locked, its unlock prompt was dismissed, or there is no default keyring"
	case errors.As(err, &execErr):
		// godbus runs dbus-launch when DBUS_SESSION_BUS_ADDRESS is unset.
		return KindNoSessionBus, "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and dbus-launch is not installed)"
	case errors.As(err, &exitErr):
		return KindNoSessionBus, "there is no D-Bus session bus, and dbus-launch could not start one (it needs an X11 display)"
	case strings.Contains(text, "couldn't determine address of session bus"):
		return KindNoSessionBus, "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
	case errors.As(err, &netErr), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENOENT):
		return KindNoSessionBus, "nothing answers at the D-Bus session bus address (DBUS_SESSION_BUS_ADDRESS)"
	case errors.Is(err, dbus.ErrClosed):
		return KindNoSessionBus, "the D-Bus session bus connection closed"
	case strings.Contains(text, "dbus: authentication failed"):
		return KindDenied, "the D-Bus session bus refused drsetup (it may belong to another user, as under sudo)"
	}
	return KindOther, ""
}

// dbusErrorName finds a D-Bus error in err; godbus returns them both as
// values and as pointers.
func dbusErrorName(err error) (string, bool) {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name, true
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name, true
	}
	return "", false
}
