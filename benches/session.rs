//! Criterion benches for the card session (`simcore::card`) against the
//! in-process virtual SIM, T=0 link. Throughput is counted in APDUs, so
//! criterion reports APDUs per second; the APDU counts themselves (opening,
//! the identity summary, what `sim_info` sends) are printed once per profile.
//!
//! - `session/open_{uicc,sim}`: profile detection on a fresh card (TS 102 221
//!   §11.1.1, TS 51.011 §9.2.1).
//! - `session/summary_{uicc,sim}`: ICCID, MSISDN, IMSI, AD, SPN in a row,
//!   steady state (each round starts where the last ended: ADF.USIM on the
//!   UICC, whose identity comes from the USIM, DF_GSM on the SIM).
//! - `session/pin_status_uicc`: PIN1's state (PS_DO cached, two counter queries).
//! - `session/verify_uicc`: a guarded VERIFY with the right PIN (counter query + VERIFY).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use simcore::Profile;
use simcore::card::{Guard, Sim};
use simcore::chv::{KeyReference, Pin};
use simcore::virtual_sim::VirtualSim;
use std::hint::black_box;

/// A card of `personality` with PIN1 disabled, so every identity file reads.
fn card(personality: Profile) -> VirtualSim {
    let word = if personality == Profile::Sim { "sim" } else { "uicc" };
    let toml = format!("personality = \"{word}\"\n[codes]\npin1 = {{ value = \"1234\", enabled = false }}\n");
    VirtualSim::from_toml(&toml).unwrap_or_default()
}

/// APDUs `work` sends on `sim`.
fn apdus<T: simcore::Transport>(sim: &mut Sim<T>, work: impl FnOnce(&mut Sim<T>)) -> u64 {
    let before = sim.apdu_count();
    work(sim);
    sim.apdu_count() - before
}

/// The APDU counts the README reports, printed once.
fn report_counts(personality: Profile) {
    let Ok(mut sim) = Sim::open(card(personality)) else { return };
    let open = sim.apdu_count();
    let iccid_imsi = apdus(&mut sim, |s| {
        let _ = s.iccid();
        let _ = s.imsi();
    });
    let Ok(mut sim) = Sim::open(card(personality)) else { return };
    let summary = apdus(&mut sim, |s| {
        let _ = s.summary();
    });
    let pins = apdus(&mut sim, |s| {
        let _ = s.pin_statuses([KeyReference::PIN1, KeyReference::PIN2]);
    });
    eprintln!(
        "APDUs on the {personality}: opening {open}; ICCID + IMSI {iccid_imsi}; summary {summary}; \
         sim_info (opening, summary, PIN1, PIN2) {}",
        open + summary + pins
    );
}

fn session(c: &mut Criterion) {
    let mut group = c.benchmark_group("session");
    for (name, personality) in [("uicc", Profile::Uicc), ("sim", Profile::Sim)] {
        report_counts(personality);
        let fresh = card(personality);
        let open_cost = if personality == Profile::Sim { 2 } else { 1 };
        group.throughput(Throughput::Elements(open_cost));
        group.bench_function(format!("open_{name}"), |b| {
            b.iter_batched(
                || fresh.clone(),
                |card| Sim::open(black_box(card)).map(|s| s.profile()),
                BatchSize::SmallInput,
            );
        });

        let Ok(mut sim) = Sim::open(card(personality)) else { continue };
        let _ = sim.summary();
        let per_round = apdus(&mut sim, |s| {
            let _ = s.summary();
        });
        group.throughput(Throughput::Elements(per_round));
        group.bench_function(format!("summary_{name}"), |b| {
            b.iter(|| sim.summary().map(|s| s.iccid.is_ok()));
        });
    }

    let Ok(mut sim) = Sim::open(VirtualSim::new()) else { return };
    let _ = sim.pin_status(KeyReference::PIN1);
    group.throughput(Throughput::Elements(2));
    group.bench_function("pin_status_uicc", |b| {
        b.iter(|| sim.pin_status(black_box(KeyReference::PIN1)).map(|s| s.attempts_left));
    });
    let Ok(pin) = Pin::new("1234") else { return };
    group.bench_function("verify_uicc", |b| {
        b.iter(|| sim.verify(KeyReference::PIN1, black_box(&pin), Guard::Protect).map(|o| o.is_done()));
    });
    group.finish();
}

criterion_group!(benches, session);
criterion_main!(benches);
