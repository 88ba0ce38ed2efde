//! TLS for every connection pg-sections opens (the pool, blocking
//! connections, the test databases, `codegen`'s live source and CLI), on
//! rustls: no OpenSSL on the user's machine.
//!
//! The connection string says what to do, in libpq's words: `sslmode`
//! (`disable`, `allow`, `prefer`, `require`, `verify-ca`, `verify-full`;
//! `prefer` when absent, as libpq), `sslrootcert` (a PEM file of trusted
//! certificates, or `system` for the platform's), and `sslcert`/`sslkey`
//! for a client certificate. [`parse`] reads them off the string, since
//! `tokio-postgres` knows only some of them, and gives the driver's
//! configuration with the matching [`Tls`] connector.
//!
//! What each mode checks, as libpq:
//! - `disable`: no TLS.
//! - `allow`, `prefer`: TLS when the server offers it, plain otherwise;
//!   the certificate is not checked (an eavesdropper is kept out, an
//!   active attacker is not).
//! - `require`: TLS or no connection; the certificate is checked against
//!   the root certificates when there are any (`sslrootcert`, or
//!   `~/.postgresql/root.crt`), as `verify-ca`.
//! - `verify-ca`: the certificate must chain to a root certificate.
//! - `verify-full`: that, and it must name the host connected to.
//!
//! `sslrootcert=system` trusts the platform's roots and asks for
//! `verify-full` (a weaker mode is an error, as in libpq). Channel binding
//! (`SCRAM-SHA-256-PLUS`) is not offered: authentication uses SCRAM
//! without it, as libpq's `channel_binding=prefer` does when the client
//! cannot bind.

use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::config::SslMode;
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};

use crate::error::{Error, Result, mask_password};

/// The connection-string options this module reads, which the driver is
/// not given.
const OPTIONS: [&str; 4] = ["sslmode", "sslrootcert", "sslcert", "sslkey"];

/// Options of libpq's that concern TLS and that pg-sections does not
/// support: refused by name rather than ignored.
const UNSUPPORTED: [&str; 4] = ["sslpassword", "sslcrl", "sslcrldir", "sslcompression"];

/// Reads `url` (a `postgres://` URL or `key=value` pairs) into the
/// driver's configuration and the TLS connector its `sslmode`,
/// `sslrootcert`, `sslcert` and `sslkey` ask for. The connector is cheap to
/// clone: connect with it as often as needed.
///
/// ```
/// let (config, tls) = pg_sections::tls::parse(
///     "postgres://app@db.internal/shop?sslmode=verify-full&sslrootcert=system",
/// )?;
/// assert_eq!(config.get_dbname(), Some("shop"));
/// # let _ = tls;
/// # Ok::<(), pg_sections::Error>(())
/// ```
///
/// # Errors
/// [`Error::Tls`] naming the URL (password masked): an `sslmode` that is
/// not one of libpq's, a certificate or key file that cannot be read or
/// holds none, `verify-ca`/`verify-full` without root certificates, an
/// option pg-sections does not support; [`Error::Connect`] when the rest
/// does not parse.
pub fn parse(url: &str) -> Result<(tokio_postgres::Config, Tls)> {
    let (rest, settings) = split(url).map_err(|message| tls_error(url, message))?;
    let mut config: tokio_postgres::Config = rest.parse().map_err(|source| Error::Connect {
        url: mask_password(url),
        source,
    })?;
    let mode = settings.mode(url)?;
    config.ssl_mode(match mode {
        Mode::Disable => SslMode::Disable,
        Mode::Allow | Mode::Prefer => SslMode::Prefer,
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
    });
    let tls = Tls::new(mode, &settings, default_root_file())
        .map_err(|message| tls_error(url, message))?;
    Ok((config, tls))
}

/// `url` without the options this module reads, for the driver (and for
/// showing it, password masked).
pub(crate) fn without_tls_options(url: &str) -> String {
    split(url).map_or_else(|_| url.to_owned(), |(rest, _)| rest)
}

fn tls_error(url: &str, message: String) -> Error {
    Error::Tls {
        url: mask_password(url),
        message,
    }
}

/// The TLS options of a connection string, as written.
#[derive(Debug, Default)]
struct Settings {
    mode: Option<String>,
    root: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    /// `sslnegotiation=direct`: TLS from the first byte.
    direct: bool,
}

