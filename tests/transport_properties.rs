//! Property tests for the completion layer (ISO/IEC 7816-4 §7.6.1: 61XX chains
//! concatenate; ISO/IEC 7816-3 §12.2: every exchange ends) and for PIN encoding
//! (TS 51.011 §9.3: ASCII digits padded with FF).

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use simcore::apdu::Command;
use simcore::chv::{ChvCommand, KeyReference, Pin, carries_secret};
use simcore::transport::mock::MockTransport;
use simcore::transport::{CompletionError, ErrorKind, Link, Options, Protocol, Reset, Transport};
use simcore::{Profile, StatusWord};

/// A card that answers each command with the next scripted reply, whatever the
/// command (the mock would refuse unexpected commands); it keeps what it was sent.
struct Replies {
    replies: Vec<Vec<u8>>,
    next: usize,
    sent: Vec<Vec<u8>>,
    protocol: Protocol,
}

impl Transport for Replies {
    type Error = ErrorKind;
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ErrorKind> {
        self.sent.push(command.to_vec());
        let reply = self.replies.get(self.next).ok_or(ErrorKind::Timeout)?;
        self.next += 1;
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
        self.protocol
    }
}

/// Le for a length of 1–256 (256 is coded 00).
fn le(len: usize) -> u8 {
    u8::try_from(len % 256).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// READ BINARY with Le 00 on T=0, answered in chunks through 61XX: the data
    /// is the concatenation, each GET RESPONSE asks for exactly the announced
    /// length (00 for 256), and the count is one exchange per chunk.
    #[test]
    fn chains_of_61xx_concatenate(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..=256), 1..=6)) {
        let mut card = MockTransport::new(Protocol::T0);
        let mut expected_sent = vec![vec![0x00, 0xB0, 0x00, 0x00, 0x00]];
        for (i, chunk) in chunks.iter().enumerate() {
            let trailer = match chunks.get(i + 1) {
                Some(next) => [0x61, le(next.len())],
                None => [0x90, 0x00],
            };
            card = card.expect(&expected_sent[i].clone(), &[chunk.as_slice(), &trailer].concat());
            if let Some(next) = chunks.get(i + 1) {
                expected_sent.push(vec![0x00, 0xC0, 0x00, 0x00, le(next.len())]);
            }
        }
        let total: usize = chunks.iter().map(Vec::len).sum();
        let replay = card.clone();
        let mut link = Link::new(card);
        let mut buf = vec![0u8; total + 2];
        let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(256).unwrap();
        let r = link.transmit(&read, &mut buf).unwrap();
        prop_assert_eq!(r.data(), &chunks.concat()[..]);
        prop_assert_eq!(r.sw(), StatusWord::SUCCESS);
        prop_assert_eq!(usize::from(r.exchanges()), chunks.len());
        prop_assert_eq!(link.transport().sent(), &expected_sent[..]);

        // One byte less and the same script ends with a clear error, not a panic.
        let mut link = Link::new(replay);
        let mut short = vec![0u8; total + 1];
        prop_assert_eq!(
            link.transmit(&read, &mut short).unwrap_err(),
            CompletionError::BufferTooSmall { needed: total + 2, capacity: total + 1 }
        );
    }

    /// Whatever a card answers, completion ends within the bound, never writes
    /// past the buffer and never panics; on T=0 a command with data, and on
    /// T=1 a PIN command even with an Le, goes out once, whatever 6C XX or
    /// 67 XX the card answers (ISO/IEC 7816-4 §5.1.3, TS 51.011 §9.4.6).
    #[test]
    fn any_answers_end_within_the_bound(
        replies in proptest::collection::vec(
            prop_oneof![
                3 => (prop_oneof![Just(0x61u8), Just(0x9F), Just(0x6C), Just(0x67), Just(0x91), Just(0x62), Just(0x90)], any::<u8>())
                    .prop_flat_map(|(sw1, sw2)| (proptest::collection::vec(any::<u8>(), 0..40), Just([sw1, sw2])))
                    .prop_map(|(data, sw)| [data.as_slice(), &sw].concat()),
                1 => proptest::collection::vec(any::<u8>(), 0..300),
            ],
            0..24,
        ),
        capacity in 0usize..600,
        case in 0u8..7,
        t1 in any::<bool>(),
        max in 1u16..20,
        uicc in any::<bool>(),
        fetch in any::<bool>(),
    ) {
        let count = replies.len();
        let protocol = if t1 { Protocol::T1 } else { Protocol::T0 };
        let card = Replies { replies, next: 0, sent: Vec::new(), protocol };
        let options = Options::DEFAULT
            .with_max_exchanges(max)
            .with_uicc_case4_warnings(uicc)
            .with_iso_case4_get_response(!uicc)
            .with_fetch_unrequested(fetch);
        let mut link = Link::new(card).with_options(options);
        let data = [0x3F, 0x00];
        let pin = [0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF];
        let command = match case {
            0 => Command::new(0x00, 0x20, 0x00, 0x01),
            1 => Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(256).unwrap(),
            2 => Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&data).unwrap(),
            3 => Command::new(0xA0, 0xB0, 0x00, 0x00).with_ne(16).unwrap(),
            4 => Command::new(0xA0, 0x20, 0x00, 0x01).with_data(&pin).unwrap(),
            5 => Command::new(0x00, 0x20, 0x00, 0x01).with_data(&pin).unwrap().with_ne(256).unwrap(),
            _ => Command::new(0x01, 0xA4, 0x00, 0x04).with_data(&data).unwrap().with_ne(256).unwrap(),
        };
        let mut buf = vec![0u8; capacity];
        match link.transmit(&command, &mut buf) {
            Ok(r) => {
                prop_assert!(r.as_bytes().len() <= capacity);
                prop_assert!(r.exchanges() >= 1 && r.exchanges() <= max);
                prop_assert_eq!(u64::from(r.exchanges()), link.apdu_count());
            }
            Err(CompletionError::TooManyExchanges { limit, .. }) => {
                prop_assert_eq!(limit, max);
                prop_assert_eq!(link.apdu_count(), u64::from(max));
            }
            Err(_) => prop_assert!(link.apdu_count() <= u64::from(max)),
        }
        prop_assert!(link.apdu_count() <= u64::try_from(count).unwrap());
        if !command.data().is_empty() && (!t1 || carries_secret(command.ins())) {
            let sent = &link.transport().sent;
            prop_assert!(sent.iter().skip(1).all(|c| c.get(1) != Some(&command.ins())), "{:02X?}", sent);
        }
    }

    /// Any 4–8 digits encode as ASCII then FF to 8 bytes, decode back, and the
    /// VERIFY built from them carries exactly those 8 bytes.
    #[test]
    fn pins_encode_as_ascii_padded_with_ff(digits in "[0-9]{4,8}") {
        let pin = Pin::new(&digits).unwrap();
        let mut expected = digits.as_bytes().to_vec();
        expected.resize(8, 0xFF);
        prop_assert_eq!(&pin.expose_encoded()[..], &expected[..]);
        prop_assert_eq!(Pin::from_encoded(&expected).unwrap(), pin.clone());
        let cmd = ChvCommand::verify(Profile::Uicc, KeyReference::PIN1, &pin).unwrap();
        prop_assert_eq!(&cmd.expose_bytes()[5..], &expected[..]);
        prop_assert_eq!(format!("{pin} {pin:?} {cmd} {cmd:?}"), "** Pin(**) 00 20 00 01 08 ** ChvCommand { operation: Verify, key: PIN1, apdu: 00 20 00 01 08 ** }");
    }

    /// Any other text is refused with a position inside it, never a panic.
    #[test]
    fn bad_pins_are_refused(text in "\\PC{0,12}") {
        let valid = text.chars().all(|c| c.is_ascii_digit()) && (4..=8).contains(&text.chars().count());
        match Pin::new(&text) {
            Ok(_) => prop_assert!(valid),
            Err(e) => {
                prop_assert!(!valid);
                if let Some(offset) = e.offset() {
                    prop_assert!(offset < text.chars().count());
                }
            }
        }
        let _ = Pin::adm(&text);
        let _ = Pin::from_encoded(text.as_bytes());
    }
}
