//! Fuzz the printed-EID reader `Eid::parse` and `Eid::with_check_digits`
//! (GSMA SGP.29 §2.2): never panic; an error names a character position
//! inside the text; an EID read has the text's 32 digits (spaces between them
//! dropped) and prints as them; a 30-digit body gets check digits that verify
//! (ISO 7064 MOD 97-10) and keep the body; an EID whose check digits
//! verify has the computed ones, modulo 97.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::euicc::Eid;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let chars = text.chars().count();
    let digits: String = text.chars().filter(|&c| c != ' ').collect();
    match Eid::parse(text) {
        Ok(eid) => {
            assert_eq!(eid.to_string(), digits);
            assert_eq!(eid.digits().count(), 32);
            assert_eq!(Eid::parse(&eid.to_string()).unwrap(), eid);
            let body: String = digits.chars().take(30).collect();
            let computed = Eid::with_check_digits(&body).unwrap();
            assert!(computed.check_digits_valid());
            // Remainder 1 by 97 fixes the check digits modulo 97 (00/97, 01/98
            // and 02/99 both verify; the computed ones are 02–98).
            if computed == eid {
                assert!(eid.check_digits_valid());
            }
            if eid.check_digits_valid() {
                assert_eq!(computed.check_value() % 97, eid.check_value() % 97);
            }
        }
        Err(error) => assert!(error.offset() <= chars, "{error:?} in {chars} characters"),
    }
    match Eid::with_check_digits(text) {
        Ok(eid) => {
            assert!(eid.check_digits_valid());
            assert_eq!(&eid.to_string()[..30], digits);
        }
        Err(error) => assert!(error.offset() <= chars, "{error:?} in {chars} characters"),
    }
});