/// `sslmode`, as libpq spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Settings {
    fn set(&mut self, key: &str, value: String) {
        match key {
            "sslmode" => self.mode = Some(value),
            "sslrootcert" => self.root = Some(value),
            "sslcert" => self.cert = Some(value),
            _ => self.key = Some(value),
        }
    }

    fn mode(&self, url: &str) -> Result<Mode> {
        let system = self.root.as_deref() == Some("system");
        let mode = match self.mode.as_deref() {
            None if system => Mode::VerifyFull,
            None => Mode::Prefer,
            Some("disable") => Mode::Disable,
            Some("allow") => Mode::Allow,
            Some("prefer") => Mode::Prefer,
            Some("require") => Mode::Require,
            Some("verify-ca") => Mode::VerifyCa,
            Some("verify-full") => Mode::VerifyFull,
            Some(other) => {
                return Err(tls_error(
                    url,
                    format!(
                        "`sslmode={other}` is not a mode; use one of disable, allow, prefer, require, verify-ca, verify-full"
                    ),
                ));
            }
        };
        if system && mode < Mode::VerifyFull {
            return Err(tls_error(
                url,
                format!(
                    "`sslmode={}` may not be used with `sslrootcert=system`: the platform's roots trust any public certificate, so the host's name must be checked too; use `sslmode=verify-full`",
                    self.mode.as_deref().unwrap_or_default()
                ),
            ));
        }
        Ok(mode)
    }
}

/// Splits the TLS options off `url`: the rest, as written, and them.
fn split(url: &str) -> std::result::Result<(String, Settings), String> {
    let mut settings = Settings::default();
    let mut take = |key: &str, value: String| -> std::result::Result<bool, String> {
        if key == "sslnegotiation" {
            // The driver's, and worth naming when the handshake fails.
            settings.direct = value == "direct";
            Ok(false)
        } else if OPTIONS.contains(&key) {
            settings.set(key, value);
            Ok(true)
        } else if UNSUPPORTED.contains(&key) {
            Err(format!(
                "`{key}` is not supported; pg-sections reads sslmode, sslrootcert, sslcert and sslkey (an unencrypted key)"
            ))
        } else {
            Ok(false)
        }
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        split_url(url, &mut take)?
    } else {
        split_pairs(url, &mut take)?
    };
    Ok((rest, settings))
}

type Take<'a> = dyn FnMut(&str, String) -> std::result::Result<bool, String> + 'a;

/// A URL's query parameters, percent-decoded; those `take` takes are left
/// out of the rest.
fn split_url(url: &str, take: &mut Take<'_>) -> std::result::Result<String, String> {
    // Where the driver looks for the query: after the credentials (up to
    // the first `@`), at the first `?`. A `?` in a password is not one.
    let scheme_end = url.find("://").map_or(0, |at| at + 3);
    let host_start = url[scheme_end..]
        .find('@')
        .map_or(scheme_end, |at| scheme_end + at + 1);
    let Some(query_start) = url[host_start..].find('?').map(|at| host_start + at) else {
        return Ok(url.to_owned());
    };
    let (base, query) = (&url[..query_start], &url[query_start + 1..]);
    let mut kept = Vec::new();
    for part in query.split('&').filter(|part| !part.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        if !take(&percent_decode(key)?, percent_decode(value)?)? {
            kept.push(part);
        }
    }
    Ok(if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    })
}

fn percent_decode(text: &str) -> std::result::Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| {
                    "a `%` in the URL's parameters is not followed by two hex digits".to_owned()
                })?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a URL parameter is not UTF-8 once decoded".to_owned())
}

/// `key = value` pairs as libpq reads them (values quoted with `'`,
/// backslash escapes); those `take` takes are left out of the rest.
fn split_pairs(text: &str, take: &mut Take<'_>) -> std::result::Result<String, String> {
    let mut rest = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut key = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            // Not a pair: the driver reports it.
            return Ok(text.to_owned());
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        let quoted = chars.next_if(|(_, c)| *c == '\'').is_some();
        let mut closed = !quoted;
        // Where the pair ends: after its closing quote, or before the
        // whitespace that ends it (an escaped one belongs to the value).
        let mut end = text.len();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '\'' if quoted => {
                    closed = true;
                    end = at + 1;
                    break;
                }
                c if !quoted && c.is_whitespace() => {
                    end = at;
                    break;
                }
                c => value.push(c),
            }
        }
        if !closed {
            return Ok(text.to_owned());
        }
        if !take(&key, value)? {
            if !rest.is_empty() {
                rest.push(' ');
            }
            rest.push_str(&text[start..end]);
        }
    }
    Ok(rest)
}

