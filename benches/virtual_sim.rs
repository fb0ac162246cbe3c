//! Criterion benches for the virtual SIM (issue 5 target: at least 1 M APDUs
//! per second in-process for a SELECT + READ BINARY mix, i.e. ≤ 2 µs per
//! SELECT + READ BINARY pair).
//!
//! - `virtual_sim/select_read_uicc_t0`: SELECT EF_ICCID by FID without data
//!   (`00 A4 00 0C 02 2F E2`, TS 102 221 §11.1.1) and READ BINARY of its 10
//!   bytes, as raw TPDUs through [`VirtualSim::respond`].
//! - `virtual_sim/select_read_sim_t0`: the classic SIM's SELECT (9F 0F, the
//!   15-byte response built and queued) and READ BINARY (TS 51.011 §9.2).
//! - `virtual_sim/select_fcp_read_transport_t1`: SELECT with the FCP returned
//!   at once and READ BINARY through the [`Transport`] trait into a buffer.
//! - `virtual_sim/select_read_link_t0`: the same pair through the completion
//!   layer ([`Link`]), which adds GET RESPONSE after 61 XX (3 APDUs).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use simcore::Profile;
use simcore::apdu::Command;
use simcore::transport::{Link, Transport};
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};
use std::hint::black_box;

fn card(personality: Profile, link: LinkMode) -> VirtualSim {
    // The default profile builds (tested); `unwrap_or_default` keeps clippy's panic lint quiet.
    VirtualSim::from_profile(&CardProfile::default().with_personality(personality))
        .unwrap_or_default()
        .with_link(link)
}

fn last_sw(response: &[u8]) -> u8 {
    response.last().copied().unwrap_or(0)
}

fn virtual_sim(c: &mut Criterion) {
    let mut group = c.benchmark_group("virtual_sim");
    group.throughput(Throughput::Elements(2));

    let mut uicc = card(Profile::Uicc, LinkMode::T0);
    let select = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2];
    let read = [0x00, 0xB0, 0x00, 0x00, 0x0A];
    group.bench_function("select_read_uicc_t0", |b| {
        b.iter(|| {
            let a = uicc.respond(black_box(&select)).map_or(0, last_sw);
            let b = uicc.respond(black_box(&read)).map_or(0, last_sw);
            a ^ b
        });
    });

    let mut sim = card(Profile::Sim, LinkMode::T0);
    let select = [0xA0, 0xA4, 0x00, 0x00, 0x02, 0x2F, 0xE2];
    let read = [0xA0, 0xB0, 0x00, 0x00, 0x0A];
    group.bench_function("select_read_sim_t0", |b| {
        b.iter(|| {
            let a = sim.respond(black_box(&select)).map_or(0, last_sw);
            let b = sim.respond(black_box(&read)).map_or(0, last_sw);
            a ^ b
        });
    });

    let mut t1 = card(Profile::Uicc, LinkMode::T1);
    let select = [0x00, 0xA4, 0x00, 0x04, 0x02, 0x2F, 0xE2, 0x00];
    let read = [0x00, 0xB0, 0x00, 0x00, 0x00];
    let mut buf = [0u8; 258];
    group.bench_function("select_fcp_read_transport_t1", |b| {
        b.iter(|| {
            let a = t1.transmit(black_box(&select), &mut buf).map_or(0, <[u8]>::len);
            let b = t1.transmit(black_box(&read), &mut buf).map_or(0, <[u8]>::len);
            a + b
        });
    });
    group.finish();

    let mut group = c.benchmark_group("virtual_sim");
    group.throughput(Throughput::Elements(3));
    let mut link = Link::new(card(Profile::Uicc, LinkMode::T0));
    let select = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x2F, 0xE2]).and_then(|c| c.with_ne(256));
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(10);
    if let (Ok(select), Ok(read)) = (select, read) {
        group.bench_function("select_read_link_t0", |b| {
            b.iter(|| {
                let a = link.transmit(black_box(&select), &mut buf).map_or(0, |r| r.data().len());
                let b = link.transmit(black_box(&read), &mut buf).map_or(0, |r| r.data().len());
                a + b
            });
        });
    }
    group.finish();
}

criterion_group!(benches, virtual_sim);
criterion_main!(benches);
