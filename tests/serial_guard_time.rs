//! TC1's extra guard time on the serial transport (feature `serial`),
//! ISO/IEC 7816-3:2006 §8.3: characters sent to the card start at least
//! 12 + N etu apart.
//!
//! A pseudo-terminal has no line timing, so this runs on a model of a UART:
//! a write only queues bytes, each character then holds the line for 12 etu
//! (start bit, 8 data bits, parity, 2 stop bits), and `flush` returns when the
//! line is free, as `tcdrain` does (serialport's `flush` on Unix). The model
//! records when each character starts on the line and plays the reader's echo
//! and a card that ACKs the header and answers 90 00.

#![cfg(all(feature = "serial", unix))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serialport::{ClearBuffer, DataBits, FlowControl, Parity, SerialPort, StopBits};
use simcore::transport::Transport;
use simcore::transport::serial::{ResetLine, SerialConfig, SerialTransport};
use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bits per character on the line: start, 8 data, parity, 2 stop (§7.2).
const CHARACTER_ETU: u32 = 12;

#[derive(Default)]
struct Line {
    /// Bytes for the host to read: the echo and the card's answers.
    to_host: VecDeque<u8>,
    /// When the character being sent leaves the line.
    busy_until: Option<Instant>,
    /// When each character sent started on the line.
    starts: Vec<Instant>,
    /// What the card got.
    got: Vec<u8>,
}

struct Uart {
    line: Arc<Mutex<Line>>,
    baud: u32,
    timeout: Duration,
}

impl Uart {
    fn etu(&self) -> Duration {
        Duration::from_nanos(1_000_000_000 / u64::from(self.baud))
    }
}

