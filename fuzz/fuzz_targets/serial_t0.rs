//! Fuzz the serial reader transport (feature `serial`) fed arbitrary card
//! bytes: the ATR read byte by byte (ISO/IEC 7816-3 §8, both conventions),
//! PPS (§9), the echo of a one-wire reader, then T=0 exchanges (§10.3: NULL,
//! ACK, ~ACK, SW1 SW2) through `Link` (T=0 mapping, GET RESPONSE, §12.2).
//!
//! The port is a fake `serialport::SerialPort`: what the host writes comes
//! back as the echo (when the flags byte asks for one; a flipped bit in the
//! flags corrupts it), and the card's bytes are the fuzzer's, there at once.
//! Time is made to vanish so a card that falls silent ends in a timeout at
//! once and nothing sleeps: no margin, no reset hold, a 200 µs bound per
//! command, and a line just above 10⁹ baud (see [`BAUD`]).
//!
//! Nothing may panic; every answer the transport returns ends in a status
//! word that T=0 allows there (SW1 6X other than 60, or 9X) after no more
//! data than the command asked for; `Link` only returns what fits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serialport::{ClearBuffer, DataBits, FlowControl, Parity, SerialPort, StopBits};
use simcore::apdu::Command;
use simcore::transport::serial::{PpsPolicy, SerialConfig, SerialTransport};
use simcore::transport::{Link, Transport};
use std::collections::VecDeque;
use std::io;
use std::time::Duration;

/// The reader and card, as the host's UART sees them.
struct FakePort {
    echo: VecDeque<u8>,
    card: VecDeque<u8>,
    echoes: bool,
    corrupt_echo: bool,
    baud: u32,
    parity: Parity,
    timeout: Duration,
}

impl io::Read for FakePort {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            let Some(b) = self.echo.pop_front().or_else(|| self.card.pop_front()) else { break };
            buf[n] = b;
            n += 1;
        }
        if n == 0 { Err(io::ErrorKind::TimedOut.into()) } else { Ok(n) }
    }
}

