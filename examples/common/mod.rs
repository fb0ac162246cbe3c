//! What the card examples share: the choice of card (the backend), the APDU
//! trace, and reading secret codes.
//!
//! The backend options are the same for every example:
//!
//! | Option | Card |
//! |---|---|
//! | (none) | the built-in virtual UICC (`simcore::virtual_sim`, PIN1 1234, PUK1 12345678) |
//! | `--profile FILE` | a virtual card from a TOML profile (`--persist` writes its counters back) |
//! | `--personality sim` | the virtual card as a classic SIM (TS 51.011) instead of a UICC (`euicc`: an eUICC) |
//! | `--pcsc [READER]` | a PC/SC reader (feature `pcsc`) |
//! | `--serial PATH` | a Phoenix/Smartmouse serial reader (feature `serial`; `--reset-line rts\|dtr\|none`, `--no-echo` for other wiring) |
//! | `--modem PATH` | a cellular modem's AT port, `AT+CSIM` (feature `modem`) |
//!
//! [`open`] is the one place that turns these options into a transport: a new
//! backend is one more arm there ([`open_pcsc`], [`open_serial`], [`open_modem`]), wrapped in
//! a [`Backend`] so the examples stay non-generic.

// Each example uses a part of this module.
#![allow(dead_code)]

use clap::{Args, ValueEnum};
use simcore::Profile;
use simcore::transport::{self, ErrorKind, Event, Link, Protocol, Reset, Transport};
use simcore::virtual_sim::{CardProfile, VirtualSim};
use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use zeroize::Zeroize;

/// The card to talk to.
#[derive(Args, Debug, Clone)]
pub struct BackendArgs {
    /// A virtual card from a TOML card profile (default: the built-in virtual UICC).
    #[arg(long, global = true, value_name = "FILE", conflicts_with_all = ["pcsc", "serial", "modem"])]
    pub profile: Option<PathBuf>,
    /// Write the virtual card's codes, counters and files back to its profile file (only what
    /// changed is rewritten; the file's comments stay).
    #[arg(long, global = true, requires = "profile")]
    pub persist: bool,
    /// The virtual card's personality: sim (TS 51.011), uicc (TS 102 221) or
    /// euicc (a UICC with an ISD-R, GSMA SGP.22).
    #[arg(long, global = true, value_name = "sim|uicc|euicc", conflicts_with_all = ["pcsc", "serial", "modem"])]
    pub personality: Option<String>,
    /// A PC/SC reader: the first one, or the one whose name contains READER (feature `pcsc`).
    #[arg(long, global = true, num_args = 0..=1, default_missing_value = "", value_name = "READER", conflicts_with = "serial")]
    pub pcsc: Option<String>,
    /// A Phoenix/Smartmouse reader on a serial port (feature `serial`).
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "modem")]
    pub serial: Option<PathBuf>,
    /// The modem line the serial reader wires to the card's RST: rts (the
    /// Phoenix design, pySim's default), dtr, or none (a card that resets
    /// itself, like `virtual_sim --serial` on a pseudo-terminal).
    #[arg(long, global = true, value_name = "LINE", requires = "serial")]
    pub reset_line: Option<ResetWiring>,
    /// The serial reader does not echo the bytes it sends (not a one-wire
    /// Phoenix reader; `virtual_sim --serial`).
    #[arg(long, global = true, requires = "serial")]
    pub no_echo: bool,
    /// A SIM in a cellular modem, through its AT command port (e.g. /dev/ttyUSB2;
    /// AT+CSIM, 3GPP TS 27.007; feature `modem`).
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "pcsc")]
    pub modem: Option<PathBuf>,
    /// Print every APDU on stderr, PIN data as `**`.
    #[arg(long, global = true)]
    pub trace: bool,
}

/// The `--reset-line` choices (`simcore::transport::serial::ResetLine`).
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResetWiring {
    /// RTS drives RST.
    Rts,
    /// DTR drives RST.
    Dtr,
    /// No line: the card sends its ATR by itself.
    None,
}

