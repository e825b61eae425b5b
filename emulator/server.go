package emulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/httpx"
)

// Server is an Emulator served over TLS on a loopback port, for --demo and
// for tests of other packages. Its transport sends every host to it, so
// drsetup's production code runs unchanged except for the dial.
type Server struct {
	*Emulator
	srv  *http.Server
	addr string
	ca   *authority
}

// Start serves s on 127.0.0.1 with TLS certificates from a certificate
// authority made in memory for this run only (ECDSA P-256), issuing a
// certificate for whatever name a client asks for. State lives until Close.
func Start(s Scenario) (*Server, error) {
	e, err := newEmulator(s)
	if err != nil {
		return nil, err
	}
	ca, err := newAuthority()
	if err != nil {
		return nil, fmt.Errorf("emulator: making the demo certificate authority: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: listening on a loopback port: %w", err)
	}
	// HTTP/1.1 only: the drop-response fault closes the connection itself,
	// which is what a client sees when a load balancer gives up, and which
	// HTTP/2 would turn into a stream reset.
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	srv := &http.Server{
		Handler:           e,
		Protocols:         protocols,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: ca.certificate},
		ReadHeaderTimeout: 10 * time.Second,
		// A client that does not trust the run's CA fails its handshake; the
		// client reports that, and the demo's terminal stays clean.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go srv.ServeTLS(ln, "", "")
	return &Server{Emulator: e, srv: srv, addr: ln.Addr().String(), ca: ca}, nil
}

// Transport returns a transport that dials the emulator for every host and
// trusts only this run's certificate authority. It has no proxy: the demo
// never leaves the machine. Its other settings are httpx.NewTransport's, so
// timeouts behave as in production; wrap it in httpx.NewClient.
func (s *Server) Transport() *http.Transport {
	t := httpx.NewTransport()
	t.Proxy = nil
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	t.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, "tcp", s.addr)
	}
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: s.ca.pool}
	return t
}

// Addr is the loopback host:port the emulator listens on, for a test
// harness that routes other processes to it (a CONNECT proxy, say).
func (s *Server) Addr() string { return s.addr }

// CACertPEM is the certificate of this run's certificate authority in PEM,
// for a process that should trust the emulator (SSL_CERT_FILE) without
// trusting anything else.
func (s *Server) CACertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.cert.Raw})
}

// Close stops the server and drops the connections of requests held by
// faults. Received and Webhooks still answer afterwards, for assertions.
func (s *Server) Close() error {
	s.close()
	err := s.srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// authority is a certificate authority that lives only in memory.
type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
	// leafKey signs every leaf: one key is as safe as many for a CA nobody
	// else trusts, and saves a key generation per host.
	leafKey *ecdsa.PrivateKey

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// validity is long enough for any demo session and short enough that the CA
// is useless if its certificate ever leaked (its key never leaves memory).
const validity = 7 * 24 * time.Hour

func newAuthority() (*authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "drsetup demo CA (this run only)", Organization: []string{"drsetup emulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &authority{cert: cert, key: key, pool: pool, leafKey: leafKey, leaves: map[string]*tls.Certificate{}}, nil
}

// certificate issues (once per name) a certificate for the name the client
// asked for; a client that sends no name (it dialled an IP) gets one for
// localhost and the loopback addresses.
func (a *authority) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(hello.ServerName)
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.leaves[name]; ok {
		return c, nil
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if name == "" {
		tmpl.Subject.CommonName = "localhost"
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	} else {
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &a.leafKey.PublicKey, a.key)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der, a.cert.Raw}, PrivateKey: a.leafKey}
	a.leaves[name] = c
	return c, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}
