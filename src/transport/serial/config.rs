//! How a serial reader is wired and timed: the line settings of ISO/IEC
//! 7816-3 §7 (9600 baud at Fd/Dd, 8 data bits, even parity, 2 stop bits: one
//! character frame of 12 etu), the reset contact of §6.2, the waiting times
//! of §8.1–§8.2 and §10.2, and whether to negotiate PPS (§9).

use core::time::Duration;

/// The modem line that drives the card's RST contact (ISO/IEC 7816-3 §6.2).
///
/// Phoenix and Smartmouse readers wire RST to RTS; some wire it to DTR.
/// pySim's serial backend calls the choice `-rts` (its default), `+rts`,
/// `-dtr`, `+dtr`; see [`SerialConfig::reset_asserted`] for the polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResetLine {
    /// RTS drives RST (the Phoenix design) (ISO/IEC 7816-3 §6.2).
    Rts,
    /// DTR drives RST (ISO/IEC 7816-3 §6.2).
    Dtr,
    /// No modem line: the card resets itself or is reset another way (a hook
    /// given to
    /// [`SerialTransport::from_port_with_reset`](super::SerialTransport::from_port_with_reset)).
    /// When the port is opened the transport reads the ATR the card sent on
    /// insertion (the virtual card on a pseudo-terminal sends it when the port
    /// is opened, ISO/IEC 7816-3 §6.2); at a later reset it discards the
    /// input and waits for a new ATR. A failed PPS exchange, after which §9.3
    /// wants a reset nothing here can make, is the error of the open.
    None,
}

/// Whether to negotiate the card's faster rate (ISO/IEC 7816-3 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PpsPolicy {
    /// Send a PPS request when TA1 offers another Fi/Di than Fd/Dd and the
    /// port accepts the bit rate it implies (or when T=0 is offered but is not
    /// the card's first protocol); stay at Fd/Dd when the card refuses (ISO/IEC 7816-3 §9).
    Auto,
    /// Never send PPS: the card stays at Fd/Dd (it must then offer T=0 first) (ISO/IEC 7816-3 §9).
    Off,
}

/// The settings of a serial reader (ISO/IEC 7816-3 §6–§10 as a Phoenix or
/// Smartmouse reader implements them on a UART).
///
/// Built with const methods from [`SerialConfig::DEFAULT`]:
///
/// ```
/// use simcore::transport::serial::{ResetLine, SerialConfig};
/// use core::time::Duration;
/// // A Smartmouse reader at 6 MHz / 372 = 16129 baud, RST on DTR, no PPS.
/// let config = SerialConfig::DEFAULT
///     .with_baud_rate(16_129)
///     .with_reset_line(ResetLine::Dtr)
///     .with_pps(simcore::transport::serial::PpsPolicy::Off)
///     .with_margin(Duration::from_millis(50));
/// assert_eq!(config.baud_rate(), 16_129);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SerialConfig {
    baud_rate: u32,
    reset_line: ResetLine,
    reset_asserted: bool,
    dtr: Option<bool>,
    reset_hold: Duration,
    echo: bool,
    pps: PpsPolicy,
    max_baud_rate: Option<u32>,
    margin: Duration,
    max_exchange_time: Duration,
}

impl SerialConfig {
    /// 9600 baud at Fd/Dd (a 3.5712 MHz clock), RST on RTS held at `true`
    /// during reset (pySim's `-rts`) for 50 ms, DTR left alone, every byte
    /// echoed, PPS on [`PpsPolicy::Auto`] with no bit-rate limit beyond the
    /// port's, 200 ms of host latency added to each waiting time, and at most
    /// 60 s for one command however many NULL bytes the card sends (ISO/IEC 7816-3 §6–§10).
    pub const DEFAULT: Self = SerialConfig {
        baud_rate: 9600,
        reset_line: ResetLine::Rts,
        reset_asserted: true,
        dtr: None,
        reset_hold: Duration::from_millis(50),
        echo: true,
        pps: PpsPolicy::Auto,
        max_baud_rate: None,
        margin: Duration::from_millis(200),
        max_exchange_time: Duration::from_secs(60),
    };

    /// The UART's bit rate at Fd = 372, Dd = 1, i.e. the card's clock divided
    /// by 372 (9600 for 3.5712 MHz). Timing and the rate after PPS are derived
    /// from it: the clock is taken as `baud_rate × 372` (ISO/IEC 7816-3 §7.1).
    #[must_use]
    pub const fn with_baud_rate(mut self, baud_rate: u32) -> Self {
        self.baud_rate = baud_rate;
        self
    }

