//! Fuzz the USIM service table (3GPP TS 31.102 §4.2.8): the services listed
//! are exactly those reported available, and encoding them gives the table
//! back (up to its trailing zero bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::ServiceTable;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = ServiceTable::from_ef(data) else {
        assert!(data.is_empty());
        return;
    };
    let services: Vec<u16> = table.services().map(|s| s.0).collect();
    let max = u16::try_from(data.len() * 8).unwrap_or(u16::MAX);
    assert!(services.iter().all(|&s| table.is_available(s) && s <= max));
    assert_eq!(services.len(), (1..=max).filter(|&s| table.is_available(s)).count());
    for service in table.services() {
        let _ = service.to_string();
    }
    if data.len() <= 255 {
        let mut out = [0u8; 256];
        if let Ok(len) = ServiceTable::encode_into(&services, &mut out) {
            let used = data.iter().rposition(|&b| b != 0).map_or(1, |i| i + 1);
            assert_eq!(&out[..len], &data[..used.max(1)][..len]);
        }
    }
});