/// The TLS connector of a connection: what [`parse`] gives with the
/// driver's configuration, and what `tokio-postgres` (and `postgres`)
/// connect with. Cheap to clone.
#[derive(Clone)]
pub struct Tls {
    /// `None` for `sslmode=disable`.
    config: Option<Arc<ClientConfig>>,
    /// What the certificate is checked against, for errors.
    checks: Arc<str>,
    /// `sslnegotiation=direct`, for errors.
    direct: bool,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls")
            .field("enabled", &self.config.is_some())
            .field("checks", &self.checks)
            .field("direct", &self.direct)
            .finish()
    }
}

impl Tls {
    /// `default_root`: where root certificates are looked for without
    /// `sslrootcert` (libpq's `~/.postgresql/root.crt`).
    fn new(
        mode: Mode,
        settings: &Settings,
        default_root: Option<PathBuf>,
    ) -> std::result::Result<Self, String> {
        if mode == Mode::Disable {
            return Ok(Self {
                config: None,
                checks: Arc::from("no TLS"),
                direct: false,
            });
        }
        // rustls 0.23.48 deprecates ring's provider for lacking
        // post-quantum key exchange; aws-lc-rs, which has it, needs cmake
        // in every user's build. ring's classical groups (X25519, P-256,
        // P-384) are what PostgreSQL servers negotiate today.
        #[allow(deprecated, reason = "ring keeps the build free of cmake; see above")]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = match settings.root.as_deref() {
            Some("system") => Some((
                system_roots()?,
                "the platform's root certificates".to_owned(),
            )),
            Some(path) => Some((
                read_roots(Path::new(path))?,
                format!("the root certificates of sslrootcert={path}"),
            )),
            None => match default_root.as_ref().filter(|path| path.exists()) {
                Some(path) if mode >= Mode::Require => Some((
                    read_roots(path)?,
                    format!("the root certificates of {}", path.display()),
                )),
                _ => None,
            },
        };
        let (verifier, checks): (Arc<dyn ServerCertVerifier>, String) = match (mode, roots) {
            (Mode::Allow | Mode::Prefer, _) | (Mode::Require, None) => (
                Arc::new(Unverified(provider.clone())),
                format!("nothing (sslmode={})", mode.name()),
            ),
            (Mode::Require | Mode::VerifyCa, Some((roots, source))) => (
                Arc::new(ChainOnly(webpki(roots, &provider)?)),
                format!("{source}, not the host name (sslmode={})", mode.name()),
            ),
            (Mode::VerifyFull, Some((roots, source))) => (
                webpki(roots, &provider)?,
                format!("{source} and the host name (sslmode=verify-full)"),
            ),
            (Mode::VerifyCa | Mode::VerifyFull, None) => {
                return Err(format!(
                    "`sslmode={}` checks the server's certificate, and there is no root certificate to check it against: {}; give one with `sslrootcert=/path/to/root.crt`, trust the platform's with `sslrootcert=system`, or use `sslmode=require` to encrypt without checking",
                    mode.name(),
                    default_root.as_ref().map_or_else(
                        || "no sslrootcert, and no home folder to look in".to_owned(),
                        |path| format!("no sslrootcert, and {} does not exist", path.display())
                    ),
                ));
            }
            (Mode::Disable, _) => unreachable!("handled above"),
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| format!("rustls refused its own defaults: {error}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match (&settings.cert, &settings.key) {
            (None, None) => builder.with_no_client_auth(),
            (Some(cert), Some(key)) => {
                let chain = read_certificates(Path::new(cert), "sslcert")?;
                let key = PrivateKeyDer::from_pem_file(key).map_err(|error| {
                    format!("cannot read the private key of sslkey={key}: {error} (pg-sections reads unencrypted PEM keys: PKCS#8, PKCS#1 or SEC1)")
                })?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|error| format!("sslcert={cert} and sslkey: {error}"))?
            }
            (Some(_), None) => {
                return Err("`sslcert` needs `sslkey`, the file of its private key".to_owned());
            }
            (None, Some(_)) => {
                return Err("`sslkey` needs `sslcert`, the file of its certificate".to_owned());
            }
        };
        let mut config = config;
        // What libpq 17 sends, and what a server taking TLS directly
        // (`sslnegotiation=direct`) requires.
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        Ok(Self {
            config: Some(Arc::new(config)),
            checks: Arc::from(checks),
            direct: settings.direct,
        })
    }
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// Where libpq looks for root certificates without `sslrootcert`.
fn default_root_file() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".postgresql/root.crt"))
}

