//! Fuzz the other EF decoders of TS 51.011 §10.3 (TS 31.102 §4.2): EF_AD,
//! a PLMN and a PLMN list (TS 24.008 §10.5.1.3), EF_LOCI, EF_ACC and EF_Kc.
//! Never panic; errors name a byte of the input; and for each, decode →
//! encode → decode is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::{Acc, Ad, Kc, Loci, Plmn, PlmnList};

fuzz_target!(|data: &[u8]| {
    let mut out = [0u8; 16];
    match Ad::from_ef(data) {
        Ok(ad) => {
            let n = ad.encode_into(&mut out).unwrap();
            assert_eq!(Ad::from_ef(&out[..n]).unwrap(), ad);
            assert_eq!(&out[..3], &data[..3]);
            let _ = ad.ofm();
        }
        Err(error) => assert!(error.offset() <= data.len()),
    }
    match Plmn::decode(data) {
        Ok(plmn) => {
            assert_eq!(Plmn::from_bytes(plmn.to_bytes()).unwrap(), plmn);
            assert_eq!(Plmn::parse(&plmn.to_string()).unwrap(), plmn);
            assert_eq!(Plmn::new(plmn.mcc(), plmn.mnc(), plmn.mnc_length()), Ok(plmn));
        }
        Err(error) => assert!(error.offset() <= data.len(), "{error:?}"),
    }
    let mut plmns = Vec::new();
    for entry in PlmnList::new(data) {
        match entry {
            Ok(plmn) => plmns.push(plmn),
            Err(error) => {
                assert!(error.offset() <= data.len(), "{error:?}");
                break;
            }
        }
    }
    let mut list = vec![0u8; 3 * plmns.len() + 3];
    PlmnList::encode_into(&plmns, &mut list).unwrap();
    assert_eq!(PlmnList::new(&list).collect::<Result<Vec<_>, _>>().unwrap(), plmns);
    match Loci::from_ef(data) {
        Ok(loci) => {
            let n = loci.encode_into(&mut out).unwrap();
            assert_eq!(Loci::from_ef(&out[..n]).unwrap(), loci);
            assert_eq!(&out[..4], &data[..4]);
        }
        Err(error) => assert!(error.offset() <= data.len(), "{error:?}"),
    }
    if let Ok(acc) = Acc::from_ef(data) {
        let n = acc.encode_into(&mut out).unwrap();
        assert_eq!(&out[..n], &data[..2]);
        assert_eq!(acc.classes().fold(0u16, |bits, class| bits | 1 << class), acc.0);
    }
    if let Ok(kc) = Kc::from_ef(data) {
        let n = kc.encode_into(&mut out).unwrap();
        assert_eq!(Kc::from_ef(&out[..n]).unwrap(), kc);
        assert_eq!(kc.is_available(), data[8] & 0x07 != 0x07);
        assert!(format!("{kc:?}").contains("kc: **"), "the key stays out of Debug");
    }
});