/// A failed backend, with its kind and a message for a person.
#[derive(Debug, Clone)]
pub struct BackendError {
    kind: ErrorKind,
    message: String,
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BackendError {}

impl transport::Error for BackendError {
    fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// Object-safe view of a [`Transport`], so every backend fits one type.
trait DynTransport {
    fn transmit(&mut self, command: &[u8], response: &mut [u8]) -> Result<usize, BackendError>;
    fn atr(&self) -> Option<&[u8]>;
    fn reset(&mut self, reset: Reset) -> Result<Reset, BackendError>;
    fn protocol(&self) -> Protocol;
}

fn backend_error<E: transport::Error>(e: &E) -> BackendError {
    BackendError { kind: e.kind(), message: format!("{e} ({})", e.kind().hint()) }
}

impl<T: Transport> DynTransport for T {
    fn transmit(&mut self, command: &[u8], response: &mut [u8]) -> Result<usize, BackendError> {
        Transport::transmit(self, command, response).map(<[u8]>::len).map_err(|e| backend_error(&e))
    }
    fn atr(&self) -> Option<&[u8]> {
        Transport::atr(self)
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, BackendError> {
        Transport::reset(self, reset).map_err(|e| backend_error(&e))
    }
    fn protocol(&self) -> Protocol {
        Transport::protocol(self)
    }
}

/// The chosen card, whatever its backend.
pub struct Backend {
    inner: Box<dyn DynTransport>,
    /// "built-in virtual UICC", "PC/SC reader …".
    pub description: String,
}

impl Backend {
    /// Wrap any transport.
    pub fn new<T: Transport + 'static>(transport: T, description: impl Into<String>) -> Self {
        Backend { inner: Box::new(transport), description: description.into() }
    }
}

impl Transport for Backend {
    type Error = BackendError;

    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], BackendError> {
        let len = self.inner.transmit(command, response)?;
        response
            .get(..len)
            .ok_or(BackendError { kind: ErrorKind::Other, message: "response outside the buffer".into() })
    }
    fn atr(&self) -> Option<&[u8]> {
        self.inner.atr()
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, BackendError> {
        self.inner.reset(reset)
    }
    fn protocol(&self) -> Protocol {
        self.inner.protocol()
    }
}

/// Open the card the options name.
pub fn open(args: &BackendArgs) -> Result<Backend, String> {
    open_with(args, false)
}

/// Open the card the options name, a PC/SC card in exclusive mode: no other
/// program can send it commands while this one runs (what a PIN operation
/// wants between the guard's counter read and its command).
pub fn open_exclusive(args: &BackendArgs) -> Result<Backend, String> {
    open_with(args, true)
}

fn open_with(args: &BackendArgs, exclusive: bool) -> Result<Backend, String> {
    if let Some(reader) = &args.pcsc {
        return open_pcsc(reader, exclusive);
    }
    if let Some(path) = &args.serial {
        return open_serial(path, args.reset_line.unwrap_or(ResetWiring::Rts), !args.no_echo);
    }
    if let Some(path) = &args.modem {
        return open_modem(path);
    }
    let mut profile = match &args.profile {
        Some(path) => CardProfile::load(path).map_err(|e| e.to_string())?,
        None => CardProfile::default(),
    };
    apply_personality(&mut profile, args.personality.as_deref(), args.persist)?;
    let mut card = VirtualSim::from_profile(&profile).map_err(|e| e.to_string())?;
    if let (true, Some(path)) = (args.persist, &args.profile) {
        card = card.with_persistence(path);
    }
    let kind = match (profile.personality, &profile.euicc) {
        (Profile::Sim, _) => "SIM",
        (_, Some(_)) => "eUICC",
        (_, None) => "UICC",
    };
    let description = match &args.profile {
        Some(path) => format!("virtual {kind} from {}", path.display()),
        None => format!("built-in virtual {kind}"),
    };
    Ok(Backend::new(card, description))
}

/// Whether to offer `--force-last-attempt` after `refusal`: when forcing
/// could send the command, except for a code never set up, where it only
/// brings the card's own "not initialised" (98 02) (TS 51.011 §9.4.5).
pub fn offers_force(refusal: &simcore::card::Refusal) -> bool {
    refusal.can_be_forced() && !matches!(refusal, simcore::card::Refusal::NotInitialised { .. })
}

/// `--personality WORD` over a loaded `profile` (sim, uicc or euicc). With
/// `persist` an override is refused: written back, it would stay in the file.
pub fn apply_personality(profile: &mut CardProfile, word: Option<&str>, persist: bool) -> Result<(), String> {
    let Some(word) = word else { return Ok(()) };
    let loaded = (profile.personality, profile.euicc.is_some());
    profile.personality = match word.to_ascii_lowercase().as_str() {
        "sim" => Profile::Sim,
        "uicc" => Profile::Uicc,
        "euicc" => {
            profile.euicc.get_or_insert_with(Default::default);
            Profile::Uicc
        }
        _ => return Err(format!("unknown personality {word:?}; expected sim, uicc or euicc")),
    };
    if persist && (profile.personality, profile.euicc.is_some()) != loaded {
        return Err(format!(
            "--personality {word} with --persist would rewrite the profile's personality for good; \
             edit `personality` in the file instead, or leave out --persist"
        ));
    }
    Ok(())
}

/// The PC/SC backend (`simcore::transport::pcsc`, feature `pcsc`): the first
/// reader with a card (`reader` empty) or the one whose name contains `reader`.
#[cfg(feature = "pcsc")]
pub fn open_pcsc(reader: &str, exclusive: bool) -> Result<Backend, String> {
    use simcore::transport::pcsc::{PcscConfig, PcscTransport, ShareMode, readers};
    let config = if exclusive {
        PcscConfig::DEFAULT.with_share_mode(ShareMode::Exclusive)
    } else {
        PcscConfig::DEFAULT
    };
    let transport = if reader.is_empty() {
        PcscTransport::connect_first(config)
    } else {
        let names = readers().map_err(|e| e.to_string())?;
        let name = names
            .iter()
            .find(|name| name.contains(reader))
            .ok_or_else(|| format!("no PC/SC reader name contains {reader:?}; the readers are {names:?}"))?;
        PcscTransport::connect(name, config)
    }
    .map_err(|e| e.to_string())?;
    let description = format!("PC/SC reader {}", transport.reader());
    Ok(Backend::new(transport, description))
}

/// Without feature `pcsc`: how to get it.
#[cfg(not(feature = "pcsc"))]
pub fn open_pcsc(reader: &str, _exclusive: bool) -> Result<Backend, String> {
    let which =
        if reader.is_empty() { String::from("the first reader") } else { format!("reader {reader:?}") };
    Err(format!(
        "--pcsc ({which}) needs the PC/SC transport, which this build does not have; \
         build with it: cargo run --features pcsc --example <name> -- --pcsc \
         (needs libpcsclite-dev and pkg-config to build, pcscd to run)"
    ))
}

/// The serial-reader backend (`simcore::transport::serial`, feature
/// `serial`): a Phoenix/Smartmouse reader with the default settings (9600
/// baud, PPS when the card offers more), RST on `wiring`, the echo checked
/// when `echo`.
#[cfg(feature = "serial")]
pub fn open_serial(path: &Path, wiring: ResetWiring, echo: bool) -> Result<Backend, String> {
    use simcore::transport::serial::{ResetLine, SerialConfig, SerialError, SerialTransport};
    let line = match wiring {
        ResetWiring::Rts => ResetLine::Rts,
        ResetWiring::Dtr => ResetLine::Dtr,
        ResetWiring::None => ResetLine::None,
    };
    let config = SerialConfig::DEFAULT.with_reset_line(line).with_echo(echo);
    let transport = SerialTransport::open(&path.to_string_lossy(), config).map_err(|e| {
        let hint = match e {
            SerialError::ResetLine { .. } => "; here: --reset-line none (or dtr)",
            SerialError::NoEcho { .. } | SerialError::Echo { .. } => "; a reader without echo: --no-echo",
            // During the PPS exchange: the card's answer taken for an echo.
            SerialError::Timeout { .. } if echo => "; a reader without echo: --no-echo",
            _ => "",
        };
        format!("{}: {e}{hint}", path.display())
    })?;
    Ok(Backend::new(transport, format!("serial reader {}", path.display())))
}

/// Without feature `serial`: how to get it.
#[cfg(not(feature = "serial"))]
pub fn open_serial(path: &Path, _wiring: ResetWiring, _echo: bool) -> Result<Backend, String> {
    Err(format!(
        "--serial {} needs the serial reader transport, which this build does not have; \
         build with it: cargo run --features serial --example <name> -- --serial {}",
        path.display(),
        path.display()
    ))
}

/// The modem backend (feature `modem`): the AT port at `path`, `ATE0` and
/// `AT+CMEE=1` sent, then `AT+CSIM` for every APDU.
#[cfg(feature = "modem")]
pub fn open_modem(path: &Path) -> Result<Backend, String> {
    use simcore::transport::modem::{ModemConfig, ModemTransport};
    let text = path.to_str().ok_or_else(|| format!("--modem {}: not a UTF-8 path", path.display()))?;
    let modem = ModemTransport::open(text, ModemConfig::DEFAULT)
        .map_err(|e| format!("--modem {}: {e} ({})", path.display(), e.kind().hint()))?;
    Ok(Backend::new(modem, format!("modem at {}", path.display())))
}

/// The modem backend needs feature `modem`.
#[cfg(not(feature = "modem"))]
pub fn open_modem(path: &Path) -> Result<Backend, String> {
    Err(format!(
        "--modem {} needs the modem transport, which this build does not have; \
         build with it: cargo run --features modem --example <name> -- --modem {}",
        path.display(),
        path.display()
    ))
}

/// The trace hook: every event on stderr when `on`.
pub type TraceHook = Box<dyn for<'a> FnMut(Event<'a>)>;

/// A link over `backend`, tracing to stderr when `trace`.
pub fn link(backend: Backend, trace: bool) -> Link<Backend, TraceHook> {
    let hook: TraceHook = if trace { Box::new(|event| eprintln!("{event}")) } else { Box::new(|_| {}) };
    Link::new(backend).with_trace(hook)
}

/// A secret read from a file, the environment or a prompt; wiped on drop.
pub struct Secret(Vec<u8>);

impl Secret {
    /// The text (without the line end).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.as_mut_slice().zeroize();
    }
}