fn read_certificates(
    path: &Path,
    option: &str,
) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let certificates = CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect::<std::result::Result<Vec<_>, _>>)
        .map_err(|error| {
            format!(
                "cannot read the certificates of {option}={}: {error}",
                path.display()
            )
        })?;
    if certificates.is_empty() {
        return Err(format!(
            "{option}={} holds no certificate (PEM, `-----BEGIN CERTIFICATE-----`)",
            path.display()
        ));
    }
    Ok(certificates)
}

fn read_roots(path: &Path) -> std::result::Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    for certificate in read_certificates(path, "sslrootcert")? {
        roots.add(certificate).map_err(|error| {
            format!(
                "a certificate of sslrootcert={} cannot be a root: {error}",
                path.display()
            )
        })?;
    }
    Ok(roots)
}

fn system_roots() -> std::result::Result<RootCertStore, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
        return Err(format!(
            "`sslrootcert=system`: the platform has no root certificates pg-sections could read{}; install them (e.g. `apt-get install ca-certificates`) or give a file with `sslrootcert=/path/to/root.crt`",
            if errors.is_empty() {
                String::new()
            } else {
                format!(" ({})", errors.join("; "))
            }
        ));
    }
    Ok(roots)
}

fn webpki(
    roots: RootCertStore,
    provider: &Arc<CryptoProvider>,
) -> std::result::Result<Arc<WebPkiServerVerifier>, String> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|error| format!("cannot check certificates against these roots: {error}"))
}

/// Accepts any certificate (`prefer`, `require` without roots), still
/// checking that the server holds its key.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Checks the chain to the roots but not the host name (`verify-ca`).
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        // The chain is checked first: a name error means the chain held.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> MakeTlsConnect<S> for Tls {
    type Stream = TlsStream<S>;
    type TlsConnect = Connector;
    type Error = TlsError;

    fn make_tls_connect(&mut self, domain: &str) -> std::result::Result<Connector, TlsError> {
        Ok(Connector {
            config: self.config.clone(),
            host: domain.to_owned(),
            checks: self.checks.clone(),
            direct: self.direct,
        })
    }
}

/// The TLS connector of one host.
#[doc(hidden)]
pub struct Connector {
    config: Option<Arc<ClientConfig>>,
    host: String,
    checks: Arc<str>,
    direct: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> TlsConnect<S> for Connector {
    type Stream = TlsStream<S>;
    type Error = TlsError;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<TlsStream<S>, TlsError>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let config = self.config.ok_or_else(|| TlsError {
                message: "TLS was asked for with sslmode=disable".to_owned(),
            })?;
            let name = ServerName::try_from(self.host.clone()).map_err(|_| TlsError {
                message: format!("`{}` is not a host name a certificate can name", self.host),
            })?;
            tokio_rustls::TlsConnector::from(config)
                .connect(name, stream)
                .await
                .map(TlsStream)
                .map_err(|error| {
                    let refused = error
                        .get_ref()
                        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                        .is_some_and(|inner| matches!(inner, rustls::Error::InvalidCertificate(_)));
                    TlsError {
                        message: if refused {
                            format!(
                                "the server's certificate for `{}` was refused ({error}); it was checked against {}",
                                self.host, self.checks
                            )
                        } else if self.direct {
                            format!(
                                "the TLS handshake with `{}` failed: {error}; `sslnegotiation=direct` needs a server that takes TLS from the first byte (PostgreSQL 17 or later)",
                                self.host
                            )
                        } else {
                            format!("the TLS handshake with `{}` failed: {error}", self.host)
                        },
                    }
                })
        })
    }
}

/// Why a TLS handshake failed, in words that say what was checked.
#[derive(Debug)]
pub struct TlsError {
    message: String,
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TlsError {}

/// A TLS connection to the server.
#[doc(hidden)]
pub struct TlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for TlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for TlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for TlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest(url: &str) -> String {
        split(url).unwrap().0
    }

