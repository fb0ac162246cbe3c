//! Fuzz the TS 51.011 §9.2.1 SELECT/STATUS response decoders (MF/DF and EF,
//! resolved Q4/Q5) and the `FileSummary` over them: never panic; an error
//! names a byte of the input; and decode → encode → decode is a fixed point
//! (the encoder is the virtual SIM's).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::fcp::gsm::{Directory, Ef, Response};
use simcore::fcp::{FileKind, FileSummary};

fuzz_target!(|data: &[u8]| {
    let response = match Response::parse(data) {
        Ok(response) => response,
        Err(error) => {
            assert!(error.offset() <= data.len(), "{error:?}");
            let _ = error.to_string();
            return;
        }
    };
    // FileSummary takes a response starting with tag 62 for an FCP template (bytes 1–2
    // of a TS 51.011 response are RFU, 00 on real cards); summarise the decoded one.
    let summary = FileSummary::from_gsm(response);
    if data[0] != 0x62 {
        assert_eq!(FileSummary::from_response(data), Ok(summary));
    }
    let _ = summary.codes().count();
    let mut out = [0u8; 32];
    match response {
        Response::Directory(directory) => {
            assert_eq!(summary.kind, if directory.is_mf { FileKind::Mf } else { FileKind::Df });
            assert_eq!(summary.fid, Some(directory.fid));
            let _ = (directory.characteristics.clock_stop(), directory.characteristics.supply_voltage());
            let _ = directory.codes.map(|c| c.map(|c| (c.is_initialised(), c.attempts_left())));
            let n = directory.encode_into(&mut out).unwrap();
            assert_eq!(n, Directory::LEN);
            let again = Directory::parse(&out[..n]).unwrap();
            // An absent code status is written 00; everything else comes back identical.
            let mut expected = directory;
            for (code, back) in expected.codes.iter_mut().zip(again.codes) {
                if code.is_none() {
                    *code = back;
                }
            }
            assert_eq!(again, expected);
            assert!(again.codes.iter().all(Option::is_some));
        }
        Response::Ef(ef) => {
            assert_eq!(summary.fid, Some(ef.fid));
            assert_eq!(summary.structure, Some(ef.structure));
            assert_eq!(summary.record_count, ef.record_count());
            if let Some(count) = ef.record_count() {
                assert!(u32::from(count) * u32::from(ef.record_length) <= u32::from(ef.size));
            }
            let n = ef.encode_into(&mut out).unwrap();
            assert_eq!(n, Ef::LEN);
            assert_eq!(Ef::parse(&out[..n]).unwrap(), ef);
            assert_eq!(Response::parse(&out[..n]).unwrap(), Response::Ef(ef));
        }
    }
});