impl io::Read for Uart {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let deadline = Instant::now() + self.timeout;
        loop {
            {
                let mut line = self.line.lock().unwrap();
                if !line.to_host.is_empty() {
                    let n = buf.len().min(line.to_host.len());
                    for slot in &mut buf[..n] {
                        *slot = line.to_host.pop_front().unwrap();
                    }
                    return Ok(n);
                }
            }
            if Instant::now() >= deadline {
                return Err(io::ErrorKind::TimedOut.into());
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

impl io::Write for Uart {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let character = self.etu() * CHARACTER_ETU;
        let mut line = self.line.lock().unwrap();
        for &byte in buf {
            let now = Instant::now();
            let start = line.busy_until.map_or(now, |busy| busy.max(now));
            line.busy_until = Some(start + character);
            line.starts.push(start);
            line.to_host.push_back(byte); // the one-wire reader's echo
            line.got.push(byte);
            // The card: ACK (INS) after the header, 90 00 after the data.
            let got = line.got.len();
            if got == 5 {
                let ins = line.got[1];
                line.to_host.push_back(ins);
            } else if got > 5 && got == 5 + usize::from(line.got[4]) {
                line.to_host.extend([0x90, 0x00]);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let busy_until = self.line.lock().unwrap().busy_until;
        if let Some(rest) = busy_until.and_then(|busy| busy.checked_duration_since(Instant::now())) {
            std::thread::sleep(rest);
        }
        Ok(())
    }
}

impl SerialPort for Uart {
    fn name(&self) -> Option<String> {
        Some("uart model".into())
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
        Ok(Parity::Even)
    }
    fn stop_bits(&self) -> serialport::Result<StopBits> {
        Ok(StopBits::Two)
    }
    fn timeout(&self) -> Duration {
        self.timeout
    }
    fn set_baud_rate(&mut self, baud: u32) -> serialport::Result<()> {
        self.baud = baud;
        Ok(())
    }
    fn set_data_bits(&mut self, _: DataBits) -> serialport::Result<()> {
        Ok(())
    }
    fn set_flow_control(&mut self, _: FlowControl) -> serialport::Result<()> {
        Ok(())
    }
    fn set_parity(&mut self, _: Parity) -> serialport::Result<()> {
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
        Ok(false)
    }
    fn read_data_set_ready(&mut self) -> serialport::Result<bool> {
        Ok(false)
    }
    fn read_ring_indicator(&mut self) -> serialport::Result<bool> {
        Ok(false)
    }
    fn read_carrier_detect(&mut self) -> serialport::Result<bool> {
        Ok(false)
    }
    fn bytes_to_read(&self) -> serialport::Result<u32> {
        Ok(u32::try_from(self.line.lock().unwrap().to_host.len()).unwrap())
    }
    fn bytes_to_write(&self) -> serialport::Result<u32> {
        Ok(0)
    }
    fn clear(&self, _: ClearBuffer) -> serialport::Result<()> {
        self.line.lock().unwrap().to_host.clear();
        Ok(())
    }
    fn try_clone(&self) -> serialport::Result<Box<dyn SerialPort>> {
        Err(serialport::Error::new(serialport::ErrorKind::Unknown, "the model has one handle"))
    }
    fn set_break(&self) -> serialport::Result<()> {
        Ok(())
    }
    fn clear_break(&self) -> serialport::Result<()> {
        Ok(())
    }
}

/// The gaps between the characters of an UPDATE BINARY of two bytes (header
/// and data), in etu, on a card whose ATR is `atr`.
fn gaps_in_etu(atr: &'static [u8]) -> Vec<f64> {
    let line = Arc::new(Mutex::new(Line::default()));
    let baud = 1200;
    let port = Uart { line: line.clone(), baud, timeout: Duration::from_millis(10) };
    let config = SerialConfig::DEFAULT
        .with_baud_rate(baud)
        .with_reset_line(ResetLine::None)
        .with_margin(Duration::from_millis(50))
        .with_reset_hold(Duration::from_millis(1));
    let card = line.clone();
    let mut reader = SerialTransport::from_port_with_reset(Box::new(port), config, move |hold| {
        if !hold {
            card.lock().unwrap().to_host.extend(atr);
        }
        Ok(())
    })
    .unwrap();
    line.lock().unwrap().starts.clear();
    let mut buf = [0u8; 8];
    let answer = reader.transmit(&[0x00, 0xD6, 0x00, 0x00, 0x02, 0xAA, 0xBB], &mut buf).unwrap();
    assert_eq!(answer, [0x90, 0x00]);
    let etu = 1.0 / f64::from(baud);
    let starts = line.lock().unwrap().starts.clone();
    assert_eq!(starts.len(), 7);
    starts.windows(2).map(|pair| (pair[1] - pair[0]).as_secs_f64() / etu).collect()
}

#[test]
fn tc1_spaces_the_characters_sent_by_twelve_plus_n_etu() {
    // ATR 3B 40 02: TC1 = 02, so 12 + 2 = 14 etu from one character's start
    // to the next (§8.3), within the header and within the data. Before the
    // transport drained each character, the N etu ran while the character
    // was still on the line and the spacing was 12.
    let gaps = gaps_in_etu(&[0x3B, 0x40, 0x02]);
    let within_header = &gaps[..4];
    let within_data = &gaps[5..];
    for gap in within_header.iter().chain(within_data) {
        assert!(*gap >= 13.9, "characters {gaps:.2?} etu apart, TC1 = 02 needs 14");
    }
}

#[test]
fn without_tc1_characters_follow_each_other() {
    // ATR 3B 00: no TC1, N = 0, so the characters go out back to back
    // (12 etu apart): the model's spacing is the line's, nothing is added.
    let gaps = gaps_in_etu(&[0x3B, 0x00]);
    for gap in &gaps {
        assert!(*gap >= 11.9, "characters {gaps:.2?} etu apart: less than a character");
    }
    // Nothing added: the median gap stays under 13 etu (one etu is 833 µs at
    // 1200 baud), where TC1 = 01 would make it 13. The median, not each gap,
    // so that one late wake-up of this process does not decide.
    let mut sorted = gaps.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    assert!(median < 13.0, "characters {gaps:.2?} etu apart without TC1 (median {median:.2})");
}