impl io::Write for FakePort {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.echoes {
            for (i, &b) in buf.iter().enumerate() {
                self.echo.push_back(if self.corrupt_echo && i == 0 { b ^ 0x01 } else { b });
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl SerialPort for FakePort {
    fn name(&self) -> Option<String> {
        None
    }
    fn baud_rate(&self) -> serialport::Result<u32> {
        Ok(self.baud)
    }
    fn data_bits(&self) -> serialport::Result<DataBits> {
        Ok(DataBits::Eight)
    }
    fn flow_control(&self) -> serialport::Result<FlowControl> {
        Ok(FlowControl::None)
    }
    fn parity(&self) -> serialport::Result<Parity> {
        Ok(self.parity)
    }
    fn stop_bits(&self) -> serialport::Result<StopBits> {
        Ok(StopBits::Two)
    }
    fn timeout(&self) -> Duration {
        self.timeout
    }
    fn set_baud_rate(&mut self, baud_rate: u32) -> serialport::Result<()> {
        self.baud = baud_rate;
        Ok(())
    }
    fn set_data_bits(&mut self, _: DataBits) -> serialport::Result<()> {
        Ok(())
    }
    fn set_flow_control(&mut self, _: FlowControl) -> serialport::Result<()> {
        Ok(())
    }
    fn set_parity(&mut self, parity: Parity) -> serialport::Result<()> {
        self.parity = parity;
        Ok(())
    }
    fn set_stop_bits(&mut self, _: StopBits) -> serialport::Result<()> {
        Ok(())
    }
    fn set_timeout(&mut self, timeout: Duration) -> serialport::Result<()> {
        self.timeout = timeout;
        Ok(())
    }
    fn write_request_to_send(&mut self, _: bool) -> serialport::Result<()> {
        Ok(())
    }
    fn write_data_terminal_ready(&mut self, _: bool) -> serialport::Result<()> {
        Ok(())
    }
    fn read_clear_to_send(&mut self) -> serialport::Result<bool> {
        Ok(true)
    }
    fn read_data_set_ready(&mut self) -> serialport::Result<bool> {
        Ok(true)
    }
    fn read_ring_indicator(&mut self) -> serialport::Result<bool> {
        Ok(false)
    }
    fn read_carrier_detect(&mut self) -> serialport::Result<bool> {
        Ok(true)
    }
    fn bytes_to_read(&self) -> serialport::Result<u32> {
        Ok(u32::try_from(self.echo.len() + self.card.len()).unwrap_or(u32::MAX))
    }
    fn bytes_to_write(&self) -> serialport::Result<u32> {
        Ok(0)
    }
    /// The card's bytes are its answers to what comes: a discard keeps them.
    fn clear(&self, _: ClearBuffer) -> serialport::Result<()> {
        Ok(())
    }
    fn try_clone(&self) -> serialport::Result<Box<dyn SerialPort>> {
        Err(serialport::Error::new(serialport::ErrorKind::Unknown, "no clone"))
    }
    fn set_break(&self) -> serialport::Result<()> {
        Ok(())
    }
    fn clear_break(&self) -> serialport::Result<()> {
        Ok(())
    }
}

/// Just above 10⁹ baud: an etu (in whole nanoseconds) and so every waiting time
/// and guard time is zero, while the rates PPS may reach from TA1 = 12, 13, 92
/// or 93 (× 2 to × 4) still fit the port's `u32`.
const BAUD: u32 = 1_000_000_001;

/// Whether `sw1` may end a T=0 exchange (§10.3.3): 6X but 60, or 9X.
fn is_sw1(sw1: u8) -> bool {
    matches!(sw1 & 0xF0, 0x60 | 0x90) && sw1 != 0x60
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, card)) = data.split_first() else { return };
    let port = FakePort {
        echo: VecDeque::new(),
        card: card.iter().copied().collect(),
        echoes: flags & 1 != 0,
        corrupt_echo: flags & 0x80 != 0,
        baud: BAUD,
        parity: Parity::Even,
        timeout: Duration::ZERO,
    };
    let config = SerialConfig::DEFAULT
        .with_baud_rate(BAUD)
        .with_reset_hold(Duration::ZERO)
        .with_margin(Duration::ZERO)
        .with_max_exchange_time(Duration::from_micros(200))
        .with_echo(flags & 1 != 0)
        .with_pps(if flags & 2 != 0 { PpsPolicy::Off } else { PpsPolicy::Auto });
    let Ok(mut reader) = SerialTransport::from_port_with_reset(Box::new(port), config, |_| Ok(())) else {
        return;
    };
    let _ =
        (reader.atr(), reader.pps_outcome(), reader.fi_di(), reader.convention(), reader.work_waiting_time());
    // Raw TPDUs: case 2 (READ BINARY, P3 = 0A), case 3 (VERIFY), case 1 (P3 = 00).
    let tpdus: [&[u8]; 3] = [
        &[0x00, 0xB0, 0x00, 0x00, 0x0A],
        &[0x00, 0x20, 0x00, 0x01, 0x08, 0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF],
        &[0x00, 0x70, 0x80, 0x01],
    ];
    let mut buf = [0u8; 258];
    for tpdu in tpdus {
        if let Ok(answer) = reader.transmit(tpdu, &mut buf) {
            let (data, sw) = answer.split_last_chunk::<2>().expect("an answer ends in SW1 SW2");
            assert!(is_sw1(sw[0]), "SW1 {:02X} cannot end a T=0 exchange", sw[0]);
            // P3 of a TPDU without data is what the card may send, 00 meaning 256 (a
            // 4-byte case-1 command goes out with P3 = 00, TS 51.011 §9.1); a TPDU
            // with data gets none back (§10.3.2).
            let may_send = match tpdu.len() {
                4 => 256,
                5 if tpdu[4] == 0 => 256,
                5 => usize::from(tpdu[4]),
                _ => 0,
            };
            assert!(data.len() <= may_send, "{} data bytes for {tpdu:02X?}", data.len());
        }
    }
    // Through Link: SELECT MF with its FCP (T=0 case 4 as case 3, then GET RESPONSE).
    let mut link = Link::new(reader);
    let select = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x3F, 0x00]).unwrap().with_ne(256).unwrap();
    if let Ok(response) = link.transmit(&select, &mut buf) {
        assert!(response.data().len() <= 256);
        let _ = response.sw().to_string();
    }
});
