//! Writes the seeds of the `session` target (fuzz/seeds/session/): the answers the
//! virtual SIM gives to the session's operations, in both personalities and on
//! both links, in the target's input format (a flags byte, then each answer as
//! a length byte and the bytes). Run from fuzz/: `cargo run --example session_seeds`.

use simcore::Profile;
use simcore::card::{Guard, Sim};
use simcore::chv::{KeyReference, Pin};
use simcore::transport::{Protocol, Reset, Transport};
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};

/// The virtual card, with every answer recorded.
struct Recorder {
    card: VirtualSim,
    answers: Vec<u8>,
}

impl Transport for Recorder {
    type Error = <VirtualSim as Transport>::Error;
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], Self::Error> {
        let answer = self.card.transmit(command, response)?;
        self.answers.push(u8::try_from(answer.len()).expect("answers fit a length byte"));
        self.answers.extend_from_slice(answer);
        Ok(answer)
    }
    fn atr(&self) -> Option<&[u8]> {
        self.card.atr()
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, Self::Error> {
        self.card.reset(reset)
    }
    fn protocol(&self) -> Protocol {
        self.card.protocol()
    }
}

fn main() {
    std::fs::create_dir_all("seeds/session").expect("seeds folder");
    for (name, personality) in [("sim", Profile::Sim), ("uicc", Profile::Uicc)] {
        for (link, flags) in [(LinkMode::T0, 0u8), (LinkMode::T1, 1u8)] {
            for (key, key_bits) in [(KeyReference::PIN1, 0u8), (KeyReference::PIN2, 4u8)] {
                let card = VirtualSim::from_profile(&CardProfile::default().with_personality(personality))
                    .expect("the default profile")
                    .with_link(link);
                let mut recorder = Recorder { card, answers: Vec::new() };
                let pin = Pin::new(if key == KeyReference::PIN1 { "1234" } else { "5678" }).expect("PIN");
                let puk =
                    Pin::puk(if key == KeyReference::PIN1 { "12345678" } else { "87654321" }).expect("PUK");
                {
                    // The target's operations, in its order.
                    let mut sim = Sim::open(&mut recorder).expect("open");
                    let _ = sim.pin_status(key);
                    let _ = sim.verify(key, &pin, Guard::Protect);
                    let _ = sim.unblock(key, &puk, &pin, Guard::Protect);
                    let _ = sim.change(key, &pin, &pin, Guard::Protect);
                    let _ = sim.disable(key, &pin, Guard::Protect);
                    let _ = sim.enable(key, &pin, Guard::Protect);
                    let _ = sim.summary();
                    let _ = (sim.iccid(), sim.imsi(), sim.spn(), sim.msisdn());
                }
                let mut seed = vec![flags | key_bits];
                seed.extend_from_slice(&recorder.answers);
                let file = format!(
                    "seeds/session/virtual-{name}-{link:?}-{}",
                    if key_bits == 0 { "pin1" } else { "pin2" }
                );
                std::fs::write(&file, seed).expect("write the seed");
                println!("{file}");
            }
        }
    }
}