    #[test]
    fn tls_options_leave_urls_and_pairs_and_the_rest_stays_as_written() {
        assert_eq!(rest("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            rest(
                "postgres://u@h/db?sslmode=verify-full&application_name=a%20b&sslrootcert=%2Ftmp%2Fca.crt"
            ),
            "postgres://u@h/db?application_name=a%20b"
        );
        assert_eq!(
            rest("postgresql://h/db?sslmode=require"),
            "postgresql://h/db"
        );
        // A `?` in a password is not the query's, for the driver either.
        let (kept, settings) = split("postgres://u:pa?ss@h/db?sslmode=require").unwrap();
        assert_eq!(kept, "postgres://u:pa?ss@h/db");
        assert_eq!(settings.mode.as_deref(), Some("require"));
        // An escaped trailing space stays in its value.
        assert_eq!(
            rest("password=abc\\  dbname=x sslmode=disable"),
            "password=abc\\  dbname=x"
        );
        assert_eq!(
            rest("host=h sslmode = 'verify-ca'  sslrootcert='/a b/c\\'s.crt' dbname=x"),
            "host=h dbname=x"
        );
        let (_, settings) = split("host=h sslrootcert='/a b/c\\'s.crt'").unwrap();
        assert_eq!(settings.root.as_deref(), Some("/a b/c's.crt"));
        let (_, settings) = split("postgres://h/d?%73slmode=disable").unwrap();
        assert_eq!(settings.mode.as_deref(), Some("disable"));
    }

    #[test]
    fn unknown_modes_and_unsupported_options_are_refused_by_name() {
        let error = parse("postgres://h/d?sslmode=verify_full")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`sslmode=verify_full` is not a mode"),
            "{error}"
        );
        let error = parse("host=h sslpassword=x").unwrap_err().to_string();
        assert!(error.contains("`sslpassword` is not supported"), "{error}");
        let error = parse("postgres://h/d?sslrootcert=system&sslmode=require")
            .unwrap_err()
            .to_string();
        assert!(error.contains("use `sslmode=verify-full`"), "{error}");
        let error = parse("postgres://h/d?sslmode=require&sslcert=/nonexistent.crt")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`sslcert` needs `sslkey`"), "{error}");
        let error = parse("postgres://h/d?sslmode=verify-ca&sslrootcert=/nonexistent/ca.crt")
            .unwrap_err()
            .to_string();
        assert!(error.contains("sslrootcert=/nonexistent/ca.crt"), "{error}");
        let error = parse("postgres://h/d?sslmode=prefer&x=%zz")
            .unwrap_err()
            .to_string();
        assert!(error.contains("two hex digits"), "{error}");
    }

    #[test]
    fn verification_without_roots_is_refused_and_says_where_it_looked() {
        let missing = Some(PathBuf::from("/nonexistent/.postgresql/root.crt"));
        for mode in [Mode::VerifyCa, Mode::VerifyFull] {
            let error = Tls::new(mode, &Settings::default(), missing.clone()).unwrap_err();
            assert!(
                error.contains("no root certificate to check it against"),
                "{error}"
            );
            assert!(
                error.contains("/nonexistent/.postgresql/root.crt does not exist"),
                "{error}"
            );
            assert!(error.contains("sslrootcert=system"), "{error}");
            let error = Tls::new(mode, &Settings::default(), None).unwrap_err();
            assert!(error.contains("no home folder"), "{error}");
        }
        // `require` encrypts without roots, and `prefer` never checks.
        assert!(Tls::new(Mode::Require, &Settings::default(), missing.clone()).is_ok());
        assert!(Tls::new(Mode::Prefer, &Settings::default(), missing).is_ok());
    }

    #[test]
    fn passwords_stay_masked_in_urls_with_tls_options() {
        assert_eq!(
            mask_password("postgres://u:secret@h:5433/d?sslmode=verify-full&sslrootcert=system"),
            "postgres://u:***@h:5433/d"
        );
        assert_eq!(
            mask_password("host=h user=u password='a b' sslmode=verify-ca dbname=d"),
            "postgres://u:***@h/d"
        );
    }

    #[test]
    fn modes_map_to_the_drivers() {
        for (mode, expected) in [
            ("disable", SslMode::Disable),
            ("allow", SslMode::Prefer),
            ("prefer", SslMode::Prefer),
            ("require", SslMode::Require),
        ] {
            let (config, _) = parse(&format!("postgres://h/d?sslmode={mode}")).unwrap();
            assert_eq!(config.get_ssl_mode(), expected, "{mode}");
        }
        let (config, _) = parse("postgres://h/d").unwrap();
        assert_eq!(config.get_ssl_mode(), SslMode::Prefer);
    }
}