    /// The modem line wired to RST (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn with_reset_line(mut self, line: ResetLine) -> Self {
        self.reset_line = line;
        self
    }

    /// The level written to the reset line while the card is held in reset
    /// (`true` = line asserted, pySim's `-rts` / `-dtr`); the opposite level
    /// releases it (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn with_reset_asserted(mut self, level: bool) -> Self {
        self.reset_asserted = level;
        self
    }

    /// A level to hold DTR at (readers that power the card from DTR), or
    /// `None` to leave it. Ignored when DTR is the reset line (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn with_dtr(mut self, level: Option<bool>) -> Self {
        self.dtr = level;
        self
    }

    /// How long RST is held before it is released (ISO/IEC 7816-3 §6.2.2
    /// asks for at least 400 clock cycles; USB adapters need far more).
    #[must_use]
    pub const fn with_reset_hold(mut self, hold: Duration) -> Self {
        self.reset_hold = hold;
        self
    }

    /// Whether the reader echoes every byte sent (the card's I/O line is one
    /// wire): the echo is then read back and compared. Turn it off for a
    /// reader that separates the directions (ISO/IEC 7816-3 §7).
    #[must_use]
    pub const fn with_echo(mut self, echo: bool) -> Self {
        self.echo = echo;
        self
    }

    /// Whether to negotiate PPS (ISO/IEC 7816-3 §9).
    #[must_use]
    pub const fn with_pps(mut self, pps: PpsPolicy) -> Self {
        self.pps = pps;
        self
    }

    /// The highest bit rate to negotiate, or `None` for any the port accepts (ISO/IEC 7816-3 §9).
    #[must_use]
    pub const fn with_max_baud_rate(mut self, max: Option<u32>) -> Self {
        self.max_baud_rate = max;
        self
    }

    /// Time added to every waiting time of the standard for the host's
    /// latency (USB serial adapters buffer for up to 16 ms) (ISO/IEC 7816-3 §8.1–§8.2, §10.2).
    #[must_use]
    pub const fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The longest one command may take, NULL bytes included (ISO/IEC 7816-3
    /// sets no limit on NULLs; this keeps a misbehaving card from hanging
    /// the caller).
    #[must_use]
    pub const fn with_max_exchange_time(mut self, max: Duration) -> Self {
        self.max_exchange_time = max;
        self
    }

    /// The bit rate at Fd/Dd (ISO/IEC 7816-3 §7.1).
    #[must_use]
    pub const fn baud_rate(&self) -> u32 {
        self.baud_rate
    }

    /// The line wired to RST (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn reset_line(&self) -> ResetLine {
        self.reset_line
    }

    /// The level of the reset line during reset (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn reset_asserted(&self) -> bool {
        self.reset_asserted
    }

    /// The DTR level to hold, if any (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn dtr(&self) -> Option<bool> {
        self.dtr
    }

    /// How long RST is held (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn reset_hold(&self) -> Duration {
        self.reset_hold
    }

    /// Whether sent bytes come back as an echo (ISO/IEC 7816-3 §7).
    #[must_use]
    pub const fn echo(&self) -> bool {
        self.echo
    }

    /// The PPS policy (ISO/IEC 7816-3 §9).
    #[must_use]
    pub const fn pps(&self) -> PpsPolicy {
        self.pps
    }

    /// The bit-rate limit for PPS (ISO/IEC 7816-3 §9).
    #[must_use]
    pub const fn max_baud_rate(&self) -> Option<u32> {
        self.max_baud_rate
    }

    /// The host latency added to each waiting time (ISO/IEC 7816-3 §8.1–§8.2, §10.2).
    #[must_use]
    pub const fn margin(&self) -> Duration {
        self.margin
    }

    /// The longest one command may take (ISO/IEC 7816-3 §10.2, §10.3.3).
    #[must_use]
    pub const fn max_exchange_time(&self) -> Duration {
        self.max_exchange_time
    }

    /// The card's clock as this configuration implies it: `baud_rate × 372`
    /// (ISO/IEC 7816-3 §7.1: 1 etu = Fd / (Dd × f) before PPS).
    #[must_use]
    pub const fn clock_hz(&self) -> u64 {
        self.baud_rate as u64 * crate::atr::FD as u64
    }

    /// The bit rate once `fi_di` is in force: `f × Di / Fi` (§7.1), `None`
    /// for reserved codes.
    #[must_use]
    pub fn baud_rate_for(&self, fi_di: crate::atr::FiDi) -> Option<u32> {
        let (fi, di) = fi_di.clocks_per_etu()?;
        u32::try_from(self.clock_hz() * u64::from(di) / u64::from(fi)).ok()
    }

    /// `clocks` of the card's clock, plus nothing: a [`Duration`].
    pub(crate) fn clocks(&self, clocks: u64) -> Duration {
        let hz = self.clock_hz().max(1);
        let micros = u128::from(clocks) * 1_000_000 / u128::from(hz);
        Duration::from_micros(u64::try_from(micros).unwrap_or(u64::MAX))
    }
}

impl Default for SerialConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atr::FiDi;

    #[test]
    fn rates_from_ta1() {
        let c = SerialConfig::DEFAULT;
        // 3.5712 MHz: TA1 11 → 9600, 94 (512/8) → 55 800, 96 (512/32) → 223 200
        // (vector V01's TA1 gives 223 200 bit/s at 3.5712 MHz), 18 (372/12) → 115 200.
        assert_eq!(c.clock_hz(), 3_571_200);
        assert_eq!(c.baud_rate_for(FiDi::DEFAULT), Some(9600));
        assert_eq!(c.baud_rate_for(FiDi::from_byte(0x94)), Some(55_800));
        assert_eq!(c.baud_rate_for(FiDi::from_byte(0x96)), Some(223_200));
        assert_eq!(c.baud_rate_for(FiDi::from_byte(0x18)), Some(115_200));
        assert_eq!(c.baud_rate_for(FiDi::from_byte(0x70)), None);
        // Vector V07: WT = 10 × 960 × 372 clocks = 1 s at 3.5712 MHz.
        assert_eq!(c.clocks(3_571_200), Duration::from_secs(1));
    }
}
