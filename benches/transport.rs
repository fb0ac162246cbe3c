//! Criterion benches for the completion layer (ISO/IEC 7816-3 §12.2, ISO/IEC
//! 7816-4 §7.6.1) and the PIN command builders (TS 102 221 §11.1.9).
//!
//! `transport/*_fixed` run [`Link`] over a minimal in-bench card, so they
//! measure the completion layer itself; `transport/*_mock` run it over the
//! scripted [`MockTransport`] (cloned per iteration), as tests do.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use simcore::apdu::Command;
use simcore::chv::{ChvCommand, KeyReference, Pin};
use simcore::transport::mock::MockTransport;
use simcore::transport::{ErrorKind, Link, Protocol, Reset, Transport};
use simcore::{Profile, StatusWord};
use std::hint::black_box;

/// The MF's FCP, 46 bytes (vector V97), then 90 00.
const FCP: [u8; 48] = [
    0x62, 0x2C, 0x82, 0x02, 0x78, 0x21, 0x83, 0x02, 0x3F, 0x00, 0xA5, 0x0C, 0x80, 0x01, 0x71, 0x83, 0x04,
    0x00, 0x03, 0xA7, 0x38, 0x87, 0x01, 0x01, 0x8A, 0x01, 0x05, 0x8B, 0x03, 0x2F, 0x06, 0x01, 0xC6, 0x0C,
    0x90, 0x01, 0x60, 0x83, 0x01, 0x01, 0x83, 0x01, 0x0A, 0x83, 0x01, 0x0B, 0x90, 0x00,
];

/// A UICC that answers SELECT with 61 2E on T=0 (FCP at once on T=1) and GET
/// RESPONSE with the FCP.
struct Card(Protocol);

impl Transport for Card {
    type Error = ErrorKind;
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ErrorKind> {
        let reply: &[u8] = match (self.0, command.get(1)) {
            (Protocol::T0, Some(0xA4)) => &[0x61, 0x2E],
            _ => &FCP,
        };
        let out = response.get_mut(..reply.len()).ok_or(ErrorKind::Other)?;
        out.copy_from_slice(reply);
        Ok(out)
    }
    fn atr(&self) -> Option<&[u8]> {
        None
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, ErrorKind> {
        Ok(reset)
    }
    fn protocol(&self) -> Protocol {
        self.0
    }
}

fn transport(c: &mut Criterion) {
    let mut group = c.benchmark_group("transport");
    let data = [0x3F, 0x00];
    let select = match Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&data).and_then(|c| c.with_ne(256)) {
        Ok(c) => c,
        Err(_) => return,
    };
    for (name, protocol) in [("t0_select_61xx_fixed", Protocol::T0), ("t1_select_fixed", Protocol::T1)] {
        group.bench_function(name, |b| {
            let mut link = Link::new(Card(protocol));
            let mut buf = [0u8; 258];
            b.iter(|| {
                link.transmit(black_box(&select), &mut buf).map(|r| r.sw()).unwrap_or(StatusWord::SUCCESS)
            });
        });
    }
    let script = MockTransport::new(Protocol::T0)
        .expect(&[0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00], &[0x61, 0x2E])
        .expect(&[0x00, 0xC0, 0x00, 0x00, 0x2E], &FCP);
    group.bench_function("t0_select_61xx_mock", |b| {
        let mut buf = [0u8; 258];
        b.iter_batched(
            || Link::new(script.clone()),
            |mut link| link.transmit(&select, &mut buf).map(|r| r.exchanges()).unwrap_or(0),
            BatchSize::SmallInput,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("chv");
    if let Ok(pin) = Pin::new("1234") {
        group.bench_function("verify_build", |b| {
            b.iter(|| {
                ChvCommand::verify(black_box(Profile::Uicc), KeyReference::PIN1, black_box(&pin))
                    .map(|c| c.header())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, transport);
criterion_main!(benches);
