//! Fuzz the eUICC answers (GSMA SGP.22 §5.7.20 GetEuiccData, SGP.02 GET DATA
//! 5A): any bytes give an EID of 32 decimal digits or an error naming a byte
//! of the input; the check digits can always be evaluated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::euicc::es10;

fuzz_target!(|data: &[u8]| {
    for result in [es10::parse_get_euicc_data(data), es10::parse_eid_data_object(data)] {
        match result {
            Ok(eid) => {
                assert_eq!(eid.digits().count(), 32);
                assert!(eid.digits().all(|d| d <= 9));
                let _ = eid.check_digits_valid();
                assert_eq!(eid.to_string().len(), 32);
            }
            Err(e) => assert!(e.offset() <= data.len(), "{} > {}", e.offset(), data.len()),
        }
    }
});
