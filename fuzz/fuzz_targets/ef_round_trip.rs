//! Round trip of the EF encoders of `simcore::ef` (TS 51.011 §10.3, §10.5.1;
//! TS 31.102 §4.2; TS 24.008 §10.5.1.3): EF_AD, a PLMN and a PLMN list,
//! EF_LOCI, EF_ACC, EF_Kc, EF_SPN and a dialling-number record built from
//! arbitrary fields, encoded, then decoded: the fields come back identical.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use simcore::ef::{
    Acc, Ad, DiallingNumber, Kc, Lai, Loci, MncLength, OperationMode, Plmn, PlmnList, Spn, SpnDisplay,
    UpdateStatus,
};

#[derive(Arbitrary, Debug)]
enum Case {
    Ad { mode: u8, additional_info: [u8; 2], mnc: Option<bool> },
    Plmns(Vec<(u16, u16, bool)>),
    Loci { tmsi: [u8; 4], plmn: Option<(u16, u16, bool)>, lac: u16, time: u8, status: u8 },
    Acc(u16),
    Kc([u8; 8], u8),
    Spn { display: u8, name: String, room: u8 },
    Dialling { alpha: String, plus: bool, digits: Vec<u8>, x: u8 },
}

/// What `text` reads back as: ç goes out as Ç's 0x09 when the text is written
/// in the GSM alphabet (resolved Q8).
fn as_sent(text: &str) -> String {
    if simcore::codec::gsm7::encoded_len(text).is_ok() { text.replace('ç', "Ç") } else { text.to_owned() }
}

fn plmn((mcc, mnc, three): (u16, u16, bool)) -> Plmn {
    let (mnc, length) = if three { (mnc % 1000, MncLength::Three) } else { (mnc % 100, MncLength::Two) };
    Plmn::new(mcc % 1000, mnc, length).expect("in range")
}

fuzz_target!(|case: Case| {
    let mut out = [0u8; 32];
    match case {
        Case::Ad { mode, additional_info, mnc } => {
            let length = mnc.map(|three| if three { MncLength::Three } else { MncLength::Two });
            let mut ad = Ad::new(OperationMode::from_byte(mode), false, length);
            ad.additional_info = additional_info;
            let n = ad.encode_into(&mut out).unwrap();
            assert_eq!(n, 3 + usize::from(length.is_some()));
            let back = Ad::from_ef(&out[..n]).unwrap();
            assert_eq!(back, ad);
            assert_eq!(back.mode.to_byte(), mode);
        }
        Case::Plmns(list) => {
            let plmns: Vec<Plmn> = list.into_iter().take(40).map(plmn).collect();
            for p in &plmns {
                assert_eq!(Plmn::from_bytes(p.to_bytes()), Ok(*p));
                assert_eq!(Plmn::parse(&p.to_string()), Ok(*p));
            }
            let mut bytes = vec![0u8; 3 * plmns.len() + 6];
            assert_eq!(PlmnList::encode_into(&plmns, &mut bytes), Ok(3 * plmns.len()));
            assert_eq!(PlmnList::new(&bytes).collect::<Result<Vec<_>, _>>(), Ok(plmns));
        }
        Case::Loci { tmsi, plmn: p, lac, time, status } => {
            let update_status = match status % 8 {
                0 => UpdateStatus::Updated,
                1 => UpdateStatus::NotUpdated,
                2 => UpdateStatus::PlmnNotAllowed,
                3 => UpdateStatus::LocationAreaNotAllowed,
                v => UpdateStatus::Reserved(v),
            };
            let loci = Loci::new(tmsi, Lai { plmn: p.map(plmn), lac }, time, update_status);
            let n = loci.encode_into(&mut out).unwrap();
            assert_eq!(n, Loci::EF_LEN);
            assert_eq!(Loci::from_ef(&out[..n]), Ok(loci));
            assert_eq!(Lai::decode(&loci.lai.to_bytes()), Ok(loci.lai));
        }
        Case::Acc(bits) => {
            let n = Acc(bits).encode_into(&mut out).unwrap();
            assert_eq!(Acc::from_ef(&out[..n]), Ok(Acc(bits)));
        }
        Case::Kc(kc, cksn) => {
            let value = Kc { kc, cksn: cksn & 0x07 };
            let n = value.encode_into(&mut out).unwrap();
            assert_eq!(Kc::from_ef(&out[..n]), Ok(value));
        }
        Case::Spn { display, name, room } => {
            let mut ef = vec![0u8; 1 + usize::from(room % 40)];
            let display = SpnDisplay::from_bits_retain(display);
            if Spn::encode_into(display, &name, &mut ef).is_ok() {
                let back = Spn::from_ef(&ef).expect("an encoded EF_SPN decodes");
                assert_eq!(back.display, display);
                assert_eq!(back.name.to_string(), as_sent(&name));
            }
        }
        Case::Dialling { alpha, plus, digits, x } => {
            const DIGITS: &[u8] = b"0123456789*#,N;";
            let digits: String =
                digits.iter().take(20).map(|d| char::from(DIGITS[usize::from(*d) % DIGITS.len()])).collect();
            let number = if plus && !digits.is_empty() { format!("+{digits}") } else { digits };
            let mut record = vec![0u8; 14 + usize::from(x % 40)];
            if DiallingNumber::encode_into(&alpha, &number, &mut record).is_ok() {
                let back = DiallingNumber::parse(&record).expect("an encoded record decodes");
                assert_eq!(back.alpha.to_string(), as_sent(&alpha));
                assert_eq!(back.number.map(|n| n.to_string()).unwrap_or_default(), number);
            } else {
                // Only a name too long for the record may be refused.
                let mut roomy = vec![0u8; 14 + 2 + 2 * alpha.chars().count()];
                let fits = DiallingNumber::encode_into(&alpha, &number, &mut roomy).is_ok();
                assert!(fits || alpha.chars().any(|c| u32::from(c) >= 0xFFFF), "{alpha:?} {number:?}");
            }
        }
    }
});