impl From<String> for Secret {
    fn from(text: String) -> Self {
        let mut bytes = text.into_bytes();
        let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
        let kept = bytes.get(..end).unwrap_or_default().to_vec();
        bytes.as_mut_slice().zeroize();
        Secret(kept)
    }
}

/// Where the codes come from, in this order: the nth line of `--pin-file`,
/// the environment variable, a prompt without echo on the terminal.
#[derive(Args, Debug, Clone)]
pub struct CodeArgs {
    /// Read the codes from FILE, one per line, in the order the command asks
    /// for them (`sim_info --verify-pin`: PIN1; `pin change`: old PIN, new
    /// PIN; `pin unblock`: PUK, new PIN).
    #[arg(long, global = true, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

/// Read code number `index` (0-based) for `prompt` ("PIN1", "new PIN1", "PUK
/// of PIN1"), trying `--pin-file`, then `env`, then the terminal.
pub fn read_code(args: &CodeArgs, index: usize, env: &str, prompt: &str) -> Result<Secret, String> {
    if let Some(path) = &args.pin_file {
        let text =
            Secret::from(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?);
        let line = text.as_str().lines().nth(index).map(|l| Secret::from(l.to_string()));
        return line.ok_or_else(|| format!("{}: no line {} for the {prompt}", path.display(), index + 1));
    }
    match std::env::var(env) {
        Ok(value) => return Ok(Secret::from(value)),
        // The value is a secret: say only that it cannot be a code.
        Err(std::env::VarError::NotUnicode(value)) => {
            #[cfg(unix)]
            std::os::unix::ffi::OsStringExt::into_vec(value).zeroize();
            #[cfg(not(unix))]
            drop(value);
            return Err(format!("{env} is set, but not to text (a code is 4 to 8 digits)"));
        }
        Err(std::env::VarError::NotPresent) => {}
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "no {prompt} given: use --pin-file FILE, set {env}, or run in a terminal to be asked"
        ));
    }
    rpassword::prompt_password(format!("{prompt}: "))
        .map(Secret::from)
        .map_err(|e| format!("reading the {prompt}: {e}"))
}
