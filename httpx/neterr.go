package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// NetKind says how a request failed before any answer came back.
type NetKind int

const (
	NetOther     NetKind = iota
	NetCancelled         // the user or the program cancelled
	NetTimeout           // no answer in time
	NetDNS               // the host name does not resolve
	NetRefused           // nothing listens there
	NetReset             // the connection dropped mid-exchange
	NetTLS               // certificate or handshake failure
	NetProxy             // the configured proxy refused or failed
)

// NetError is a transport failure told in the user's words. It wraps the
// original error for errors.Is and errors.As.
type NetError struct {
	Host string
	Kind NetKind
	Err  error
}

func (e *NetError) Unwrap() error { return e.Err }

func (e *NetError) Error() string {
	switch e.Kind {
	case NetCancelled:
		return fmt.Sprintf("The request to %s was cancelled", e.Host)
	case NetTimeout:
		return fmt.Sprintf("No answer came from %s in time; check your network connection, and if you are behind a corporate proxy set HTTPS_PROXY", e.Host)
	case NetDNS:
		return fmt.Sprintf("The host name %s could not be found; check it is spelled correctly and that this machine can resolve it (VPN, DNS or proxy settings)", e.Host)
	case NetRefused:
		return fmt.Sprintf("The connection to %s was refused; check the address, and if you are behind a corporate proxy set HTTPS_PROXY", e.Host)
	case NetReset:
		return fmt.Sprintf("The connection to %s dropped before an answer came back; try again, and check any proxy or firewall between this machine and %s", e.Host, e.Host)
	case NetTLS:
		return fmt.Sprintf("The secure connection to %s failed: its certificate is not trusted by this machine. A corporate proxy that inspects HTTPS needs its certificate authority installed, or named in SSL_CERT_FILE", e.Host)
	case NetProxy:
		return fmt.Sprintf("The proxy refused the connection to %s; check HTTPS_PROXY and NO_PROXY, or ask your network team whether %s is allowed", e.Host, e.Host)
	}
	return fmt.Sprintf("Could not reach %s; check your network connection and proxy settings (HTTPS_PROXY)", e.Host)
}

// Temporary reports whether trying again may help.
func (e *NetError) Temporary() bool {
	switch e.Kind {
	case NetTimeout, NetRefused, NetReset, NetOther:
		return true
	}
	return false
}

// ClassifyNetError turns an error from http.Client.Do into a *NetError. ctx is
// the request's context: its state tells a cancel from a timeout.
func ClassifyNetError(ctx context.Context, host string, err error) *NetError {
	if err == nil {
		return nil
	}
	var ne *NetError
	if errors.As(err, &ne) {
		return ne
	}
	e := &NetError{Host: host, Err: err}
	var (
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		recErr   tls.RecordHeaderError
		opErr    *net.OpError
	)
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled):
		e.Kind = NetCancelled
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err):
		e.Kind = NetTimeout
	case errors.As(err, &dnsErr):
		e.Kind = NetDNS
	case errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify), errors.As(err, &recErr):
		e.Kind = NetTLS
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		e.Kind = NetProxy
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind = NetRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.EPIPE):
		e.Kind = NetReset
	}
	return e
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
