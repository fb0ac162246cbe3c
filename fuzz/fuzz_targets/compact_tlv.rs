//! Fuzz the historical bytes (ISO/IEC 7816-4:2005 §8.1.1): the category
//! indicator, the COMPACT-TLV objects (§5.2.2.1), the status indicator and the
//! DIR data reference. Never panic; objects tile the body in order, each at
//! the offset it names with its header byte as sent; errors name a byte of
//! the historical bytes.
//!
//! Input: one byte giving the offset of the historical bytes in an ATR, then
//! the historical bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::atr::{Category, DataObject, HistoricalBytes};

fuzz_target!(|data: &[u8]| {
    let Some((&base, bytes)) = data.split_first() else { return };
    let base = usize::from(base % 32);
    let historical = HistoricalBytes::new(bytes, base);
    assert_eq!(historical.as_bytes(), bytes);
    let category = historical.category();
    assert_eq!(category.map(Category::byte), bytes.first().copied());
    let mut next = base + 1;
    for object in historical.objects() {
        match object {
            Ok(object) => {
                assert_eq!(object.offset(), next, "objects do not tile the body");
                assert!(object.tag() <= 0x0F);
                assert_eq!(object.header(), bytes[object.offset() - base]);
                let start = object.offset() - base + 1;
                assert_eq!(&bytes[start..start + object.value().len()], object.value());
                next += 1 + object.value().len();
                if let Ok(decoded) = object.decode() {
                    let _ = decoded.name();
                    if let DataObject::CardCapabilities(caps) = decoded {
                        let _ =
                            (caps.selection_methods(), caps.data_coding(), caps.chaining_length_channels());
                    }
                    if let DataObject::CardServiceData(service) = decoded {
                        let _ = (service.ef_access(), service.has_mf());
                    }
                }
            }
            Err(error) => {
                assert!(error.offset() >= base && error.offset() <= base + bytes.len(), "{error:?}");
                break;
            }
        }
    }
    for result in [historical.check().map(|()| None), historical.status_indicator().map(|s| s.map(|_| 0))] {
        if let Err(error) = result {
            assert!(error.offset() >= base && error.offset() <= base + bytes.len(), "{error:?}");
            let _ = error.to_string();
        }
    }
    if let Ok(Some(status)) = historical.status_indicator() {
        let _ = (status.lcs(), status.life_cycle().map(|l| l.to_string()), status.sw());
    }
    let _ = historical.dir_data_reference();
});
